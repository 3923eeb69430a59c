"""Filters every page formats numbers with (`kizuna.core.formats`, in the reader's language):
`{{ amount|money:currency }}`, `{{ value|number }}`, `{{ value|quantity:unit }}`,
`{{ instant|dtg }}`; and an audit event's action and object as words
(`{{ event.action|audit_action }}`, `{{ event|audit_object }}`), never as codes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import template

from .. import audit, formats

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
