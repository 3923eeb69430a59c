"""Remembered access decisions (core.access): every table that decides access draws a new
token when it changes, and a remembered answer is only ever given back under its own token."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from kizuna.coordination.models import Body, Situation
from kizuna.core import access
from kizuna.core.models import AccessEpoch, Membership, Organization, Person, Role
from kizuna.sharing.marking import Marking
from kizuna.sharing.models import (
    ClassificationLevel,
    Clearance,
    HandlingCaveat,
    LevelEquivalence,
)
from kizuna.sharing.services import marking_set, resolve_marking

pytestmark = pytest.mark.django_db

# What decides what a person sees: their memberships and flags (core), their clearance and
# the marking rules (sharing), who sits where and who leads what (coordination).
WATCHED = {
    "core_membership",
    "core_person",
    "sharing_classificationlevel",
    "sharing_levelequivalence",
    "sharing_clearance",
    "sharing_clearance_caveats",
    "sharing_clearance_communities",
    "sharing_markingset",
    "sharing_markingset_releasable_to",
    "sharing_markingset_caveats",
    "sharing_markingset_communities",
    "coordination_body_organizations",
    "coordination_body",
    "coordination_situation",
}


def test_every_table_that_decides_access_is_watched() -> None:
    # On SQLite a migration that rebuilds a table drops its triggers: this says which.
    assert access.tables_with_triggers() == WATCHED
    # ... and the migrations name every one of them, as a restored database is checked.
    assert access.watched_tables() == WATCHED


def draws_new_token(change: Callable[[], Any]) -> bool:
    before = access.current_token()
    change()
    return access.current_token() != before


@pytest.fixture
def person(make_person: Callable[..., Person]) -> Person:
    return make_person("watched", role=Role.COORDINATOR, org="joint-staff", clearance="jpn-j2")


@pytest.fixture
def usfj(db: None) -> Organization:
    return Organization.objects.create(
        code="usfj", name_ja="在日米軍", name_en="USFJ", kind="joint_staff", nation_id="USA"
    )


@pytest.fixture
def situation(person: Person) -> Situation:
    return Situation.objects.create(
        title_ja="訓練",
        title_en="exercise",
        kind="exercise",
        starts_at=timezone.now(),
        lead_organization=Organization.objects.get(code="joint-staff"),
    )


def test_changes_of_people_memberships_and_clearances_draw_a_new_token(
    person: Person, usfj: Organization
) -> None:
    clearance = Clearance.objects.get(person=person)
    caveat = HandlingCaveat.objects.first()
    assert caveat is not None
    assert draws_new_token(
        lambda: Membership.objects.create(person=person, organization=usfj, role=Role.AUDITOR)
    )
    assert draws_new_token(lambda: Membership.objects.filter(organization=usfj).delete())
    assert draws_new_token(lambda: Person.objects.filter(pk=person.pk).update(is_active=False))
    assert draws_new_token(lambda: Person.objects.filter(pk=person.pk).update(is_superuser=True))
    assert draws_new_token(lambda: clearance.caveats.add(caveat))
    assert draws_new_token(lambda: clearance.caveats.remove(caveat))
    assert draws_new_token(
        lambda: Clearance.objects.filter(pk=clearance.pk).update(
            level=ClassificationLevel.objects.get(code="jpn-j3")
        )
    )
    # Signing in changes a person's row too, but not what they may see.
    assert not draws_new_token(
        lambda: Person.objects.filter(pk=person.pk).update(last_login=timezone.now())
    )


def test_changes_of_levels_equivalences_and_markings_draw_a_new_token(person: Person) -> None:
    j3, u3 = ClassificationLevel.objects.filter(code__in=["jpn-j3", "usa-u3"]).order_by("code")
    joint_staff = Organization.objects.get(code="joint-staff")
    assert draws_new_token(lambda: LevelEquivalence.objects.filter(level=u3).delete())
    assert draws_new_token(lambda: LevelEquivalence.objects.create(level=u3, equivalent=j3))
    assert draws_new_token(lambda: ClassificationLevel.objects.filter(pk=j3.pk).update(rank=9))
    assert draws_new_token(
        lambda: marking_set(
            resolve_marking(Marking("jpn-j3", ("JPN", "AUS")), originator=joint_staff)
        )
    )


def test_changes_of_bodies_and_situations_draw_a_new_token(
    situation: Situation, usfj: Organization
) -> None:
    body = Body.objects.create(
        situation=situation,
        kind=Body.Kind.CCC,
        code="ccc-x",
        name_ja="調整所",
        name_en="CCC",
        stood_up_at=timezone.now(),
    )
    assert draws_new_token(lambda: body.organizations.add(usfj))
    assert draws_new_token(lambda: body.organizations.remove(usfj))
    assert draws_new_token(lambda: Body.objects.filter(pk=body.pk).update(situation=None))
    assert draws_new_token(
        lambda: Situation.objects.filter(pk=situation.pk).update(lead_organization=usfj)
    )
    # Every entry posted moves the situation's counters: that decides nothing.
    assert not draws_new_token(lambda: Situation.objects.filter(pk=situation.pk).update(last_seq=9))


def test_an_answer_is_remembered_until_a_watched_row_changes(person: Person) -> None:
    decided: list[int] = []

    def decide() -> int:
        decided.append(1)
        return len(decided)

    access.forget_all()
    assert access.remembered("test", person.pk, decide) == 1
    assert access.remembered("test", person.pk, decide) == 1
    assert access.remembered("other kind", person.pk, decide) == 2
    Membership.objects.filter(person=person).update(role=Role.INFORMATION_MANAGER)
    assert access.remembered("test", person.pk, decide) == 3
    # Answers under older tokens are dropped, not kept until the process is full.
    assert list(access._answers.by_key.values()) == [3]


def test_a_token_drawn_in_a_rolled_back_transaction_never_comes_back(person: Person) -> None:
    before = access.current_token()
    seen: list[str | None] = []

    def change_then_fail() -> None:
        with transaction.atomic():
            Membership.objects.filter(person=person).delete()
            seen.append(access.current_token())
            raise RuntimeError

    with pytest.raises(RuntimeError):
        change_then_fail()
    rolled_back = seen[0]
    assert rolled_back != before
    assert access.current_token() == before
    Membership.objects.filter(person=person).delete()
    assert access.current_token() not in {before, rolled_back}


def test_without_a_token_nothing_is_remembered(person: Person) -> None:
    AccessEpoch.objects.all().delete()
    decided: list[int] = []
    for _ in range(2):
        access.remembered("test", person.pk, lambda: decided.append(1))
    assert len(decided) == 2
