"""Who may see and do what in coordination. Every page, API route and live stream asks here.

Membership of a coordination body decides: a person belongs to a body when one of their
organizations is a member of it. They see the situations their bodies were stood up for (and
those their organization leads), the log of their bodies, and the situation-wide entries
(designations, closing). Auditors and administrators see everything and post nothing.
Within a body, coordinators vet and manage, information managers act as liaison officers
who translate, and anyone holding a working role there may post.

Log entries are marked besides (sharing's classification, releasability, caveats and
communities): a reader sees an entry only when the body rule above AND the sharing policy's
marking rule both let them, auditors and administrators included.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from kizuna.core import access
from kizuna.core.models import Membership, Organization, Person, Role
from kizuna.core.navigation import remembered
from kizuna.sharing import policy as sharing_policy

from .models import (
    ActionItem,
    Body,
    Designation,
    LogEntry,
    Meeting,
    ResourceReport,
    Situation,
    SupportRequest,
)

# Roles that watch rather than act: they read everything and write nothing here.
OVERSEEING_ROLES = {Role.AUDITOR, Role.ADMINISTRATOR}


def _memberships(person: Person) -> list[Membership]:
    """A person's memberships, read once per request (cached on the person object)."""
    cached: list[Membership] | None = getattr(person, "_coordination_memberships", None)
    if cached is None:
        # The signed-in person comes with them (core.auth prefetches them, organizations too).
        prefetched = getattr(person, "_prefetched_objects_cache", {}).get("memberships")
        cached = list(
            prefetched
            if prefetched is not None
            else person.memberships.select_related("organization")
        )
        person._coordination_memberships = cached  # type: ignore[attr-defined]
    return cached


def is_overseer(person: Person) -> bool:
    """Auditors and administrators (as core.policy.is_auditor decides), from the cache."""
    return person.is_superuser or any(m.role in OVERSEEING_ROLES for m in _memberships(person))


def _working_memberships(person: Person) -> list[Membership]:
    """Memberships through which a person acts."""
    return [m for m in _memberships(person) if m.role not in OVERSEEING_ROLES]


def acting_organizations(person: Person, role: Role | None = None) -> list[Organization]:
    """The organizations a person acts for (holding `role` there, when given)."""
    chosen = {
        m.organization_id: m.organization
        for m in _working_memberships(person)
        if role is None or m.role == role
    }
    return list(chosen.values())


def organization_ids(person: Person) -> set[int]:
    return {m.organization_id for m in _working_memberships(person)}


def holds(person: Person, role: Role, organization_ids_: set[int] | None = None) -> bool:
    return any(
        m.role == role and (organization_ids_ is None or m.organization_id in organization_ids_)
        for m in _working_memberships(person)
    )


def coordinator_membership(
    person: Person, organization_ids_: set[int] | None = None
) -> Membership | None:
    return next(
        (
            m
            for m in _working_memberships(person)
            if m.role == Role.COORDINATOR
            and (organization_ids_ is None or m.organization_id in organization_ids_)
        ),
        None,
    )


# --- what a person sees -------------------------------------------------------------------


def bodies_visible(person: Person) -> QuerySet[Body]:
    if is_overseer(person):
        return Body.objects.all()
    return Body.objects.filter(
        pk__in=Body.organizations.through.objects.filter(
            organization_id__in=organization_ids(person)
        ).values("body_id")
    )


def visible_body_ids(person: Person) -> set[int]:
    return set(bodies_visible(person).values_list("pk", flat=True))


def situations_visible(person: Person) -> QuerySet[Situation]:
    if is_overseer(person):
        return Situation.objects.all()
    orgs = organization_ids(person)
    return Situation.objects.filter(
        Q(lead_organization_id__in=orgs)
        | Q(pk__in=bodies_visible(person).filter(situation__isnull=False).values("situation_id"))
    )


@dataclass(frozen=True)
class LogReach:
    """What of the logs one reader may see, decided once (and remembered until access
    changes, see `log_reach`): the situations they see and the bodies whose entries they
    read (None: all), and the markings they may read, by id with each one's key (what an
    entry shows of its marking, without a join)."""

    situation_ids: frozenset[int] | None
    body_ids: frozenset[int] | None
    markings: Mapping[int, str]

    def q(self) -> Q:
        markings = Q(marking_id__in=list(self.markings))
        if self.body_ids is None or self.situation_ids is None:
            return markings
        return (
            Q(situation_id__in=self.situation_ids)
            & (Q(body__isnull=True) | Q(body_id__in=self.body_ids))
            & markings
        )

    def sees_situation(self, situation_id: int) -> bool:
        return self.situation_ids is None or situation_id in self.situation_ids

    def sees(self, body_id: int | None, marking_id: int) -> bool:
        """Whether an entry of a situation the reader sees is theirs to read."""
        return marking_id in self.markings and (
            self.body_ids is None or body_id is None or body_id in self.body_ids
        )


def _decide_log_reach(person: Person) -> LogReach:
    overseer = is_overseer(person)
    return LogReach(
        situation_ids=None
        if overseer
        else frozenset(situations_visible(person).values_list("pk", flat=True)),
        body_ids=None if overseer else frozenset(visible_body_ids(person)),
        markings=sharing_policy.visible_marking_keys(person),
    )


def log_reach(person: Person) -> LogReach:
    """The reader's reach, remembered between requests while no row that decides it changes
    (core.access: memberships, bodies' members, situations' leads, clearances, markings).
    Every call reads the access token, so a write earlier in the same request that made a
    new marking is seen at once."""
    return access.remembered("coordination.log_reach", person.pk, lambda: _decide_log_reach(person))


def entry_filter(person: Person) -> Q:
    """Entries of a visible situation a person may read: their bodies' and the
    situation-wide ones, each only when its marking lets them."""
    return log_reach(person).q()


def entries_visible(person: Person) -> QuerySet[LogEntry]:
    return LogEntry.objects.filter(entry_filter(person))


def requests_visible(person: Person) -> QuerySet[SupportRequest]:
    if is_overseer(person):
        return SupportRequest.objects.all()
    orgs = organization_ids(person)
    return SupportRequest.objects.filter(
        Q(body__in=bodies_visible(person))
        | Q(requesting_organization_id__in=orgs)
        | Q(supporting_organization_id__in=orgs)
    )


def designations_visible(person: Person) -> QuerySet[Designation]:
    return Designation.objects.filter(situation__in=situations_visible(person))


def meetings_visible(person: Person) -> QuerySet[Meeting]:
    return Meeting.objects.filter(body__in=bodies_visible(person))


def action_items_visible(person: Person) -> QuerySet[ActionItem]:
    return ActionItem.objects.filter(meeting__body__in=bodies_visible(person))


def resource_reports_visible(person: Person) -> QuerySet[ResourceReport]:
    return ResourceReport.objects.filter(situation__in=situations_visible(person))


# --- what a person may do ------------------------------------------------------------------


def _body_organization_ids(body: Body) -> set[int]:
    return {o.pk for o in body.organizations.all()}


def posting_membership(person: Person, body: Body) -> Membership | None:
    """The membership a person posts to a body through, or None when they may not."""
    members = _body_organization_ids(body)
    return next((m for m in _working_memberships(person) if m.organization_id in members), None)


def may_post(person: Person, body: Body) -> bool:
    return posting_membership(person, body) is not None


def may_open_situation(person: Person) -> bool:
    return holds(person, Role.COORDINATOR)


def lead_membership(
    person: Person, situation: Situation, *, nation: str | None = None
) -> Membership | None:
    """Situation-wide acts (closing, standing bodies up) are a coordinator's of the lead
    organization or of any organization sitting in one of the situation's bodies."""
    orgs = {situation.lead_organization_id} | set(
        Body.organizations.through.objects.filter(body__situation=situation).values_list(
            "organization_id", flat=True
        )
    )
    return next(
        (
            m
            for m in _working_memberships(person)
            if m.role == Role.COORDINATOR
            and m.organization_id in orgs
            and (nation is None or m.organization.nation_id == nation)
        ),
        None,
    )


def may_manage_situation(person: Person, situation: Situation) -> bool:
    return lead_membership(person, situation) is not None


def designating_membership(person: Person, situation: Situation) -> Membership | None:
    """A legal designation (事態認定) is Japan's decision: a Japanese coordinator records it."""
    return lead_membership(person, situation, nation="JPN")


def bodies_where(person: Person, role: Role) -> set[int]:
    """Ids of the bodies in which a person holds a role through a member organization."""
    orgs = {m.organization_id for m in _working_memberships(person) if m.role == role}
    return set(
        Body.organizations.through.objects.filter(organization_id__in=orgs).values_list(
            "body_id", flat=True
        )
    )


def _role_in_entry_body(person: Person, entry: LogEntry, role: Role) -> bool:
    if entry.body is None:
        return lead_membership(person, entry.situation) is not None and holds(person, role)
    return holds(person, role, _body_organization_ids(entry.body))


def may_vet(person: Person, entry: LogEntry) -> bool:
    return _role_in_entry_body(person, entry, Role.COORDINATOR)


def may_translate(person: Person, entry: LogEntry) -> bool:
    """Liaison officers: the information managers of the body's member organizations."""
    if entry.body is None:
        return holds(person, Role.INFORMATION_MANAGER) and (
            situations_visible(person).filter(pk=entry.situation_id).exists()
        )
    return holds(person, Role.INFORMATION_MANAGER, _body_organization_ids(entry.body))


def may_edit_event_time(person: Person, entry: LogEntry) -> bool:
    return entry.author_id == person.pk or may_vet(person, entry)


def acting_membership(person: Person, organization: Organization) -> Membership | None:
    """The membership through which a person acts for an organization."""
    return next(
        (m for m in _working_memberships(person) if m.organization_id == organization.pk), None
    )


def may_escalate(person: Person, request: SupportRequest) -> bool:
    return holds(person, Role.COORDINATOR, _body_organization_ids(request.body))


def may_record_progress(person: Person, request: SupportRequest) -> bool:
    """Progress is recorded by the organization asked, once it has accepted (the service
    refuses the same cases)."""
    S = SupportRequest.Status
    return request.status in (S.ACCEPTED, S.PARTLY_ACCEPTED, S.IN_PROGRESS) and (
        acting_membership(person, request.supporting_organization) is not None
    )


_S = SupportRequest.Status
# A request's steps: the party that takes each, and the statuses it is taken from (the
# services refuse any other; the page offers a step only where it applies).
REQUEST_STEPS: dict[str, tuple[str, tuple[str, ...]]] = {
    "submit": ("requesting", (_S.DRAFT,)),
    "acknowledge": ("supporting", (_S.SUBMITTED,)),
    "accept": ("supporting", (_S.SUBMITTED, _S.ACKNOWLEDGED)),
    "decline": ("supporting", (_S.SUBMITTED, _S.ACKNOWLEDGED)),
    "complete": ("supporting", (_S.IN_PROGRESS,)),
}


def request_actions(person: Person, request: SupportRequest) -> set[str]:
    """The steps of a request this person may take now (the page's buttons)."""
    actions = {
        step
        for step, (party, statuses) in REQUEST_STEPS.items()
        if request.status in statuses
        and acting_membership(person, getattr(request, f"{party}_organization")) is not None
    }
    parent = request.body.parent
    escalable = request.is_open and parent is not None and parent.is_active
    if escalable and may_escalate(person, request):
        actions.add("escalate")
    return actions


# --- which pages open (kizuna.core.navigation asks these for every link to them) -----------


def may_view_working_group(person: Person, code: str) -> bool:
    """A working group's page is its members' (and overseers'): the directory is shared."""
    codes = remembered(
        person,
        "working_groups",
        lambda: set(
            bodies_visible(person)
            .filter(kind=Body.Kind.WORKING_GROUP)
            .values_list("code", flat=True)
        ),
    )
    return code in codes


def may_translate_entries(person: Person) -> bool:
    """The translation queue is the liaison officers' (information managers') work list."""
    return holds(person, Role.INFORMATION_MANAGER)
