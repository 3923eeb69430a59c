"""Every read a person or API client sees, with the core policy applied here."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext

from . import checkpoints, policy
from .audit import visible_events
from .models import ApiToken, AuditEvent, Membership, Organization, Person


def zones_for(person: Person | None) -> list[str]:
    """The zones a reader sees, their own first; the default trio for anyone else."""
    if person is not None and person.time_zones:
        return list(person.time_zones)
    return list(settings.DEFAULT_TIME_ZONES)


def organization_list() -> QuerySet[Organization]:
    """The directory of organizations is shared with every signed-in person."""
    return Organization.objects.select_related("nation", "parent").order_by("nation", "name_en")


def organization_get(*, code: str) -> Organization:
    try:
        return organization_list().get(code=code)
    except Organization.DoesNotExist:
        raise Http404 from None


def roster(*, person: Person, code: str) -> tuple[Organization, QuerySet[Membership]]:
    """An organization's staff and roles; a hidden roster answers 404 like a missing one."""
    try:
        organization = policy.rosters_visible(person).get(code=code)
    except Organization.DoesNotExist:
        raise Http404 from None
    members = (
        Membership.objects.filter(organization=organization)
        .select_related("person")
        .order_by("person__username", "role")
    )
    return organization, members


def memberships_of(person: Person) -> QuerySet[Membership]:
    return person.memberships.select_related("organization__nation").order_by(
        "organization__nation", "organization__name_en"
    )


def tokens_of(person: Person) -> QuerySet[ApiToken]:
    return person.api_tokens.filter(revoked_at__isnull=True)


# The audit page's filters, as they stand in its URL.
AUDIT_FILTERS = ("action", "actor", "object_type", "object_id")


def audit_events(
    *, person: Person, filters: Mapping[str, str] | None = None
) -> QuerySet[AuditEvent]:
    """The events the person may see (core.audit.visible_events), newest first, narrowed
    by the page's filters: an action or its beginning (`acsa.order`), the actor's user
    name, the object's type and id."""
    if not policy.may_view_audit(person):
        raise Http404
    filters = filters or {}
    events = visible_events(person).select_related("actor")
    if action := filters.get("action", "").strip():
        events = events.filter(action__startswith=action)
    if actor := filters.get("actor", "").strip():
        events = events.filter(actor__username=actor)
    if object_type := filters.get("object_type", "").strip():
        events = events.filter(object_type=object_type)
    if object_id := filters.get("object_id", "").strip():
        events = events.filter(object_id=object_id)
    return events.order_by("-id")


@dataclass(frozen=True)
class ChainCheck:
    """The audit page's answer to "verify the chain", told as the reader may know it: intact
    or not, and the broken event only when it is one of theirs (its id would say that a
    hidden event exists). No count: it would move with every hidden write."""

    intact: bool
    broken_event: AuditEvent | None
    problem: str


def chain_check(*, person: Person) -> ChainCheck:
    if not policy.may_view_audit(person):
        raise Http404
    try:
        report = checkpoints.verify().report
    except checkpoints.CheckpointError as error:
        return ChainCheck(False, None, str(error))
    broken = (
        visible_events(person).filter(pk=report.first_broken_id).first()
        if report.first_broken_id is not None
        else None
    )
    return ChainCheck(report.intact, broken, gettext(report.reason) if report.reason else "")
