"""Demo organizations and people from the seed's story. Loaded by `kizuna demo`, idempotently."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import datetime
from types import ModuleType
from typing import Any
from unittest import mock

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import fields as model_fields
from django.db.models.signals import post_save
from django.utils import timezone

from . import audit
from .models import AuditEvent, Nation, Organization, Person, Provenance, Role
from .services import membership_grant, organization_save, person_save

DEMO_PASSWORD = "kizuna-demo"
SEED_TITLE = "Defense of Japan 2021, Part III, Chapter 2, Section 2"

# What the demo records being made now come from: (kind, reference), innermost last.
_origins: list[tuple[str, str]] = []


def seed(where: str) -> tuple[str, str]:
    """From the seed, at `where` (a section, column or figure of it)."""
    return Provenance.Kind.SEED, f"{SEED_TITLE}, {where}"


ILLUSTRATIVE = (Provenance.Kind.ILLUSTRATIVE, "")


@contextmanager
def origin(kind_and_reference: tuple[str, str]) -> Iterator[None]:
    """Every record saved for the first time inside this block carries this provenance (the
    innermost block's). Records made outside any block carry none, which the demo's test
    refuses."""
    _origins.append(kind_and_reference)
    post_save.connect(_record, weak=False, dispatch_uid="kizuna-demo-provenance")
    try:
        yield
    finally:
        _origins.pop()
        if not _origins:
            post_save.disconnect(dispatch_uid="kizuna-demo-provenance")


class Clock:
    """What services (and the audit chain) read as `timezone` while a past step of the
    demo is entered, so that each history step is stamped at its own time, not at the time
    the demo is loaded."""

    def __init__(self, moment: datetime) -> None:
        self._now = moment

    def now(self) -> datetime:
        return self._now

    def __getattr__(self, name: str) -> Any:
        # Everything else (is_naive, make_aware, …) as django.utils.timezone has it.
        return getattr(timezone, name)


@contextmanager
def as_of(moment: datetime, *modules: ModuleType) -> Iterator[None]:
    """Inside, `modules`, the audit chain and the models' creation stamps (auto_now_add)
    read the clock as `moment`."""
    clock = Clock(moment)
    with ExitStack() as stack:
        for module in (*modules, audit, model_fields):
            stack.enter_context(mock.patch.object(module, "timezone", clock))
        yield


def _record(sender: type[models.Model], instance: models.Model, created: bool, **_: Any) -> None:
    if not created or not _origins or sender in (Provenance, AuditEvent):
        return
    kind, reference = _origins[-1]
    Provenance.objects.get_or_create(
        content_type=ContentType.objects.get_for_model(sender),
        object_id=str(instance.pk),
        defaults={"kind": kind, "reference": reference},
    )


JAPAN = ["Asia/Tokyo", "America/Los_Angeles", "Pacific/Honolulu"]
WASHINGTON = ["America/Los_Angeles", "Asia/Tokyo", "Pacific/Honolulu"]
HAWAII = ["Pacific/Honolulu", "Asia/Tokyo", "America/Los_Angeles"]


@dataclass(frozen=True)
class DemoOrganization:
    code: str
    nation: str
    kind: str
    name_ja: str
    name_en: str
    short_name: str = ""
    parent: str | None = None


# Named in the seed (units in §3, the Yama Sakura and 306th Squadron columns, §6 and §7),
# with the ministries and commands the Alliance Coordination Mechanism brings in.
ORGANIZATIONS = [
    DemoOrganization("cas", "JPN", "ministry", "内閣官房", "Cabinet Secretariat", "CAS"),
    DemoOrganization("mofa", "JPN", "ministry", "外務省", "Ministry of Foreign Affairs", "MOFA"),
    DemoOrganization("mod", "JPN", "ministry", "防衛省", "Ministry of Defense", "MOD"),
    DemoOrganization(
        "joint-staff", "JPN", "joint_staff", "統合幕僚監部", "Joint Staff", "JS", "mod"
    ),
    DemoOrganization(
        "gsdf-western-army",
        "JPN",
        "ground",
        "陸上自衛隊西部方面隊",
        "JGSDF Western Army",
        "WA",
        "mod",
    ),
    DemoOrganization(
        "asdf-6aw", "JPN", "air", "航空自衛隊第6航空団", "JASDF 6th Air Wing", "6AW", "mod"
    ),
    DemoOrganization(
        "asdf-306sq",
        "JPN",
        "air",
        "第6航空団第306飛行隊",
        "306th Tactical Fighter Squadron",
        "306TFS",
        "asdf-6aw",
    ),
    DemoOrganization(
        "msdf-training-squadron",
        "JPN",
        "maritime",
        "海上自衛隊練習艦隊",
        "JMSDF Training Squadron",
        "TS",
        "mod",
    ),
    DemoOrganization(
        "kumamoto-pref", "JPN", "local_government", "熊本県", "Kumamoto Prefecture", "KMM"
    ),
    DemoOrganization(
        "us-embassy-tokyo", "USA", "ministry", "在日米国大使館", "U.S. Embassy Tokyo", "AMEMB"
    ),
    DemoOrganization(
        "indopacom",
        "USA",
        "joint_staff",
        "米インド太平洋軍",
        "U.S. Indo-Pacific Command",
        "INDOPACOM",
    ),
    DemoOrganization(
        "usfj", "USA", "joint_staff", "在日米軍", "U.S. Forces Japan", "USFJ", "indopacom"
    ),
    DemoOrganization(
        "us-army-i-corps",
        "USA",
        "ground",
        "米陸軍第1軍団",
        "U.S. Army I Corps",
        "I Corps",
        "indopacom",
    ),
    DemoOrganization(
        "pacaf", "USA", "air", "米太平洋空軍", "Pacific Air Forces", "PACAF", "indopacom"
    ),
    DemoOrganization(
        "pacaf-34ebs",
        "USA",
        "air",
        "第34遠征爆撃飛行隊",
        "34th Expeditionary Bomb Squadron",
        "34EBS",
        "pacaf",
    ),
    DemoOrganization(
        "iii-mef",
        "USA",
        "marine",
        "第3海兵機動展開部隊",
        "III Marine Expeditionary Force",
        "III MEF",
        "indopacom",
    ),
]


@dataclass(frozen=True)
class DemoPerson:
    username: str
    role: Role
    organization: str
    name_ja: str
    name_en: str
    position: str
    zones: list[str]
    language: str


# One demo person per role on each side. Names are fictional.
PEOPLE = [
    DemoPerson(
        "jp-ordering",
        Role.ORDERING_OFFICIAL,
        "gsdf-western-army",
        "山田 太郎",
        "Taro Yamada",
        "補給科長 / Supply officer",
        JAPAN,
        "ja",
    ),
    DemoPerson(
        "jp-approving",
        Role.APPROVING_OFFICIAL,
        "joint-staff",
        "佐藤 花子",
        "Hanako Sato",
        "後方補給官 / Logistics director",
        JAPAN,
        "ja",
    ),
    DemoPerson(
        "jp-logistics",
        Role.LOGISTICS_OFFICER,
        "asdf-6aw",
        "鈴木 一郎",
        "Ichiro Suzuki",
        "補給隊長 / Supply squadron commander",
        JAPAN,
        "ja",
    ),
    DemoPerson(
        "jp-coordinator",
        Role.COORDINATOR,
        "joint-staff",
        "高橋 智子",
        "Tomoko Takahashi",
        "運用調整官 / Operations coordinator",
        JAPAN,
        "ja",
    ),
    DemoPerson(
        "jp-info",
        Role.INFORMATION_MANAGER,
        "joint-staff",
        "田中 健",
        "Ken Tanaka",
        "情報管理官 / Information manager",
        JAPAN,
        "ja",
    ),
    DemoPerson(
        "jp-exercise",
        Role.EXERCISE_CONTROLLER,
        "gsdf-western-army",
        "伊藤 誠",
        "Makoto Ito",
        "演習統制官 / Exercise controller",
        JAPAN,
        "ja",
    ),
    DemoPerson(
        "jp-auditor",
        Role.AUDITOR,
        "mod",
        "渡辺 直美",
        "Naomi Watanabe",
        "監査官 / Auditor",
        JAPAN,
        "ja",
    ),
    DemoPerson(
        "jp-admin",
        Role.ADMINISTRATOR,
        "mod",
        "中村 亮",
        "Ryo Nakamura",
        "システム管理者 / System administrator",
        JAPAN,
        "ja",
    ),
    DemoPerson(
        "us-ordering",
        Role.ORDERING_OFFICIAL,
        "us-army-i-corps",
        "ジョン・ミラー",
        "John Miller",
        "G-4 supply officer",
        WASHINGTON,
        "en",
    ),
    DemoPerson(
        "us-approving",
        Role.APPROVING_OFFICIAL,
        "usfj",
        "サラ・デイビス",
        "Sarah Davis",
        "J-4 ACSA approving official",
        JAPAN,
        "en",
    ),
    DemoPerson(
        "us-logistics",
        Role.LOGISTICS_OFFICER,
        "pacaf",
        "マイケル・ブラウン",
        "Michael Brown",
        "A-4 logistics officer",
        HAWAII,
        "en",
    ),
    DemoPerson(
        "us-coordinator",
        Role.COORDINATOR,
        "usfj",
        "エミリー・ウィルソン",
        "Emily Wilson",
        "J-3 operations coordinator",
        JAPAN,
        "en",
    ),
    DemoPerson(
        "us-info",
        Role.INFORMATION_MANAGER,
        "indopacom",
        "デビッド・ムーア",
        "David Moore",
        "J-2 information manager",
        HAWAII,
        "en",
    ),
    DemoPerson(
        "us-exercise",
        Role.EXERCISE_CONTROLLER,
        "us-army-i-corps",
        "ジェームズ・テイラー",
        "James Taylor",
        "Exercise control group chief",
        WASHINGTON,
        "en",
    ),
    DemoPerson(
        "us-auditor",
        Role.AUDITOR,
        "indopacom",
        "リンダ・アンダーソン",
        "Linda Anderson",
        "Inspector general auditor",
        HAWAII,
        "en",
    ),
    DemoPerson(
        "us-admin",
        Role.ADMINISTRATOR,
        "usfj",
        "ロバート・トーマス",
        "Robert Thomas",
        "J-6 system administrator",
        JAPAN,
        "en",
    ),
]


Step = tuple[str, Callable[[], None]]


# Where the seed names each demo organization; the others (the ministries and commands the
# Alliance Coordination Mechanism brings in, from the 2015 Guidelines) are there to show the
# system at work.
NAMED_IN_SEED = {
    "gsdf-western-army": "the Yama Sakura (YS-79) column (§3)",
    "asdf-6aw": "the column of the 306th Squadron, 6th Air Wing (Komatsu, §3)",
    "asdf-306sq": "the column of the 306th Squadron, 6th Air Wing (Komatsu, §3)",
    "msdf-training-squadron": "§3 (training cruise with USS Ronald Reagan)",
    "kumamoto-pref": "§7 (2016 Kumamoto earthquake)",
    "usfj": "§7 (Operation Tomodachi)",
    "us-army-i-corps": "the Yama Sakura (YS-79) column (§3)",
    "pacaf": "the column of the 306th Squadron (§3)",
    "pacaf-34ebs": "the column of the 306th Squadron (§3)",
    "iii-mef": "§7 (US Marine Corps MV-22, 2016 Kumamoto earthquake)",
}


def _organization_step(spec: DemoOrganization) -> Callable[[], None]:
    where = NAMED_IN_SEED.get(spec.code)

    @with_origin(seed(where) if where else ILLUSTRATIVE)
    def load() -> None:
        organization_save(
            actor=None,
            code=spec.code,
            name_ja=spec.name_ja,
            name_en=spec.name_en,
            short_name=spec.short_name,
            nation=Nation.objects.get(code=spec.nation),
            kind=spec.kind,
            parent=Organization.objects.get(code=spec.parent) if spec.parent else None,
        )

    return load


def with_origin(
    kind_and_reference: tuple[str, str],
) -> Callable[[Callable[[], None]], Callable[[], None]]:
    """A demo step whose records all carry one provenance."""

    def wrap(load: Callable[[], None]) -> Callable[[], None]:
        def step() -> None:
            with origin(kind_and_reference):
                load()

        return step

    return wrap


def _person_step(spec: DemoPerson) -> Callable[[], None]:
    # Demo people are made up: the seed names no official.
    @with_origin(ILLUSTRATIVE)
    def load() -> None:
        person: Person = person_save(
            actor=None,
            username=spec.username,
            display_name_ja=spec.name_ja,
            display_name_en=spec.name_en,
            language=spec.language,
            time_zones=spec.zones,
            password=DEMO_PASSWORD,
            is_demo=True,
        )
        membership_grant(
            actor=None,
            person=person,
            organization=Organization.objects.get(code=spec.organization),
            role=spec.role,
            position=spec.position,
        )

    return load


def steps() -> Iterator[Step]:
    for organization in ORGANIZATIONS:
        yield f"organization {organization.code}", _organization_step(organization)
    for person in PEOPLE:
        yield f"person {person.username}", _person_step(person)
