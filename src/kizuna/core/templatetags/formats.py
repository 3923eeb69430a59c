"""Filters every page formats numbers with (`kizuna.core.formats`, in the reader's language):
`{{ amount|money:currency }}`, `{{ value|number }}`, `{{ value|quantity:unit }}`,
`{{ instant|dtg }}`; an audit event's action and object as words
(`{{ event.action|audit_action }}`, `{{ event|audit_object }}`), never as codes; and
`{% provenance record %}`, in demo mode, says where a demo record comes from: an
"illustrative" badge on made-up records, the seed's section on the others."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from .. import audit, formats, selectors

register = template.Library()


@register.filter
def money(amount: formats.Number | None, currency: str) -> str:
    return "—" if amount is None or amount == "" else formats.money(amount, currency)


@register.filter
def number(value: formats.Number | None) -> str:
    return "—" if value is None or value == "" else formats.number(value)


@register.filter
def quantity(value: formats.Number | None, unit: str = "") -> str:
    return "—" if value is None or value == "" else formats.quantity(value, unit)


@register.filter
def dtg(value: datetime | None) -> str:
    return formats.dtg(value) if value is not None else ""


@register.filter
def audit_action(code: str) -> str:
    return audit.action_label(code)


@register.filter
def audit_object(event: Any) -> str:
    return audit.object_label(event.object_type, event.object_id) if event.object_type else "—"


@register.simple_tag
def provenance(record: object) -> SafeString | str:
    found = selectors.provenance_of(record)  # type: ignore[arg-type]
    if found is None:
        return ""
    if found.kind == found.Kind.ILLUSTRATIVE:
        return format_html(
            '<span class="badge badge-illustrative" data-testid="illustrative">{}</span>',
            gettext("illustrative"),
        )
    return format_html(
        '<span class="badge" data-testid="from-seed" title="{}">{}</span>',
        found.reference,
        gettext("from the seed"),
    )
