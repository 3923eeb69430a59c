"""Every read a person, API client or live stream sees, starting from the coordination policy.

Two reads are deliberately unscoped and say so: `designation_in_force` (asked by the ACSA
eligibility check on behalf of the system) and `live_payloads` (the broker reads a
situation's new revisions once; each stream then keeps only what its reader may see).

Every list of entries goes through `_present`, which gives each entry the marking it shows
and the entry it corrects only when the reader may see that one too.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kizuna.acsa import policy as acsa_policy
from kizuna.acsa.models import Order, SituationType
from kizuna.core import bounds, places
from kizuna.core.formats import dtg
from kizuna.core.models import Person, Role
from kizuna.core.public_ids import get_public_or_404
from kizuna.core.traffic import EXERCISE_BANNER
from kizuna.sharing.marking import Marking
from kizuna.sharing.models import MarkingSet
from kizuna.sharing.selectors import MapPlace

from . import policy
from .models import (
    ActionItem,
    Body,
    Designation,
    EventTimeEdit,
    LogEntry,
    Meeting,
    RequestEvent,
    ResourceReport,
    Situation,
    SupportRequest,
)

PAGE_SIZE = bounds.PAGE_SIZE
MAX_PAGE_SIZE = bounds.MAX_PAGE_SIZE

# What an entry's JSON needs (API, live stream). Kept to four joins on purpose: with more,
# PostgreSQL spends longer planning the page query than running it.
PAYLOAD_RELATED = ("body", "author", "author_organization", "translated_by")
# What a page shows of an entry besides: the number of the entry it corrects, the marking's
# level by name.
ENTRY_RELATED = (*PAYLOAD_RELATED, "corrects", "marking__level")
# What a page shows of each entry beyond its own row: the kept event-time edits, and the
# names of its marking's caveats and communities.
ENTRY_EXTRAS = (
    Prefetch(
        "event_time_edits",
        queryset=EventTimeEdit.objects.select_related("edited_by").order_by("pk"),
    ),
    "marking__caveats",
    "marking__communities",
)


def _get(queryset: QuerySet[Any], **lookup: object) -> Any:
    """One object, or 404 whether it is missing or hidden."""
    try:
        return queryset.get(**lookup)
    except queryset.model.DoesNotExist:
        raise Http404 from None


# --- situations ----------------------------------------------------------------------------


def situation_list(*, person: Person, exercises: bool = False) -> QuerySet[Situation]:
    """The situations the person may see; exercises only when asked for (`exercises`), so
    exercise traffic never sits among the real world's situations unannounced."""
    visible = policy.situations_visible(person)
    if not exercises:
        visible = visible.exclude(kind=Situation.Kind.EXERCISE)
    return visible.select_related("lead_organization").order_by("status", "-starts_at")


def situation_get(*, person: Person, public_id: str) -> Situation:
    return get_public_or_404(
        policy.situations_visible(person).select_related("lead_organization"), public_id
    )


def designation_in_force(situation: Situation, at: datetime) -> SituationType | None:
    """The ACSA situation type a situation was designated as at a moment, or None.

    The seam the ACSA eligibility check uses with an order's dates. Unscoped: the check runs
    for the system, and a designation is the government's public decision.
    """
    designation = (
        Designation.objects.filter(situation=situation, starts_at__lte=at)
        .exclude(ends_at__lte=at)
        .select_related("situation_type")
        .first()
    )
    return designation.situation_type if designation else None


def designations_of(situation: Situation) -> QuerySet[Designation]:
    return situation.designations.select_related(
        "situation_type", "decision__author", "ending_decision"
    ).order_by("starts_at")


# --- bodies --------------------------------------------------------------------------------


def _with_members(queryset: QuerySet[Body]) -> QuerySet[Body]:
    return queryset.select_related("parent", "situation").prefetch_related("organizations__nation")


def bodies_of(*, person: Person, situation: Situation) -> QuerySet[Body]:
    """Every body of a situation (who sits where is shared); posting is decided per body."""
    return _with_members(situation.bodies.all()).order_by("stood_up_at", "pk")


def postable_bodies(*, person: Person, situation: Situation) -> list[Body]:
    if not situation.is_open:
        return []
    return [
        b
        for b in bodies_of(person=person, situation=situation)
        if b.is_active and policy.may_post(person, b)
    ]


def working_groups(*, person: Person) -> QuerySet[Body]:
    """Standing working groups: the directory is shared, meetings are their members'."""
    return _with_members(Body.objects.filter(kind=Body.Kind.WORKING_GROUP)).order_by(
        "established_on"
    )


def working_group_get(*, person: Person, code: str) -> Body:
    body: Body = _get(
        _with_members(policy.bodies_visible(person).filter(kind=Body.Kind.WORKING_GROUP)),
        code=code,
    )
    return body


def meetings_of(body: Body) -> QuerySet[Meeting]:
    return body.meetings.prefetch_related(
        Prefetch(
            "action_items",
            queryset=ActionItem.objects.select_related("owner", "closed_by").order_by("pk"),
        )
    ).order_by("-held_on")


def action_item_get(*, person: Person, public_id: str) -> ActionItem:
    return get_public_or_404(
        ActionItem.objects.filter(meeting__body__in=policy.bodies_visible(person)).select_related(
            "meeting__body", "owner"
        ),
        public_id,
    )


def body_in_reach(*, person: Person, code: str) -> Body:
    """A body the person sits in, or one of a situation they see (who sits where is shared
    within a situation); whether they may post there is the policy's answer."""
    body: Body = _get(
        _with_members(
            Body.objects.filter(
                Q(pk__in=policy.bodies_visible(person).values("pk"))
                | Q(situation__in=policy.situations_visible(person))
            )
        ),
        code=code,
    )
    return body


# --- the activity log ----------------------------------------------------------------------


def _entries(reach: policy.LogReach, situation: Situation) -> QuerySet[LogEntry]:
    return LogEntry.objects.filter(situation=situation).filter(reach.q())


def _access_of(entry_ids: set[int]) -> dict[int, tuple[int | None, int, str]]:
    """(body, marking, public id) of each entry named: what a reader's access to it is
    decided by (the entries that others correct), and how it is named; no query when none
    is named, as on most pages."""
    if not entry_ids:
        return {}
    return {
        pk: (body_id, marking_id, public_id)
        for pk, body_id, marking_id, public_id in LogEntry.objects.filter(
            pk__in=entry_ids
        ).values_list("pk", "body_id", "marking_id", "public_id")
    }


def _present(entries: Iterable[LogEntry], reach: policy.LogReach) -> list[LogEntry]:
    """Give each entry the marking it shows (`shown_marking`, from the reach's keys: no join)
    and the entry it corrects (`shown_corrects`) only when the reader may see that one."""
    entries = list(entries)
    corrected = _access_of({e.corrects_id for e in entries if e.corrects_id is not None})
    seen = {pk for pk, access in corrected.items() if reach.sees(*access[:2])}
    for entry in entries:
        entry.shown_marking = Marking.from_key(reach.markings[entry.marking_id])  # type: ignore[attr-defined]
        entry.shown_corrects = entry.corrects_id if entry.corrects_id in seen else None  # type: ignore[attr-defined]
    return entries


def _keyset(
    queryset: QuerySet[LogEntry], before: int | None, limit: int, body: Body | None
) -> QuerySet[LogEntry]:
    """Newest first, by keyset on the entry number: `before` is the last number seen."""
    if body is not None:
        queryset = queryset.filter(body=body)
    if before is not None:
        queryset = queryset.filter(seq__lt=before)
    return queryset.order_by("-seq")[: max(1, min(limit, MAX_PAGE_SIZE))]


def entries_page(
    *,
    person: Person,
    situation: Situation,
    before: int | None = None,
    limit: int = PAGE_SIZE,
    body: Body | None = None,
    reach: policy.LogReach | None = None,
) -> list[LogEntry]:
    """A page of the log as the situation page shows it. `reach`: the reader's, when the
    caller has decided it already for other lists of the same page."""
    reach = reach or policy.log_reach(person)
    queryset = (
        _entries(reach, situation).select_related(*ENTRY_RELATED).prefetch_related(*ENTRY_EXTRAS)
    )
    entries = _present(_keyset(queryset, before, limit, body), reach)
    for entry in entries:
        entry.situation = situation  # its exercise mark, without a query per entry
    return entries


def log_scope(situation_id: str) -> str:
    """What a log page's cursor is sealed for: one situation's log (by its public id)."""
    return f"coordination.log:{situation_id}"


@dataclass(frozen=True)
class PayloadPage:
    entries: list[dict[str, Any]]
    # The log position of the last entry, for the next page. It counts hidden entries too,
    # so it leaves the server only sealed for its reader (core.cursors).
    last: int | None


def entries_payloads(
    *,
    person: Person,
    situation_id: str,
    before: int | None = None,
    limit: int = PAGE_SIZE,
    body: str | None = None,
) -> PayloadPage:
    """A page of the log as the API gives it. The reach says which situations the reader
    sees (a hidden one answers 404 like a missing one); only an empty page asks whether the
    situation exists at all."""
    reach = policy.log_reach(person)
    queryset = LogEntry.objects.filter(reach.q(), situation__public_id=situation_id)
    chosen = body_in_reach(person=person, code=body) if body is not None else None
    rows = list(_keyset(queryset, before, limit, chosen).values(*PAYLOAD_FIELDS))
    if not rows:
        situation_get(person=person, public_id=situation_id)
    return PayloadPage(_payloads_of(rows, reach), rows[-1]["seq"] if rows else None)


def log_export(
    *, person: Person, situation_id: str, body: str | None = None
) -> Iterator[dict[str, Any]]:
    """The whole log as the page filters it (one body, or all the reader sees), newest
    first, a page at a time by the same keyset the page uses."""
    before = None
    while (
        page := entries_payloads(
            person=person, situation_id=situation_id, before=before, limit=MAX_PAGE_SIZE, body=body
        )
    ).entries:
        yield from page.entries
        before = page.last


def entry_payload(*, person: Person, pk: int) -> dict[str, Any]:
    """One entry as the API gives it; 404 whether it is missing or hidden."""
    reach = policy.log_reach(person)
    found = _payloads(LogEntry.objects.filter(reach.q(), pk=pk), reach)
    if not found:
        raise Http404
    return found[0]


def entry_get(*, person: Person, public_id: str) -> LogEntry:
    reach = policy.log_reach(person)
    entry = get_public_or_404(
        LogEntry.objects.filter(reach.q())
        .select_related("situation", *ENTRY_RELATED)
        .prefetch_related(*ENTRY_EXTRAS),
        public_id,
    )
    return _present([entry], reach)[0]


def board(
    *,
    person: Person,
    situation: Situation,
    limit: int = 20,
    reach: policy.LogReach | None = None,
) -> list[LogEntry]:
    """The situation's board: significant events a coordinator has vetted."""
    reach = reach or policy.log_reach(person)
    return _present(
        _entries(reach, situation)
        .select_related(*PAYLOAD_RELATED)
        .filter(significant=True, vetted_at__isnull=False)
        .order_by("-seq")[:limit],
        reach,
    )


def awaiting_vetting(
    *, person: Person, situation: Situation, reach: policy.LogReach | None = None
) -> list[LogEntry]:
    """What waits for the person's vetting (the page shows how many)."""
    reach = reach or policy.log_reach(person)
    return _present(
        (
            e
            for e in _entries(reach, situation)
            .select_related("body")
            .filter(significant=True, vetted_at__isnull=True)
            if policy.may_vet(person, e)
        ),
        reach,
    )


def translation_queue(*, person: Person, limit: int = 100) -> list[LogEntry]:
    """Entries awaiting translation in the bodies where the person is a liaison officer."""
    if not policy.holds(person, Role.INFORMATION_MANAGER):
        return []
    liaison_bodies = policy.bodies_visible(person).filter(
        organizations__in=[
            m.organization_id
            for m in person.memberships.all()
            if m.role == Role.INFORMATION_MANAGER
        ]
    )
    reach = policy.log_reach(person)
    return _present(
        LogEntry.objects.filter(translation="", body__in=liaison_bodies, situation__status="open")
        .filter(reach.q())
        .select_related("situation", *ENTRY_RELATED)
        .prefetch_related(*ENTRY_EXTRAS)
        .order_by("recorded_at")[:limit],
        reach,
    )


EXERCISE = Situation.Kind.EXERCISE

# What an entry's JSON reads, as plain rows (no model instances: a page of 50 entries builds
# in a fraction of the time). Kept to four joins on purpose, see PAYLOAD_RELATED.
PAYLOAD_FIELDS = (
    "pk",
    "public_id",
    "situation__public_id",
    "situation__kind",
    "seq",
    "label",
    "rev",
    "kind",
    "body_id",
    "body__code",
    "author__username",
    "author__display_name_ja",
    "author__display_name_en",
    "author_organization__code",
    "author_position",
    "recorded_at",
    "event_at",
    "language",
    "text",
    "translation",
    "translated_by__username",
    "translated_at",
    "significant",
    "vetted_at",
    "corrects_id",
    "support_request__public_id",
    "marking_id",
)

# Where a live payload keeps what each stream decides its reader's access by: the entry's
# body and marking, and the corrected entry's (or None). Streams strip it before sending.
ACCESS = "_access"


def _payloads(queryset: QuerySet[LogEntry], reach: policy.LogReach | None) -> list[dict[str, Any]]:
    return _payloads_of(list(queryset.values(*PAYLOAD_FIELDS)), reach)


def _payloads_of(rows: list[dict[str, Any]], reach: policy.LogReach | None) -> list[dict[str, Any]]:
    """Entries (rows of PAYLOAD_FIELDS) as the API and the live stream give them (both
    languages, both clocks). No log position goes out: it counts hidden entries too.

    With a reader's `reach` (the API), `corrects` names the corrected entry only when the
    reader may see it. Without one (the live stream's unscoped read), each payload carries
    `ACCESS` instead, for every stream to decide by."""
    keys = (
        reach.markings
        if reach is not None
        else dict(
            MarkingSet.objects.filter(pk__in={r["marking_id"] for r in rows}).values_list(
                "pk", "key"
            )
        )
    )
    corrected = _access_of({r["corrects_id"] for r in rows if r["corrects_id"] is not None})
    markings: dict[int, dict[str, Any]] = {}
    payloads = []
    for row in rows:
        marking_id = row["marking_id"]
        if marking_id not in markings:
            markings[marking_id] = Marking.from_key(keys[marking_id]).as_json()
        corrects = row["corrects_id"]
        payload = {
            "id": row["public_id"],
            "situation": row["situation__public_id"],
            "number": row["label"],
            "kind": row["kind"],
            "body": row["body__code"],
            "author": row["author__username"],
            "author_name_ja": row["author__display_name_ja"],
            "author_name_en": row["author__display_name_en"],
            "organization": row["author_organization__code"],
            "position": row["author_position"],
            "recorded_at": row["recorded_at"],
            "recorded_dtg": dtg(row["recorded_at"]),
            "event_at": row["event_at"],
            "event_dtg": dtg(row["event_at"]),
            "language": row["language"],
            "text": row["text"],
            "translation": row["translation"],
            "translated_by": row["translated_by__username"],
            "translated_at": row["translated_at"],
            "significant": row["significant"],
            "on_board": row["significant"] and row["vetted_at"] is not None,
            "corrects": corrected[corrects][2] if corrects in corrected else None,
            "request": row["support_request__public_id"],
            "marking": markings[marking_id],
            "traffic": EXERCISE_BANNER
            if row["situation__kind"] == Situation.Kind.EXERCISE
            else None,
        }
        if reach is None:
            # The revision counts hidden entries too: only the streams read it (live.py).
            payload["rev"] = row["rev"]
            access = corrected.get(corrects or 0)
            payload[ACCESS] = (row["body_id"], marking_id, access[:2] if access else None)
        elif corrects is not None and not (
            corrects in corrected and reach.sees(*corrected[corrects][:2])
        ):
            payload["corrects"] = None
        payloads.append(payload)
    return payloads


def translation_queue_payloads(*, person: Person) -> list[dict[str, Any]]:
    """The translation queue as the API gives it, in the queue's order."""
    order = [e.public_id for e in translation_queue(person=person)]
    reach = policy.log_reach(person)
    queryset = LogEntry.objects.filter(public_id__in=order)
    found = {p["id"]: p for p in _payloads(queryset, reach)}
    return [found[public_id] for public_id in order]


def live_payloads(situation_id: int, after: int, limit: int = 500) -> list[dict[str, Any]]:
    """Revisions of a situation's entries after `after`, oldest first. Unscoped: see above;
    each payload carries its `ACCESS` for the streams to decide by."""
    return _payloads(
        LogEntry.objects.filter(situation_id=situation_id, rev__gt=after).order_by("rev")[:limit],
        None,
    )


def acsa_order_shown(*, person: Person, request: SupportRequest) -> Order | None:
    """The ACSA order a request became, for a reader who may see that order (ACSA's own
    rule); others learn only that it became one: its number would tell them how many orders
    of its series they cannot see."""
    if request.acsa_order_id is None:
        return None
    return (
        acsa_policy.orders_visible(person)
        .select_related("situation_type")
        .filter(pk=request.acsa_order_id)
        .first()
    )


# --- requests for support ------------------------------------------------------------------


# A request waits for its supporting organization in these statuses.
ANSWER_AWAITED = (SupportRequest.Status.SUBMITTED, SupportRequest.Status.ACKNOWLEDGED)


def waiting_for(*, person: Person, latest: int = 3) -> dict[str, Any]:
    """What needs the person now in coordination, over what they may see: entries awaiting
    their translation or vetting, requests for support awaiting their organization's answer,
    and the open real-world situations they sit in with their latest entries."""
    reach = policy.log_reach(person)
    vetting_bodies = policy.bodies_where(person, Role.COORDINATOR)
    situations = list(
        policy.situations_visible(person)
        .filter(status=Situation.Status.OPEN)
        .exclude(kind=Situation.Kind.EXERCISE)  # exercises have their own panel
        .order_by("-starts_at")[:10]
    )
    to_answer = (
        policy.requests_visible(person)
        .filter(
            status__in=ANSWER_AWAITED,
            supporting_organization_id__in=policy.organization_ids(person),
        )
        .select_related("situation", "requesting_organization")
        .order_by("needed_by")
    )
    to_vet = LogEntry.objects.filter(
        reach.q(), significant=True, vetted_at__isnull=True, body_id__in=vetting_bodies
    )
    return {
        "translation": len(translation_queue(person=person)),
        "vetting": to_vet.count() if vetting_bodies else 0,
        "requests": list(to_answer[:10]),
        "requests_count": to_answer.count(),
        "situations": [
            (s, entries_page(person=person, situation=s, limit=latest, reach=reach))
            for s in situations
        ],
    }


def requests_of(*, person: Person, situation: Situation) -> QuerySet[SupportRequest]:
    return (
        policy.requests_visible(person)
        .filter(situation=situation)
        .select_related("body", "requesting_organization", "supporting_organization")
        .prefetch_related("lines__category")
        .order_by("-created_at")
    )


def request_get(*, person: Person, public_id: str) -> SupportRequest:
    return get_public_or_404(
        policy.requests_visible(person)
        .select_related(
            "situation", "body", "requesting_organization", "supporting_organization", "created_by"
        )
        .prefetch_related(
            "lines__category",
            Prefetch(
                "events",
                queryset=RequestEvent.objects.select_related("actor", "from_body", "to_body"),
            ),
        ),
        public_id,
    )


# --- resources committed -------------------------------------------------------------------


@dataclass(frozen=True)
class Totals:
    personnel: int = 0
    ships: int = 0
    aircraft: int = 0
    # Any figure in it approximate ("about"), as its source gave it.
    approximate: bool = False

    def __add__(self, other: Totals) -> Totals:
        return Totals(
            self.personnel + other.personnel,
            self.ships + other.ships,
            self.aircraft + other.aircraft,
            self.approximate or other.approximate,
        )


def _reports(situation: Situation) -> list[ResourceReport]:
    return list(situation.resource_reports.select_related("organization").order_by("as_of", "pk"))


def resource_series(situation: Situation) -> dict[str, list[tuple[datetime, Totals]]]:
    """Per nation, the totals after each report: each organization's latest figures summed."""
    latest: dict[str, dict[int, Totals]] = defaultdict(dict)
    series: dict[str, list[tuple[datetime, Totals]]] = defaultdict(list)
    for report in _reports(situation):
        nation = report.organization.nation_id
        latest[nation][report.organization_id] = Totals(
            report.personnel, report.ships, report.aircraft, report.approximate
        )
        total = sum(latest[nation].values(), Totals())
        points = series[nation]
        if points and points[-1][0] == report.as_of:
            points[-1] = (report.as_of, total)
        else:
            points.append((report.as_of, total))
    return dict(series)


def resource_totals(series: dict[str, list[tuple[datetime, Totals]]]) -> dict[str, Totals]:
    """Per nation, what is committed now: the last point of each `resource_series`."""
    return {nation: points[-1][1] for nation, points in series.items()}


def situation_type_for_order(order: Order, on: date) -> SituationType | None:
    """The resolver the ACSA eligibility check consults (registered in apps.py): for an order
    made from a request for support, the designation in force for the request's situation
    on that day (at its end, or now if sooner); None for an order made outside any
    situation, which keeps the type it names."""
    request = SupportRequest.objects.filter(acsa_order=order).select_related("situation").first()
    if request is None:
        return None
    # `on` is a date of the place: its end is the end of that day in Japan, not in UTC.
    moment = min(timezone.now(), datetime.combine(on, time.max, tzinfo=places.zone()))
    situation_type = designation_in_force(request.situation, moment)
    if situation_type is None:
        raise ValidationError(
            {
                "eligibility": _(
                    "%(situation)s has no legal designation in force on %(day)s, so nothing "
                    "may be provided under the ACSA for it."
                )
                % {"situation": request.situation.title, "day": on.isoformat()}
            }
        )
    return situation_type


def situations_on_map(person: Person, limit: int = 200) -> list[MapPlace]:
    """The shared map's situations layer: open real-world situations with a position that
    the person may see, by this app's own rule (coordination.policy). Exercises are on the
    map by their areas, under the exercises' own layer and mark."""
    rows = (
        policy.situations_visible(person)
        .filter(status=Situation.Status.OPEN, latitude__isnull=False, longitude__isnull=False)
        .exclude(kind=Situation.Kind.EXERCISE)
        .order_by("-starts_at")[:limit]
    )
    return [
        MapPlace(
            layer="situation",
            url=reverse("coordination:situation", args=[s.public_id]),
            title=s.title,
            latitude=float(s.latitude),  # type: ignore[arg-type]
            longitude=float(s.longitude),  # type: ignore[arg-type]
            note=f"{s.get_kind_display()} · {s.place_name}".rstrip(" ·"),
        )
        for s in rows
    ]
