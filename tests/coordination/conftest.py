"""A fixed cast for coordination tests: a situation with the ACM's three levels stood up.

ACG: cas, joint-staff, usfj · BOCC: joint-staff, usfj (escalates to the ACG) ·
CCC: western-army, iii-mef (escalates to the BOCC). `outsider` sits in none of them.
Everyone is cleared at their nation's level 2, but the Japanese coordinator at level 3 (so
they can post what the others may not read) and the auditor at level 3.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from kizuna.coordination import services
from kizuna.coordination.models import Body, Situation
from kizuna.core.models import Organization, Person, Role


@dataclass
class Cast:
    jp_coordinator: Person
    us_coordinator: Person
    jp_liaison: Person
    us_liaison: Person
    wa_officer: Person
    mef_officer: Person
    outsider: Person
    auditor: Person
    situation: Situation
    acg: Body
    bocc: Body
    ccc: Body


@pytest.fixture(autouse=True)
def quick_passwords(settings: object) -> None:
    """The cast signs in by force_login; hashing nine Argon2 passwords per test buys nothing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


def org(code: str) -> Organization:
    return Organization.objects.get(code=code)


@pytest.fixture
def cast(make_person: Callable[..., Person]) -> Cast:
    jp_coordinator = make_person(
        "jp-co", role=Role.COORDINATOR, org="joint-staff", clearance="jpn-j3"
    )
    us_coordinator = make_person(
        "us-co", nation="USA", role=Role.COORDINATOR, org="usfj", language="en", clearance="usa-u2"
    )
    jp_liaison = make_person(
        "jp-li", role=Role.INFORMATION_MANAGER, org="joint-staff", clearance="jpn-j2"
    )
    us_liaison = make_person(
        "us-li",
        nation="USA",
        role=Role.INFORMATION_MANAGER,
        org="usfj",
        language="en",
        clearance="usa-u2",
    )
    wa_officer = make_person(
        "wa-lo", role=Role.LOGISTICS_OFFICER, org="western-army", clearance="jpn-j2"
    )
    mef_officer = make_person(
        "mef-lo",
        nation="USA",
        role=Role.LOGISTICS_OFFICER,
        org="iii-mef",
        language="en",
        clearance="usa-u2",
    )
    make_person("cas-co", role=Role.COORDINATOR, org="cas", clearance="jpn-j2")
    outsider = make_person(
        "outsider", role=Role.COORDINATOR, org="kumamoto-pref", clearance="jpn-j2"
    )
    auditor = make_person("auditor", role=Role.AUDITOR, org="mod", clearance="jpn-j3")
    situation = services.situation_open(
        actor=jp_coordinator,
        organization=org("joint-staff"),
        title_ja="熊本地震",
        title_en="Kumamoto earthquake",
        kind=Situation.Kind.DISASTER,
        starts_at=timezone.now() - timedelta(days=2),
        place_name="熊本県 Kumamoto",
    )
    acg = services.body_stand_up(
        actor=jp_coordinator,
        situation=situation,
        kind=Body.Kind.ACG,
        code="t-acg",
        name_ja="同盟調整グループ",
        name_en="Alliance Coordination Group",
        short_name="ACG",
        organizations=[org("cas"), org("joint-staff"), org("usfj")],
    )
    bocc = services.body_stand_up(
        actor=jp_coordinator,
        situation=situation,
        kind=Body.Kind.BOCC,
        code="t-bocc",
        name_ja="共同運用調整所",
        name_en="Bilateral Operations Coordination Center",
        short_name="BOCC",
        parent=acg,
        organizations=[org("joint-staff"), org("usfj")],
    )
    ccc = services.body_stand_up(
        actor=jp_coordinator,
        situation=situation,
        kind=Body.Kind.CCC,
        code="t-ccc",
        name_ja="日米共同調整所",
        name_en="Bilateral coordination centre",
        short_name="CCC",
        parent=bocc,
        organizations=[org("western-army"), org("iii-mef"), org("joint-staff")],
    )
    return Cast(
        jp_coordinator,
        us_coordinator,
        jp_liaison,
        us_liaison,
        wa_officer,
        mef_officer,
        outsider,
        auditor,
        situation,
        acg,
        bocc,
        ccc,
    )


def hours_ago(hours: float) -> datetime:
    return datetime.now(UTC) - timedelta(hours=hours)
