"""Generated clearances and markings for the property tests of apps whose records are
marked (coordination log entries, ACSA orders), with the marking rule written again here,
independently of sharing.policy, against the reference data of sharing migration 0002.

Sharing's own property test generates the equivalence table as well and keeps its own
world (tests/sharing/test_properties.py)."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import strategies as st

from kizuna.core.models import Organization, Person
from kizuna.sharing.marking import Marking
from kizuna.sharing.models import ClassificationLevel, Clearance, Community, HandlingCaveat
from kizuna.sharing.models import MarkingSet as MarkingRow
from kizuna.sharing.services import marking_set, resolve_marking

LEVELS = {
    "JPN": ("jpn-j1", "jpn-j2", "jpn-j3"),
    "USA": ("usa-u1", "usa-u2", "usa-u3"),
    "AUS": ("aus-a1",),
}
RANK = {code: int(code[-1]) for codes in LEVELS.values() for code in codes}
# The reference equivalences: jN and uN both ways, a1 with j1 and u1 both ways.
EQUAL = {("jpn-j1", "usa-u1"), ("jpn-j2", "usa-u2"), ("jpn-j3", "usa-u3")}
EQUAL |= {("aus-a1", "jpn-j1"), ("aus-a1", "usa-u1")}
EQUAL |= {(b, a) for a, b in EQUAL}
CAVEATS = ("originator-controlled", "no-copies")
COMMUNITIES = ("scwg", "bmd")


@dataclass(frozen=True)
class ClearanceSpec:
    nation: str
    level: str
    caveats: frozenset[str]
    communities: frozenset[str]


@dataclass(frozen=True)
class MarkingSpec:
    level: str
    releasable_to: frozenset[str]
    caveats: frozenset[str]
    communities: frozenset[str]


@st.composite
def clearances(draw: st.DrawFn, nations: tuple[str, ...] = ("JPN", "USA")) -> ClearanceSpec:
    nation = draw(st.sampled_from(nations))
    return ClearanceSpec(
        nation,
        draw(st.sampled_from(LEVELS[nation])),
        draw(st.frozensets(st.sampled_from(CAVEATS))),
        draw(st.frozensets(st.sampled_from(COMMUNITIES))),
    )


@st.composite
def markings(
    draw: st.DrawFn, originator: str, must_release: frozenset[str] = frozenset()
) -> MarkingSpec:
    """A marking an organization of `originator` may set: one of its nation's levels,
    released to its own nation and to `must_release`, perhaps to others too, and at most one
    caveat and one community."""
    others = st.frozensets(st.sampled_from([n for n in LEVELS if n != originator]))
    return MarkingSpec(
        draw(st.sampled_from(LEVELS[originator])),
        draw(others) | must_release | {originator},
        draw(st.frozensets(st.sampled_from(CAVEATS), max_size=1)),
        draw(st.frozensets(st.sampled_from(COMMUNITIES), max_size=1)),
    )


def allows(clearance: ClearanceSpec, marking: MarkingSpec) -> bool:
    """The marking rule, restated: nation released, level covered in the holder's own
    nation or through an equivalence, every caveat and community held."""

    def covers(level: str) -> bool:
        return level[:3] == clearance.level[:3] and RANK[level] <= RANK[clearance.level]

    return (
        clearance.nation in marking.releasable_to
        and (covers(marking.level) or any(a == marking.level and covers(b) for a, b in EQUAL))
        and marking.caveats <= clearance.caveats
        and marking.communities <= clearance.communities
    )


def clear(person: Person, spec: ClearanceSpec) -> None:
    """Give `person` the clearance `spec` names (directly: the grant's own checks are
    sharing's tests' business)."""
    clearance = Clearance.objects.create(
        person=person, level=ClassificationLevel.objects.get(code=spec.level)
    )
    clearance.caveats.set(HandlingCaveat.objects.filter(code__in=spec.caveats))
    clearance.communities.set(Community.objects.filter(code__in=spec.communities))


def mark(spec: MarkingSpec, originator: Organization) -> MarkingRow:
    """The marking row for `spec`, made as the services make it."""
    marking = Marking(
        spec.level, tuple(spec.releasable_to), tuple(spec.caveats), tuple(spec.communities)
    )
    return marking_set(resolve_marking(marking, originator=originator))
