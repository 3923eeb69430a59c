"""Demo data of the sharing app from the seed's story, as idempotent steps for `kizuna demo`:
clearances for the demo people, then items in every domain (the space and cyber working
groups, the SM-3 Block IIA intercept test of November 2020, ISR and maritime reports around
Keen Sword 21 and Yama Sakura 79), some releasable to both nations, some national only.
Positions and details are illustrative, not operational facts."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db.models import Q

from kizuna.core.demo import ILLUSTRATIVE, Step, with_origin
from kizuna.core.models import Person

from .models import Clearance, SharedItem
from .services import Marking, clearance_grant, item_create, item_translate

ALL_CAVEATS = ("originator-controlled", "no-copies", "exercise-only")
ALL_COMMUNITIES = ("scwg", "cdpwg", "bmd", "joint-isr", "maritime-watch")

# username: (level, caveats, communities)
CLEARANCES: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "jp-info": ("jpn-j3", ALL_CAVEATS, ALL_COMMUNITIES),
    "jp-coordinator": ("jpn-j2", ("exercise-only",), ("scwg", "cdpwg", "joint-isr")),
    "jp-exercise": ("jpn-j1", ("exercise-only",), ("exercise-control",)),
    "jp-ordering": ("jpn-j1", (), ()),
    "jp-approving": ("jpn-j1", (), ()),
    "jp-logistics": ("jpn-j1", (), ()),
    "jp-auditor": ("jpn-j1", (), ()),
    "jp-admin": ("jpn-j1", (), ()),
    "us-info": ("usa-u3", ALL_CAVEATS, ALL_COMMUNITIES),
    "us-coordinator": ("usa-u2", ("exercise-only",), ("scwg", "cdpwg", "joint-isr")),
    "us-exercise": ("usa-u1", ("exercise-only",), ()),
    "us-ordering": ("usa-u1", (), ()),
    "us-approving": ("usa-u1", (), ()),
    "us-logistics": ("usa-u1", (), ()),
    "us-auditor": ("usa-u1", (), ()),
    "us-admin": ("usa-u1", (), ()),
}

BOTH = ("JPN", "USA")
NATIONAL = ("national_only",)


@dataclass(frozen=True)
class DemoItem:
    author: str
    originator: str
    kind: str
    domain: str
    language: str
    title: str
    body: str
    marking: Marking
    translation: tuple[str, str] | None = None
    position: tuple[float, float] | None = None
    observed_at: datetime | None = None
    observation: str = ""


def _at(year: int, month: int, day: int, hour: int = 0) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


ITEMS = [
    DemoItem(
        "jp-info",
        "joint-staff",
        "space_report",
        "space",
        "ja",
        "第7回日米宇宙協力ワーキンググループ（SCWG）会合の概要",
        "2021年3月の第7回会合では、宇宙状況監視（SSA）に関する情報共有の強化、宇宙を利用した"
        "任務保証、宇宙分野の専門家の育成について意見を交換した。",
        Marking("jpn-j1", BOTH, communities=("scwg",)),
        translation=(
            "Summary of the 7th Japan-US Space Cooperation Working Group (SCWG)",
            "At the seventh meeting in March 2021 the sides discussed stronger sharing of space "
            "situational awareness (SSA) information, mission assurance using space, and "
            "training space specialists.",
        ),
    ),
    DemoItem(
        "us-info",
        "indopacom",
        "space_report",
        "space",
        "en",
        "Space situational report: debris conjunction warning in geostationary orbit",
        "SSA sensors predict a close approach between a debris object and a communications "
        "satellite in geostationary orbit. Operators of both nations are asked to review "
        "manoeuvre options.",
        Marking("usa-u1", BOTH),
        translation=(
            "宇宙状況報告：静止軌道におけるデブリ接近警報",
            "宇宙状況監視センサーにより、静止軌道上の通信衛星とデブリの接近が予測された。"
            "両国の運用者に回避の検討を求める。",
        ),
    ),
    DemoItem(
        "jp-info",
        "joint-staff",
        "cyber_alert",
        "cyber",
        "ja",
        "サイバー警報：防衛関連企業を狙った標的型メール",
        "防衛関連企業の職員を装った標的型メールを確認した。添付ファイルの開封に注意し、"
        "不審なメールは直ちに報告すること。日米サイバー防衛政策ワーキンググループで共有する。",
        Marking("jpn-j2", BOTH, communities=("cdpwg",)),
    ),
    DemoItem(
        "us-info",
        "indopacom",
        "cyber_alert",
        "cyber",
        "en",
        "Cyber alert: credential phishing against support contractors",
        "A credential phishing campaign targets contractors supporting U.S. forces in Japan. "
        "Reset exposed passwords and report suspicious sign-in pages.",
        Marking("usa-u2", NATIONAL),
    ),
    DemoItem(
        "us-info",
        "indopacom",
        "report",
        "amd",
        "en",
        "SM-3 Block IIA intercepts an ICBM-class target (November 2020)",
        "In November 2020 an SM-3 Block IIA interceptor, developed jointly by Japan and the "
        "United States, intercepted an intercontinental ballistic missile-class target in a "
        "flight test northeast of Hawaii.",
        Marking("usa-u1", BOTH, communities=("bmd",)),
        translation=(
            "SM-3ブロックⅡAによるICBM級目標の迎撃（2020年11月）",
            "2020年11月、日米共同開発の能力向上型迎撃ミサイルSM-3ブロックⅡAが、ハワイ北東での"
            "飛行試験において大陸間弾道ミサイル級の目標を迎撃した。",
        ),
        position=(21.5, -154.5),
        observed_at=_at(2020, 11, 17, 0),
        observation="Intercept of the target during the flight test (illustrative position).",
    ),
    DemoItem(
        "jp-info",
        "joint-staff",
        "report",
        "amd",
        "ja",
        "能力向上型迎撃ミサイル共同開発の評価（国内限り）",
        "弾道ミサイル防衛用能力向上型迎撃ミサイル（SM-3ブロックⅡA）の配備に向けた国内の"
        "評価と課題をまとめた。",
        Marking("jpn-j2", NATIONAL, communities=("bmd",)),
    ),
    DemoItem(
        "jp-coordinator",
        "joint-staff",
        "isr_report",
        "isr",
        "ja",
        "キーン・ソード21期間中の共同ISR：不明艦艇の追尾",
        "日米共同統合演習キーン・ソード21の期間中、共同のISR活動により東シナ海を北東へ航行する"
        "艦艇1隻を追尾した。",
        Marking("jpn-j1", BOTH, communities=("joint-isr",)),
        position=(29.0, 125.5),
        observed_at=_at(2020, 10, 28, 3),
        observation="艦艇1隻、北東へ約12ノットで航行",
    ),
    DemoItem(
        "us-coordinator",
        "usfj",
        "isr_report",
        "isr",
        "en",
        "ISR report: unidentified aircraft near Yonaguni during Keen Sword 21",
        "A maritime patrol aircraft observed an unidentified aircraft west of Yonaguni.",
        Marking("usa-u2", NATIONAL),
        position=(24.5, 122.5),
        observed_at=_at(2020, 10, 30, 5),
        observation="One aircraft, heading south-west, no transponder",
    ),
    DemoItem(
        "jp-info",
        "joint-staff",
        "maritime_contact",
        "maritime",
        "ja",
        "海洋監視：対馬海峡を南下する船舶",
        "警戒監視活動中の哨戒機が、対馬海峡を南下する船舶を確認した。",
        Marking("jpn-j1", BOTH, communities=("maritime-watch",)),
        position=(34.3, 129.6),
        observed_at=_at(2020, 11, 2, 1),
        observation="貨物船1隻、南西へ航行、船名不明",
    ),
    DemoItem(
        "us-coordinator",
        "usfj",
        "maritime_contact",
        "maritime",
        "en",
        "Maritime contact report: vessel loitering off Guam",
        "A vessel has loitered near the approaches to Apra Harbor for two days.",
        Marking("usa-u1", BOTH),
        position=(13.6, 144.4),
        observed_at=_at(2020, 11, 5, 22),
        observation="Fishing-type vessel, stationary, AIS off",
    ),
    DemoItem(
        "jp-coordinator",
        "joint-staff",
        "report",
        "logistics",
        "ja",
        "ヤマサクラ79（YS-79）指揮所演習の教訓：言語と時差の壁",
        "日米共同方面隊指揮所演習ヤマサクラ79では、日本、ワシントン州、ハワイの3つの時差と"
        "言語の壁を越えて、通信で結ばれた参加者が共同で対処した。",
        Marking("jpn-j1", BOTH, caveats=("exercise-only",)),
        translation=(
            "Yama Sakura 79 (YS-79) lessons: the language and time-zone barriers",
            "In the Yama Sakura 79 command-post exercise, participants linked by communications "
            "across Japan, Washington State and Hawaii worked together across three time zones "
            "and two languages.",
        ),
    ),
    DemoItem(
        "jp-info",
        "joint-staff",
        "report",
        "disaster",
        "ja",
        "南海トラフ地震を想定した日米共同対処の調整事項",
        "大規模災害時の日米共同調整所の設置、輸送支援の要請手順、燃料と宿泊の提供について"
        "整理した。",
        Marking("jpn-j1", BOTH),
    ),
    DemoItem(
        "us-info",
        "indopacom",
        "report",
        "logistics",
        "en",
        "Fuel and food provided to U.S. forces during information-gathering activities",
        "Since April 2017 the SDF has provided food and fuel under the ACSA to U.S. forces "
        "engaged in information-gathering activities.",
        Marking("usa-u1", BOTH),
    ),
]


def _clearance_step(username: str) -> Callable[[], None]:
    level, caveats, communities = CLEARANCES[username]

    # Clearances and shared items are made up to show the rules at work.
    @with_origin(ILLUSTRATIVE)
    def load() -> None:
        person = Person.objects.get(username=username)
        current = Clearance.objects.filter(person=person).first()
        if current is None or current.level.code != level:
            clearance_grant(
                actor=None, person=person, level=level, caveats=caveats, communities=communities
            )

    return load


def _item_step(spec: DemoItem) -> Callable[[], None]:
    # Positions and details are illustrative (see the module's docstring).
    @with_origin(ILLUSTRATIVE)
    def load() -> None:
        if SharedItem.objects.filter(Q(title_ja=spec.title) | Q(title_en=spec.title)).exists():
            return
        author = Person.objects.get(username=spec.author)
        item = item_create(
            person=author,
            kind=spec.kind,
            domain=spec.domain,
            originator=author.memberships.get(organization__code=spec.originator).organization,
            original_language=spec.language,
            title=spec.title,
            body=spec.body,
            marking=spec.marking,
            latitude=spec.position[0] if spec.position else None,
            longitude=spec.position[1] if spec.position else None,
            observed_at=spec.observed_at,
            observation=spec.observation,
        )
        if spec.translation:
            # A liaison of the other nation gives the translation.
            other = "jp-info" if spec.author.startswith("us-") else "us-info"
            translator = Person.objects.get(username=other)
            item_translate(
                person=translator,
                item=item,
                title=spec.translation[0],
                body=spec.translation[1],
            )

    return load


def steps() -> Iterator[Step]:
    for username in CLEARANCES:
        yield f"clearance {username}", _clearance_step(username)
    for spec in ITEMS:
        yield f"shared item {spec.title[:20]}", _item_step(spec)
