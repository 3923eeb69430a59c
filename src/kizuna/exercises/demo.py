"""Demo data of the exercises app, as idempotent steps for `kizuna demo`: every exercise and
training event the seed names (Defense of Japan 2021, Pt. III Ch. 2 Sec. 2), with the seed's
figures as it gives them (約 / about kept), and where in the seed each comes from. Where the
seed gives no figure the figure is left empty; where it gives no dates, none are invented.
Area positions put a named place on the shared map (its general location; the seed names
the place, not the coordinates).

Every record goes through the services as the Japanese exercise controller would make it.
The after-action reviews and YS-79's scenario are illustrative (the seed records neither),
marked so."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from kizuna.coordination import services as coordination
from kizuna.coordination.models import Body, Situation
from kizuna.core import demo, places
from kizuna.core.demo import Step
from kizuna.core.models import Nation, Organization, Person, Provenance

from . import services
from .models import Exercise, Inject, Lesson, Observation, Qualifier, Series
from .models import Provenance as ProvenanceChoice

S3 = "Defense of Japan 2021, III-2-2 §3 (共同訓練・演習)"
S1_CYBER = "Defense of Japan 2021, III-2-2 §1 (2) cyber (サイバー領域)"
S1_SPACE = "Defense of Japan 2021, III-2-2 §1 (1) space (宇宙領域)"
S2 = "Defense of Japan 2021, III-2-2 §2 (総合ミサイル防空)"
S7 = "Defense of Japan 2021, III-2-2 §7 (大規模災害への対処における協力)"
YS_COLUMN = "Defense of Japan 2021, III-2-2, VOICE column (YS / ヤマサクラ)"
SQ_COLUMN = "Defense of Japan 2021, III-2-2, VOICE column (第306飛行隊)"
APPROX = Qualifier.APPROXIMATE

SERIES = {
    "keen-sword": ("日米共同統合演習（キーン・ソード）", "Japan–US Joint Exercise (Keen Sword)"),
    "yama-sakura": (
        "日米共同方面隊指揮所演習（ヤマサクラ）",
        "Japan–US bilateral regional army command post exercise (Yama Sakura)",
    ),
    "forest-light": ("フォレストライト", "Forest Light"),
    "christmas-drop": ("クリスマス・ドロップ", "Christmas Drop"),
    "nankai-drill": (
        "日米共同統合防災訓練（南海トラフ地震）",
        "Japan–US joint integrated disaster prevention drill (Nankai Trough earthquake)",
    ),
}


@dataclass(frozen=True)
class Part:
    nation: str
    label_ja: str
    label_en: str
    organization: str | None = None
    personnel: int | None = None
    ships: int | None = None
    aircraft: int | None = None
    qualifier: str = Qualifier.EXACT
    assets_ja: str = ""
    assets_en: str = ""


@dataclass(frozen=True)
class Spec:
    name_ja: str
    name_en: str
    kind: str
    source: str
    precision: str = Exercise.Precision.UNKNOWN
    starts_on: date | None = None
    ends_on: date | None = None
    series: str | None = None
    domains: tuple[str, ...] = ()
    objectives: tuple[tuple[str, str], ...] = ()
    areas: tuple[tuple[str, str, float | None, float | None], ...] = ()
    parts: tuple[Part, ...] = ()
    notes: dict[str, tuple[str, str]] = field(default_factory=dict)


SDF_US = (Part("JPN", "自衛隊", "Self-Defense Forces"), Part("USA", "米軍", "U.S. forces"))
BILATERAL_AIM = (
    (
        "自衛隊の戦術技量の向上及び米軍との連携強化",
        "Improve the SDF's tactical skills and strengthen coordination with U.S. forces",
    ),
    (
        "日米同盟の抑止力・対処力の強化",
        "Strengthen the deterrence and response capabilities of the Japan–US Alliance",
    ),
)

SPECS = [
    Spec(
        "日米共同統合演習（実動演習）キーン・ソード21",
        "Keen Sword 21 (Japan–US Joint Exercise, field training exercise)",
        Exercise.Kind.FIELD,
        S3,
        Exercise.Precision.MONTH,
        date(2020, 10, 1),
        date(2020, 11, 30),
        "keen-sword",
        ("land", "maritime", "air", "cyber"),
        BILATERAL_AIM,
        (
            ("わが国の周辺海空域", "Sea and airspace around Japan", None, None),
            ("種子島", "Tanegashima", 30.60, 130.98),
            ("臥蛇島", "Gajajima", 29.90, 129.54),
        ),
        (
            Part(
                "JPN",
                "陸海空自衛隊",
                "Ground, Maritime and Air Self-Defense Forces",
                "joint-staff",
                37_000,
                20,
                170,
                APPROX,
            ),
            Part("USA", "米軍", "U.S. forces", "usfj"),
        ),
        {"cyber": ("サイバー攻撃対処訓練を実施（§1）", "Cyber attack response training held (§1)")},
    ),
    Spec(
        "日米共同方面隊指揮所演習（YS-79）",
        "Yama Sakura 79 (YS-79, bilateral regional army command post exercise)",
        Exercise.Kind.COMMAND_POST,
        f"{S3}; {YS_COLUMN}",
        Exercise.Precision.MONTH,
        date(2020, 12, 1),
        date(2020, 12, 31),
        "yama-sakura",
        ("land",),
        (
            (
                "共同して作戦を実施する場合における指揮幕僚活動の演練",
                "Practise command and staff activities for operations conducted together",
            ),
        ),
        (
            ("日本（西部方面隊の駐屯地）", "Japan (Western Army posts)", 32.80, 130.74),
            ("ワシントン州", "Washington State", 47.10, -122.58),
            ("ハワイ州", "Hawaii", 21.31, -157.86),
        ),
        (
            Part("JPN", "陸上自衛隊西部方面隊", "JGSDF Western Army", "gsdf-western-army"),
            Part("USA", "米陸軍（第1軍団）", "U.S. Army (I Corps)", "us-army-i-corps"),
        ),
    ),
    Spec(
        "練習艦「かしま」「しまゆき」と米空母「ロナルド・レーガン」などの日米共同訓練",
        "Training ships Kashima and Shimayuki with the carrier Ronald Reagan and others",
        Exercise.Kind.TRAINING,
        S3,
        Exercise.Precision.MONTH,
        date(2020, 7, 1),
        date(2020, 7, 31),
        None,
        ("maritime",),
        BILATERAL_AIM,
        (("南シナ海", "South China Sea", 12.0, 114.0),),
        (
            Part(
                "JPN",
                "海自練習艦隊（遠洋練習航海中）",
                "JMSDF Training Squadron (overseas training cruise)",
                "msdf-training-squadron",
                ships=2,
                assets_ja="練習艦「かしま」「しまゆき」",
                assets_en="Training ships Kashima and Shimayuki",
            ),
            Part(
                "USA",
                "米海軍",
                "U.S. Navy",
                assets_ja="空母「ロナルド・レーガン」など",
                assets_en="The carrier Ronald Reagan and others",
            ),
        ),
    ),
    Spec(
        "日米共同訓練（B-1爆撃機とF-15戦闘機）",
        "Bilateral training with B-1 bombers and F-15 fighters",
        Exercise.Kind.TRAINING,
        SQ_COLUMN,
        Exercise.Precision.MONTH,
        date(2020, 9, 1),
        date(2020, 9, 30),
        None,
        ("air",),
        (
            (
                "戦術技量の向上、相互理解の促進、相互運用性の確保、日米共同対処能力の向上",
                "Tactical skill, mutual understanding, interoperability and bilateral response",
            ),
        ),
        (),
        (
            Part(
                "JPN",
                "航空自衛隊（全国4か所の基地）",
                "JASDF (four bases across Japan)",
                "asdf-306sq",
                aircraft=20,
                assets_ja="F-15戦闘機 計20機",
                assets_en="20 F-15 fighters in all",
            ),
            Part(
                "USA",
                "米空軍",
                "U.S. Air Force",
                "pacaf-34ebs",
                aircraft=2,
                assets_ja="B-1爆撃機2機",
                assets_en="2 B-1 bombers",
            ),
        ),
    ),
    Spec(
        "日米共同訓練（自衛隊機及び米軍機）",
        "Bilateral flight training of SDF and U.S. aircraft",
        Exercise.Kind.TRAINING,
        f"{SQ_COLUMN}, photo of 4 Dec 2020",
        Exercise.Precision.DAY,
        date(2020, 12, 4),
        date(2020, 12, 4),
        None,
        ("air",),
        (),
        (),
        SDF_US,
    ),
    Spec(
        "国内における米海兵隊との実動訓練（フォレストライト）",
        "Forest Light (field training with the U.S. Marines in Japan)",
        Exercise.Kind.FIELD,
        f"{S3}, photo (令和2年度)",
        Exercise.Precision.FISCAL_YEAR,
        date(2020, 4, 1),
        date(2021, 3, 31),
        "forest-light",
        ("land",),
        (),
        (),
        (
            Part("JPN", "陸上自衛隊東部方面隊", "JGSDF Eastern Army"),
            Part("USA", "米海兵隊", "U.S. Marine Corps"),
        ),
    ),
    Spec(
        "ミクロネシア連邦等における人道支援・災害救援共同訓練（クリスマス・ドロップ）",
        "Christmas Drop (HA/DR training in the Federated States of Micronesia and elsewhere)",
        Exercise.Kind.TRAINING,
        f"{S3}, photo and video",
        series="christmas-drop",
        domains=("air",),
        areas=(
            ("ミクロネシア連邦等", "Federated States of Micronesia and elsewhere", 6.92, 158.16),
        ),
        parts=SDF_US,
    ),
    Spec(
        "日米共同統合防災訓練（南海トラフ地震）",
        "Japan–US joint integrated disaster prevention drill (Nankai Trough earthquake)",
        Exercise.Kind.DISASTER_DRILL,
        S7,
        series="nankai-drill",
        domains=("land", "maritime", "air"),
        objectives=(
            (
                "南海トラフ地震発生時における自衛隊、在日米軍、関係省庁、関係地方公共団体などとの連携による震災対処能力の維持・向上",
                "Maintain and improve earthquake response in a Nankai Trough earthquake with "
                "the SDF, U.S. Forces Japan, ministries and local governments",
            ),
        ),
        parts=(
            Part("JPN", "自衛隊・関係省庁・関係地方公共団体", "SDF, ministries, local governments"),
            Part("USA", "在日米軍", "U.S. Forces Japan", "usfj"),
        ),
    ),
    Spec(
        "地方自治体が開催する防災訓練（在日米軍参加）",
        "Local governments' disaster prevention drills with U.S. Forces Japan",
        Exercise.Kind.DISASTER_DRILL,
        S3,
        domains=("land",),
        objectives=(("関係機関との連携の深化", "Closer ties with the agencies concerned"),),
        parts=(
            Part("JPN", "地方自治体", "Local governments"),
            Part("USA", "在日米軍", "U.S. Forces Japan", "usfj"),
        ),
    ),
    Spec(
        "対潜特別訓練",
        "Special anti-submarine warfare training",
        Exercise.Kind.TRAINING,
        S3,
        domains=("maritime",),
        parts=SDF_US,
    ),
    Spec(
        "日米共同戦闘機戦闘訓練",
        "Japan–US fighter combat training",
        Exercise.Kind.TRAINING,
        S3,
        domains=("air",),
        parts=SDF_US,
    ),
    Spec(
        "日米共同統合防空・ミサイル防衛訓練",
        "Japan–US joint integrated air and missile defense training",
        Exercise.Kind.TRAINING,
        S2,
        domains=("air", "maritime"),
        parts=SDF_US,
    ),
    Spec(
        "宇宙に関する机上演習",
        "Tabletop exercises on space",
        Exercise.Kind.TABLETOP,
        f"{S1_SPACE}; SCWG agenda item ④",
        domains=("space",),
        parts=SDF_US,
    ),
    Spec(
        "日米共同統合演習・日米共同方面隊指揮所演習におけるサイバー攻撃対処訓練",
        "Cyber attack response training within Keen Sword and Yama Sakura",
        Exercise.Kind.TRAINING,
        S1_CYBER,
        domains=("cyber",),
        parts=SDF_US,
    ),
]


def _controller() -> Person:
    return Person.objects.get(username="jp-exercise")


def _series() -> None:
    with demo.origin((Provenance.Kind.SEED, S3)):  # core's provenance of demo records
        for code, (name_ja, name_en) in SERIES.items():
            if not Series.objects.filter(code=code).exists():
                services.series_save(
                    actor=_controller(), code=code, name_ja=name_ja, name_en=name_en
                )


def _exercise_step(spec: Spec) -> Callable[[], None]:
    def load() -> None:
        if Exercise.objects.filter(name_en=spec.name_en).exists():
            return
        # Every record of the exercise carries core's provenance too, with the same section.
        with demo.origin((Provenance.Kind.SEED, spec.source)):
            _exercise_records(spec)

    return load


def _exercise_records(spec: Spec) -> None:
    actor = _controller()
    exercise = services.exercise_record(
        actor=actor,
        organization=Organization.objects.get(code="gsdf-western-army"),
        name_ja=spec.name_ja,
        name_en=spec.name_en,
        kind=spec.kind,
        precision=spec.precision,
        starts_on=spec.starts_on,
        ends_on=spec.ends_on,
        series=Series.objects.get(code=spec.series) if spec.series else None,
        domains=spec.domains,
        source=spec.source,
    )
    for domain, (note_ja, note_en) in spec.notes.items():
        services.domain_note(
            actor=actor, exercise=exercise, domain=domain, note_ja=note_ja, note_en=note_en
        )
    for text_ja, text_en in spec.objectives:
        services.objective_add(
            actor=actor, exercise=exercise, text_ja=text_ja, text_en=text_en, source=spec.source
        )
    for name_ja, name_en, latitude, longitude in spec.areas:
        services.area_add(
            actor=actor,
            exercise=exercise,
            name_ja=name_ja,
            name_en=name_en,
            latitude=latitude,
            longitude=longitude,
            source=spec.source,
        )
    for part in spec.parts:
        services.participation_record(
            actor=actor,
            exercise=exercise,
            nation=Nation.objects.get(code=part.nation),
            organization=(
                Organization.objects.get(code=part.organization) if part.organization else None
            ),
            label_ja=part.label_ja,
            label_en=part.label_en,
            personnel=part.personnel,
            personnel_qualifier=part.qualifier,
            ships=part.ships,
            ships_qualifier=part.qualifier,
            aircraft=part.aircraft,
            aircraft_qualifier=part.qualifier,
            assets_ja=part.assets_ja,
            assets_en=part.assets_en,
            source=spec.source,
        )


def steps() -> Iterator[Step]:
    yield "exercise series", _series
    for spec in SPECS:
        yield f"exercise: {spec.name_en}", _exercise_step(spec)
    yield "after-action reviews (illustrative)", _review
    yield "YS-79's scenario (illustrative)", _scenario


# The after-action review of two exercises that share an objective, made up for the demo
# (the seed records no lessons): the same objective falls short in both, so it shows as
# recurring; one corrective action is long overdue, one is due soon, one is closed.
KEEN_SWORD = "Keen Sword 21 (Japan–US Joint Exercise, field training exercise)"
KASHIMA = "Training ships Kashima and Shimayuki with the carrier Ronald Reagan and others"
YAMA_SAKURA = "Yama Sakura 79 (YS-79, bilateral regional army command post exercise)"


def _review() -> None:
    if Lesson.objects.exists():
        return
    actor = _controller()
    writer = Organization.objects.get(code="gsdf-western-army")
    illustrative = ProvenanceChoice.ILLUSTRATIVE
    with demo.origin(demo.ILLUSTRATIVE):
        for name, assessment, moment, text in (
            (
                KEEN_SWORD,
                Observation.Assessment.PARTIALLY_MET,
                datetime(2020, 10, 28, 2, 0, tzinfo=UTC),
                "日米の調整所間で状況図の更新が約40分遅れ、通訳を介した確認に時間を要した。",
            ),
            (
                KASHIMA,
                Observation.Assessment.NOT_MET,
                datetime(2020, 7, 21, 6, 30, tzinfo=UTC),
                "艦艇間の通信要領が事前に統一されておらず、共同の戦術運動の開始が遅れた。",
            ),
        ):
            exercise = Exercise.objects.get(name_en=name)
            services.observation_record(
                actor=actor,
                exercise=exercise,
                objective=exercise.objectives.get(number=1),
                assessment=assessment,
                language="ja",
                text=text,
                observed_at=moment,
                organization=writer,
                provenance=illustrative,
            )
        keen_sword = Exercise.objects.get(name_en=KEEN_SWORD)
        lesson = services.lesson_record(
            actor=actor,
            exercise=keen_sword,
            objective=keen_sword.objectives.get(number=1),
            title="日英両語の状況図の更新遅延",
            observation="共同調整所間の状況図の更新が約40分遅れた。",
            discussion="用語の対訳が統一されておらず、通訳を介した確認が都度必要となった。",
            lesson="共通の用語集と二言語の様式を事前に整えることが相互運用性の前提である。",
            recommendation="日米共通の用語集を整備し、状況図の様式を二言語化する。",
            language="ja",
            organization=writer,
            provenance=illustrative,
        )
        services.corrective_action_open(
            actor=actor,
            lesson=lesson,
            owner=writer,
            due_on=date(2021, 3, 31),  # long past: overdue on the owner's first page
            organization=writer,
            provenance=illustrative,
        )
        services.corrective_action_open(
            actor=actor,
            lesson=lesson,
            owner=Organization.objects.get(code="us-army-i-corps"),
            due_on=places.today() + timedelta(days=10),
            text="Provide the U.S. side's terms for the shared glossary.",
            language="en",
            organization=writer,
            provenance=illustrative,
        )
        yama_sakura = Exercise.objects.get(name_en=YAMA_SAKURA)
        remote = services.lesson_record(
            actor=actor,
            exercise=yama_sakura,
            title="Three time zones in one battle rhythm",
            observation="Staff in Washington State met the Japan-time briefing at 01:00 local.",
            discussion="The battle rhythm was set in Japan time only.",
            lesson="A remote exercise's battle rhythm must be planned in every site's zone.",
            recommendation="Show every briefing in the three sites' zones in the exercise plan.",
            language="en",
            organization=writer,
            provenance=illustrative,
        )
        closed = services.corrective_action_open(
            actor=actor,
            lesson=remote,
            owner=writer,
            due_on=date(2021, 6, 30),
            organization=writer,
            provenance=illustrative,
        )
        services.corrective_action_close(
            actor=actor,
            action=closed,
            note="The exercise plan template shows Tokyo, Washington State and Hawaii times.",
        )


# YS-79 run on the real tools, made up for the demo (the seed gives no scenario): a situation
# of kind exercise with one bilateral cell and a few injects, approved and draft, for the
# console to send. The situation stays open so that they can go out.
YS_INJECTS = (
    (
        datetime(2020, 12, 7, 0, 0, tzinfo=UTC),
        "九州北部の港湾施設に対する破壊工作の兆候あり。日米の警備態勢を調整せよ。",
        "Signs of sabotage against port facilities in northern Kyushu. "
        "Coordinate the two forces' security posture.",
        "日米の警備分担を決定し、調整結果を記録する。",
        "Agree who guards what and record the result.",
        True,
    ),
    (
        datetime(2020, 12, 8, 1, 0, tzinfo=UTC),
        "米陸軍第1軍団（ワシントン州）との映像回線が2時間途絶。代替手段で状況図を共有せよ。",
        "The video link with US Army I Corps (Washington State) is down for two hours. "
        "Share the common operational picture by other means.",
        "代替の通信手段を指定し、状況図の最終更新時刻を報告する。",
        "Name the alternative means and report when the picture was last updated.",
        True,
    ),
    (
        datetime(2020, 12, 9, 23, 0, tzinfo=UTC),
        "多数の負傷者が発生。米側に後送支援を要請するか判断せよ。",
        "Many casualties. Decide whether to ask the US side for evacuation support.",
        "要請の要否を判断し、要請する場合は支援要請を起票する。",
        "Decide, and if so raise a request for support.",
        False,
    ),
)


def _scenario() -> None:
    yama_sakura = Exercise.objects.get(name_en=YAMA_SAKURA)
    if Inject.objects.filter(exercise=yama_sakura).exists():
        return
    controller = _controller()
    coordinator = Person.objects.get(username="jp-coordinator")
    start = datetime(2020, 11, 30, 15, 0, tzinfo=UTC)  # 1 December in Japan
    with demo.origin(demo.ILLUSTRATIVE):
        situation = coordination.situation_open(
            actor=coordinator,
            organization=Organization.objects.get(code="joint-staff"),
            title_ja="日米共同方面隊指揮所演習（YS-79）の実施",
            title_en="Yama Sakura 79 (exercise run)",
            kind=Situation.Kind.EXERCISE,
            starts_at=start,
        )
        cell = coordination.body_stand_up(
            actor=coordinator,
            situation=situation,
            kind=Body.Kind.BILATERAL_CENTRE,
            code="ys79-bcc",
            name_ja="日米共同調整所（YS-79）",
            name_en="Bilateral coordination centre (YS-79)",
            organizations=list(
                Organization.objects.filter(code__in=["gsdf-western-army", "us-army-i-corps"])
            ),
            at=start,
        )
        services.situation_link(actor=controller, exercise=yama_sakura, situation=situation)
        objective = yama_sakura.objectives.get(number=1)
        for at, text_ja, text_en, action_ja, action_en, approved in YS_INJECTS:
            inject = services.inject_add(
                actor=controller,
                exercise=yama_sakura,
                scheduled_at=at,
                method="log",
                text_ja=text_ja,
                text_en=text_en,
                expected_action_ja=action_ja,
                expected_action_en=action_en,
                target_body=cell,
                objective=objective,
            )
            if approved:
                services.inject_approve(actor=controller, inject=inject)
