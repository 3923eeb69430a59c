"""The one place that decides who sees which marked record, and who may change markings.

A person sees a record only if all of these hold:
- their clearance's nation is in the record's releasability;
- their clearance covers the record's level, directly (same nation, rank at or above) or
  through the administrators' equivalence table;
- they hold every handling caveat and every community of interest the record names.

`restrict(queryset, person)` turns that rule into a filter inside the query, for any model
that inherits `Marked`, so counts, searches, exports and related lists never see a hidden
row. The rule is decided on the distinct markings (`MarkingSet`, a few rows) in a subquery,
and records are filtered by `marking_id IN (...)`, which costs the same per row whatever
the marking names. Every selector of this app starts here; other apps adopt it the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TypeVar

from django.db.models import Exists, IntegerField, Model, OuterRef, Q, QuerySet, Value

from kizuna.core import access
from kizuna.core.models import Person, Role

from .models import (
    ClassificationLevel,
    Clearance,
    Community,
    HandlingCaveat,
    LevelEquivalence,
    MarkingChange,
    MarkingSet,
    ReadEvent,
    SharedItem,
)

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class Reach:
    """What one person's clearance opens: computed once per request, small sets of ids."""

    nation: str
    levels: frozenset[int]
    caveats: frozenset[int]
    communities: frozenset[int]


def clearance_of(person: Person) -> Clearance | None:
    if not person.is_authenticated or not person.is_active:
        return None
    try:
        return Clearance.objects.select_related("level").get(person=person)
    except Clearance.DoesNotExist:
        return None


def reach_of(person: Person) -> Reach | None:
    cached: Reach | None = getattr(person, "_sharing_reach", None)
    if cached is not None:
        return cached
    clearance = clearance_of(person)
    if clearance is None:
        return None
    # One query for the rest, as (kind, id) rows: the levels the clearance covers (its own
    # nation's up to its rank, and any level the equivalence table maps onto one of those),
    # then the caveats and the communities held. Every read starts here.
    own = ClassificationLevel.objects.filter(
        nation=clearance.level.nation_id, rank__lte=clearance.level.rank
    ).order_by()
    level, caveat, community = (Value(n, output_field=IntegerField()) for n in range(3))
    rows = own.values_list(level, "pk").union(
        LevelEquivalence.objects.filter(equivalent__in=own)
        .order_by()
        .values_list(level, "level_id"),
        Clearance.caveats.through.objects.filter(clearance=clearance).values_list(
            caveat, "handlingcaveat_id"
        ),
        Clearance.communities.through.objects.filter(clearance=clearance).values_list(
            community, "community_id"
        ),
        all=True,
    )
    held: tuple[set[int], set[int], set[int]] = (set(), set(), set())
    for kind, pk in rows:
        held[kind].add(pk)
    reach = Reach(
        nation=clearance.level.nation_id,
        levels=frozenset(held[0]),
        caveats=frozenset(held[1]),
        communities=frozenset(held[2]),
    )
    person._sharing_reach = reach  # type: ignore[attr-defined]
    return reach


def forget_reach(person: Person) -> None:
    """Drop what is cached on the person after their clearance or roles changed."""
    person.__dict__.pop("_sharing_reach", None)
    person.__dict__.pop("_sharing_roles", None)


def _rows_of(name: str, **match: object) -> QuerySet[Model]:
    """Rows of the marking's `name` relation for the outer marking, with `match` on the
    far side (`id`, `id__in`)."""
    field = MarkingSet._meta.get_field(name)
    through = field.remote_field.through  # type: ignore[union-attr]
    source = field.m2m_field_name()  # type: ignore[union-attr]
    target = field.m2m_reverse_field_name()  # type: ignore[union-attr]
    return through.objects.filter(
        **{source: OuterRef("pk")}, **{f"{target}_{k}": v for k, v in match.items()}
    )


def _names_only_held(name: str, held: frozenset[int]) -> Q:
    """No row of the marking's `name` relation outside what is held."""
    field = MarkingSet._meta.get_field(name)
    target = field.m2m_reverse_field_name()  # type: ignore[union-attr]
    outside = _rows_of(name).exclude(**{f"{target}_id__in": held})
    return ~Q(Exists(outside))


def visible_markings(person: Person) -> QuerySet[MarkingSet]:
    """The distinct markings `person` may read: the rule, applied to the small table."""
    reach = reach_of(person)
    if reach is None:
        return MarkingSet.objects.none()
    released = _rows_of("releasable_to", id=reach.nation)
    return MarkingSet.objects.filter(
        Q(level_id__in=reach.levels)
        & Q(Exists(released))
        & _names_only_held("caveats", reach.caveats)
        & _names_only_held("communities", reach.communities)
    )


def visible_marking_keys(person: Person) -> Mapping[int, str]:
    """The markings `person` may read, by id with each one's key (what a record shows of
    its marking). Decided by `visible_markings` and remembered between requests until a
    clearance, level, equivalence or marking changes (core.access)."""
    return access.remembered(
        "sharing.visible_markings",
        person.pk,
        lambda: MappingProxyType(dict(visible_markings(person).values_list("pk", "key"))),
    )


def marking_filter(person: Person, via: str = "") -> Q:
    """The access rule as a Q object for any model that inherits `Marked`, or for a model
    reaching one through `via` (e.g. "line__order__"). The markings are decided first
    (remembered, see above) and enter the records' query as a literal id list: a subquery
    there made PostgreSQL re-run the marking checks for every candidate row."""
    return Q(**{f"{via}marking_id__in": list(visible_marking_keys(person))})


def clears_all_of(person: Person, nation: str) -> bool:
    """Whether the person's clearance covers every marking a record levelled by `nation`
    and releasable to it could carry: a clearance of that nation covering all its levels,
    holding every handling caveat and every community of interest (but those reserved for
    one app's own records, which mark none of the records it is asked about). Decided on reference
    data and the clearance only, never on which records exist, so the answer tells nothing
    of hidden records (it decides who may read totals the law makes over all of them)."""
    reach = reach_of(person)
    if reach is None or reach.nation != nation:
        return False
    return not (
        ClassificationLevel.objects.filter(nation=nation).exclude(pk__in=reach.levels).exists()
        or HandlingCaveat.objects.exclude(pk__in=reach.caveats).exists()
        or Community.objects.filter(reserved_for="").exclude(pk__in=reach.communities).exists()
    )


def restrict(queryset: QuerySet[M], person: Person) -> QuerySet[M]:
    """The queryset cut down to what `person` may see."""
    return queryset.filter(marking_filter(person))


def visible(person: Person, queryset: QuerySet[M] | None = None) -> QuerySet[M]:
    """Shared items (or any marked queryset) `person` may see."""
    base = queryset if queryset is not None else SharedItem.objects.all()
    return restrict(base, person)  # type: ignore[arg-type]


def items_visible(person: Person) -> QuerySet[SharedItem]:
    return restrict(SharedItem.objects.all(), person)


def marking_changes_visible(person: Person) -> QuerySet[MarkingChange]:
    """Marking changes (and their reasons) of the items `person` may see."""
    return MarkingChange.objects.filter(marking_filter(person, "item__"))


def reads_visible(person: Person) -> QuerySet[ReadEvent]:
    """Read-audit lines of the items `person` may see: a line names its item."""
    return ReadEvent.objects.filter(marking_filter(person, "item__"))


def may_see(person: Person, item: SharedItem) -> bool:
    return visible(person).filter(pk=item.pk).exists()


# Who may act, beyond seeing.

CONTRIBUTOR_ROLES = (
    Role.COORDINATOR,
    Role.INFORMATION_MANAGER,
    Role.EXERCISE_CONTROLLER,
    Role.LOGISTICS_OFFICER,
    Role.ORDERING_OFFICIAL,
    Role.APPROVING_OFFICIAL,
)
TRANSLATOR_ROLES = (Role.COORDINATOR, Role.INFORMATION_MANAGER)


def _roles(person: Person) -> frozenset[tuple[str, str]]:
    """(role, nation) pairs the person holds, kept on the person for the request; from the
    memberships core.auth loaded with the signed-in person, so no query of its own."""
    cached: frozenset[tuple[str, str]] | None = getattr(person, "_sharing_roles", None)
    if cached is None:
        cached = frozenset((m.role, m.organization.nation_id) for m in person.membership_rows())
        person._sharing_roles = cached  # type: ignore[attr-defined]
    return cached


def _holds(person: Person, roles: tuple[str, ...], nation: str | None = None) -> bool:
    return any(r in roles and nation in (None, n) for r, n in _roles(person))


def may_contribute(person: Person) -> bool:
    """Staff who report (not auditors or administrators as such) and hold a clearance."""
    return _holds(person, CONTRIBUTOR_ROLES) and reach_of(person) is not None


def may_translate(person: Person) -> bool:
    return _holds(person, TRANSLATOR_ROLES) and reach_of(person) is not None


def may_change_marking(person: Person, item: SharedItem) -> bool:
    """Only an information manager of the originating nation changes an item's marking."""
    return _holds(person, (Role.INFORMATION_MANAGER,), item.originator.nation_id)


def is_information_manager(person: Person) -> bool:
    return _holds(person, (Role.INFORMATION_MANAGER,))


def may_view_reads(person: Person) -> bool:
    """The read audit is for auditors and administrators, as the audit chain is."""
    return person.is_superuser or _holds(person, (Role.AUDITOR, Role.ADMINISTRATOR))
