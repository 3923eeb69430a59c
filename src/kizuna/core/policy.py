"""Who may see and do what in the core app. Every page and API route asks here."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from .models import Organization, Person, Role
from .navigation import remembered


def is_administrator(person: Person) -> bool:
    return person.is_superuser or person.has_role(Role.ADMINISTRATOR)


def is_auditor(person: Person) -> bool:
    return person.has_role(Role.AUDITOR) or is_administrator(person)


def _own_organization_ids(person: Person) -> set[int]:
    return {m.organization_id for m in person.membership_rows()}


def roster_filter(person: Person) -> Q:
    """Rosters are need-to-know: an organization's own staff and those of its parents."""
    if is_auditor(person):
        return Q()
    own = _own_organization_ids(person)
    return Q(pk__in=own) | Q(parent_id__in=own) | Q(parent__parent_id__in=own)


def rosters_visible(person: Person) -> QuerySet[Organization]:
    return Organization.objects.filter(roster_filter(person))


def may_view_audit(person: Person) -> bool:
    return is_auditor(person)


def may_view_roster(person: Person, code: str) -> bool:
    """Whether this organization's people page opens for the person (roster_filter's rule,
    decided once per request for a directory's every row)."""
    codes = remembered(
        person, "rosters", lambda: set(rosters_visible(person).values_list("code", flat=True))
    )
    return code in codes
