"""Demo data of the coordination app, as idempotent steps for `kizuna demo`.

Scenarios from the seed (Defense of Japan 2021, Pt. III Ch. 2 Sec. 2): the 2016 Kumamoto
earthquake (§7), a ballistic missile launch handled through the ACM (§2), Operation
Tomodachi's figures at peak (§7), and the standing working groups (§1). Where the seed gives
no detail (exact days, quantities, wording of entries) the demo's records are examples, and
say so in the text; the seed's own figures are kept as it states them.

Every write goes through the services, as the people named would make it, so the demo
exercises the same rules as real use. Each step returns early when its records exist.

Entries carry sharing's markings: most the default (releasable to both nations); a few are
national only, so a reader of the other nation sees the log without them. Every demo person
who reads the log holds a clearance from the sharing demo, which runs first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from functools import partial

from django.utils import timezone

from kizuna.acsa.models import SituationType
from kizuna.core.demo import ILLUSTRATIVE, Step, as_of, origin, seed, with_origin
from kizuna.core.models import Organization, Person, Role
from kizuna.core.services import membership_grant
from kizuna.sharing.marking import Marking

from . import services
from .models import Body, Situation

KUMAMOTO = "2016 Kumamoto earthquake"
KEEN_SWORD = "Keen Sword 21"
SEPTEMBER_2020 = (
    "Bilateral training: 2 US B-1 bombers and 20 JASDF F-15s from four bases (September 2020)"
)
MISSILE = "Ballistic missile launch (demo)"
TOMODACHI = "Operation Tomodachi (Great East Japan Earthquake)"

# The service rooms that read the clock: `as_of` sets it in each, as each holds its own
# `timezone` (tests/coordination/test_demo.py checks none is left out).
CLOCK_READERS = (services.bodies, services.log, services.situations, services.support_requests)


def _person(username: str) -> Person:
    return Person.objects.get(username=username)


def _org(code: str) -> Organization:
    return Organization.objects.get(code=code)


def _orgs(*codes: str) -> list[Organization]:
    return [_org(code) for code in codes]


def _situation_type(code: str) -> SituationType:
    return SituationType.objects.get(code=code)


def _memberships() -> None:
    """A III MEF logistics officer, so the bilateral centre has a US Marine member to act."""
    membership_grant(
        actor=None,
        person=_person("us-logistics"),
        organization=_org("iii-mef"),
        role=Role.LOGISTICS_OFFICER,
        position="III MEF G-4 liaison to the bilateral coordination centre",
    )


def _acm(situation: Situation, actor: Person, prefix: str, at: datetime) -> tuple[Body, Body]:
    """The Alliance Coordination Group and the BOCC below it, stood up for a situation."""
    acg = services.body_stand_up(
        actor=actor,
        situation=situation,
        kind=Body.Kind.ACG,
        code=f"{prefix}-acg",
        name_ja="同盟調整グループ",
        name_en="Alliance Coordination Group",
        short_name="ACG",
        organizations=_orgs("cas", "mofa", "mod", "joint-staff", "us-embassy-tokyo", "usfj"),
        at=at,
    )
    bocc = services.body_stand_up(
        actor=actor,
        situation=situation,
        kind=Body.Kind.BOCC,
        code=f"{prefix}-bocc",
        name_ja="共同運用調整所",
        name_en="Bilateral Operations Coordination Center",
        short_name="BOCC",
        parent=acg,
        organizations=_orgs("joint-staff", "usfj", "indopacom"),
        at=at,
    )
    return acg, bocc


def _kumamoto() -> None:
    if Situation.objects.filter(title_en=KUMAMOTO).exists():
        return
    coordinator = _person("jp-coordinator")
    start = datetime(2016, 4, 14, 12, 26, tzinfo=UTC)  # 21:26 JST, the first M6.5 shock
    with origin(
        seed(
            "§7 (2016 Kumamoto earthquake: the ACM used, a bilateral coordination "
            "centre set up by the joint task force)"
        )
    ):
        situation, centre = _kumamoto_bodies(coordinator, start)
    with origin(ILLUSTRATIVE):
        _kumamoto_log(situation, centre, start)


def _kumamoto_bodies(coordinator: Person, start: datetime) -> tuple[Situation, Body]:
    situation = services.situation_open(
        actor=coordinator,
        organization=_org("joint-staff"),
        title_ja="平成28年（2016年）熊本地震",
        title_en=KUMAMOTO,
        kind=Situation.Kind.DISASTER,
        starts_at=start,
        place_name="熊本県 Kumamoto Prefecture",
        latitude=Decimal("32.7900"),
        longitude=Decimal("130.7400"),
    )
    services.designation_add(
        actor=coordinator,
        situation=situation,
        situation_type=_situation_type("disaster-relief"),
        starts_at=start + timedelta(hours=1),
    )
    _acg, bocc = _acm(situation, coordinator, "kumamoto", start + timedelta(days=2))
    centre = services.body_stand_up(
        actor=coordinator,
        situation=situation,
        kind=Body.Kind.BILATERAL_CENTRE,
        code="kumamoto-bcc",
        name_ja="日米共同調整所（統合任務部隊）",
        name_en="Bilateral coordination centre (joint task force)",
        short_name="BCC",
        parent=bocc,
        organizations=_orgs("gsdf-western-army", "iii-mef", "usfj", "kumamoto-pref", "joint-staff"),
        at=start + timedelta(days=3),
    )
    return situation, centre


def _kumamoto_log(situation: Situation, centre: Body, start: datetime) -> None:
    """The centre's log and the two airlift requests, each step stamped at its own time in
    the days after the first shock (the times are illustrative)."""
    coordinator, us_coordinator = _person("jp-coordinator"), _person("us-coordinator")
    western_army, us_logistics = _person("jp-ordering"), _person("us-logistics")
    reported = start + timedelta(days=3, hours=2)
    with as_of(reported + timedelta(minutes=5), *CLOCK_READERS):
        report = services.entry_post(
            actor=western_army,
            body=centre,
            kind="report",
            language="ja",
            text="南阿蘇村方面の道路が寸断。孤立地域への生活物資の空輸が必要。（デモ用の記載例）",
            event_at=reported,
            significant=True,
        )
    with as_of(reported + timedelta(minutes=20), *CLOCK_READERS):
        services.entry_translate(
            actor=_person("jp-info"),
            entry=report,
            language="en",
            text=(
                "Roads to the Minamiaso area are cut. Relief supplies must be airlifted to the "
                "isolated areas. (demo example)"
            ),
        )
        services.entry_vet(actor=coordinator, entry=report)
    with as_of(start + timedelta(days=3, hours=3, minutes=5), *CLOCK_READERS):
        services.entry_post(
            actor=us_logistics,
            body=centre,
            kind="information",
            language="en",
            text="III MEF internal: MV-22 crew rest plan for the relief sorties. (demo example)",
            event_at=start + timedelta(days=3, hours=3),
            marking=Marking("usa-u1", ("national_only",)),
        )
    asked = start + timedelta(days=3, hours=4)
    with as_of(asked, *CLOCK_READERS):
        airlift = services.request_create(
            actor=western_army,
            body=centre,
            requesting_organization=_org("gsdf-western-army"),
            supporting_organization=_org("iii-mef"),
            summary="MV-22による生活物資の輸送 / MV-22 transport of relief supplies",
            language="ja",
            place_name="南阿蘇村 Minamiaso",
            needed_by=start + timedelta(days=4),
            priority="immediate",
            lines=[
                services.LineInput(
                    "transportation", "MV-22 airlift of relief supplies", Decimal(4), "sorties"
                )
            ],
        )
        personnel = services.request_create(
            actor=western_army,
            body=centre,
            requesting_organization=_org("gsdf-western-army"),
            supporting_organization=_org("usfj"),
            summary="C-130による自衛隊員の輸送 / C-130 transport of SDF personnel",
            language="ja",
            place_name="熊本空港 Kumamoto Airport",
            needed_by=start + timedelta(days=5),
            priority="priority",
            lines=[services.LineInput("transportation", "C-130 airlift", Decimal(2), "sorties")],
        )
    for request, supporter in ((airlift, us_logistics), (personnel, us_coordinator)):
        steps: list[tuple[timedelta, Callable[[], object]]] = [
            (
                timedelta(minutes=10),
                partial(services.request_submit, actor=western_army, request=request),
            ),
            (
                timedelta(minutes=40),
                partial(services.request_acknowledge, actor=supporter, request=request),
            ),
            (
                timedelta(hours=2),
                partial(services.request_accept, actor=supporter, request=request),
            ),
        ]
        for after, step in steps:
            with as_of(asked + after, *CLOCK_READERS):
                step()
        done = request.needed_by
        with as_of(done, *CLOCK_READERS):
            for line in request.lines.all():
                services.request_progress(
                    actor=supporter,
                    request=request,
                    line_id=line.pk,
                    committed=line.quantity,
                    in_transit=Decimal(0),
                    fulfilled=line.quantity,
                )
            services.request_complete(actor=supporter, request=request)
    # The seed gives no end date: closed when the SDF's disaster relief dispatch for the
    # earthquake ended (a plausible date, illustrative).
    with as_of(datetime(2016, 5, 30, 3, 0, tzinfo=UTC), *CLOCK_READERS):
        services.situation_close(
            actor=coordinator,
            situation=situation,
            text="災害派遣の終了に伴い終結。（デモ用の記載例）/ Closed as the disaster relief "
            "dispatch ended. (demo example)",
            at=datetime(2016, 5, 30, 3, 0, tzinfo=UTC),
        )


@with_origin(ILLUSTRATIVE)
def _missile() -> None:
    if Situation.objects.filter(title_en=MISSILE).exists():
        return
    coordinator, us_coordinator = _person("jp-coordinator"), _person("us-coordinator")
    start = timezone.now() - timedelta(hours=3)
    situation = services.situation_open(
        actor=coordinator,
        organization=_org("joint-staff"),
        title_ja="弾道ミサイル発射（デモ）",
        title_en=MISSILE,
        kind=Situation.Kind.MISSILE_LAUNCH,
        starts_at=start,
        place_name="日本海 Sea of Japan",
        latitude=Decimal("40.0000"),
        longitude=Decimal("134.0000"),
    )
    services.designation_add(
        actor=coordinator,
        situation=situation,
        situation_type=_situation_type("ballistic-missile-destruction"),
        starts_at=start,
    )
    _acg, bocc = _acm(situation, coordinator, "missile", start + timedelta(minutes=10))
    detection = services.entry_post(
        actor=_person("us-info"),
        body=bocc,
        kind="information",
        language="en",
        text="Launch detected; track shared with the Joint Staff. (demo example)",
        event_at=start + timedelta(minutes=2),
        significant=True,
    )
    services.entry_translate(
        actor=_person("jp-info"),
        entry=detection,
        language="ja",
        text="発射を探知。航跡情報を統合幕僚監部と共有。（デモ用の記載例）",
    )
    services.entry_vet(actor=us_coordinator, entry=detection)
    services.entry_post(
        actor=coordinator,
        body=bocc,
        kind="report",
        language="ja",
        text="落下地点は日本の排他的経済水域外と推定。（デモ用の記載例・翻訳待ち）",
        event_at=start + timedelta(minutes=25),
    )
    services.entry_post(
        actor=coordinator,
        body=bocc,
        kind="report",
        language="ja",
        text="国内関係機関への通報を完了。（デモ用の記載例・日本限り）",
        event_at=start + timedelta(minutes=30),
        marking=Marking("jpn-j2", ("national_only",)),
    )


@with_origin(
    seed(
        "§7 (Operation Tomodachi: about 16,000 personnel, about 15 ships, about "
        "140 aircraft at peak)"
    )
)
def _tomodachi() -> None:
    if Situation.objects.filter(title_en=TOMODACHI).exists():
        return
    coordinator, us_coordinator = _person("jp-coordinator"), _person("us-coordinator")
    start = datetime(2011, 3, 11, 5, 46, tzinfo=UTC)
    situation = services.situation_open(
        actor=coordinator,
        organization=_org("joint-staff"),
        title_ja="東日本大震災（トモダチ作戦）",
        title_en=TOMODACHI,
        kind=Situation.Kind.DISASTER,
        starts_at=start,
        place_name="東北地方 Tohoku",
        latitude=Decimal("38.3220"),
        longitude=Decimal("142.3690"),
    )
    with origin(ILLUSTRATIVE):
        services.body_stand_up(
            actor=coordinator,
            situation=situation,
            kind=Body.Kind.BILATERAL_CENTRE,
            code="tomodachi-bcc",
            name_ja="日米共同調整所",
            name_en="Bilateral coordination centre",
            short_name="BCC",
            organizations=_orgs("joint-staff", "usfj"),
            at=start + timedelta(days=1),
        )
    # The seed gives the peak only, as approximate figures and without a date: reported as
    # of the day the situation starts, marked approximate, and nothing invented around it.
    services.resources_report(
        actor=us_coordinator,
        situation=situation,
        organization=_org("usfj"),
        as_of=start,
        personnel=16000,
        ships=15,
        aircraft=140,
        approximate=True,
    )
    with origin(ILLUSTRATIVE), as_of(datetime(2011, 5, 4, 3, 0, tzinfo=UTC), *CLOCK_READERS):
        services.situation_close(
            actor=coordinator,
            situation=situation,
            text="トモダチ作戦の終了に伴い終結。（デモ用の記載例）/ Closed as Operation "
            "Tomodachi ended. (demo example)",
            at=datetime(2011, 5, 4, 3, 0, tzinfo=UTC),
        )


def _exercise(
    title_ja: str,
    title_en: str,
    start: datetime,
    end: datetime,
    committed: tuple[int, int, int, bool],
) -> None:
    """A past exercise the seed reports, with the SDF's resources it gives (approximate where
    it says "about"), closed when the seed says it ended."""
    if Situation.objects.filter(title_en=title_en).exists():
        return
    coordinator = _person("jp-coordinator")
    situation = services.situation_open(
        actor=coordinator,
        organization=_org("joint-staff"),
        title_ja=title_ja,
        title_en=title_en,
        kind=Situation.Kind.EXERCISE,
        starts_at=start,
    )
    personnel, ships, aircraft, approximate = committed
    services.resources_report(
        actor=coordinator,
        situation=situation,
        organization=_org("joint-staff"),
        as_of=start,
        personnel=personnel,
        ships=ships,
        aircraft=aircraft,
        approximate=approximate,
    )
    with as_of(end, *CLOCK_READERS):
        services.situation_close(
            actor=coordinator,
            situation=situation,
            text="演習終了。/ Exercise ended.",
            at=end,
        )


@with_origin(
    seed(
        "§3 (Keen Sword 21, October to November 2020: about 37,000 SDF personnel, "
        "about 20 ships, about 170 aircraft)"
    )
)
def _keen_sword() -> None:
    # The seed gives the months only: from the first of October to the end of November (JST).
    _exercise(
        "日米共同統合演習（キーン・ソード21）",
        KEEN_SWORD,
        datetime(2020, 9, 30, 15, 0, tzinfo=UTC),
        datetime(2020, 11, 30, 14, 59, tzinfo=UTC),
        (37000, 20, 170, True),
    )


@with_origin(
    seed(
        "the column of the 306th Squadron, 6th Air Wing (§3: September 2020, 2 US "
        "B-1 bombers and 20 JASDF F-15s from four bases)"
    )
)
def _september_2020() -> None:
    # The seed gives the month only: from the first to the last of September 2020 (JST).
    _exercise(
        "日米共同訓練：米空軍B-1爆撃機2機、全国4か所の基地から空自F-15戦闘機計20機（2020年9月）",
        SEPTEMBER_2020,
        datetime(2020, 8, 31, 15, 0, tzinfo=UTC),
        datetime(2020, 9, 30, 14, 59, tzinfo=UTC),
        (0, 0, 20, False),
    )


@with_origin(
    seed(
        "§1 (the Space Cooperation Working Group since 2015, 7 meetings, the latest "
        "in March 2021; the Cyber Defense Policy Working Group since October 2013; the "
        "IT Forum; the Comprehensive Dialogue on Space)"
    )
)
def _working_groups() -> None:
    if Body.objects.filter(code="scwg").exists():
        return
    coordinator = _person("jp-coordinator")
    defense = _orgs("mod", "joint-staff", "usfj", "indopacom")

    def standing(
        code: str, name_ja: str, name_en: str, short: str, since: date, orgs: list[Organization]
    ) -> Body:
        return services.body_stand_up(
            actor=coordinator,
            situation=None,
            kind=Body.Kind.WORKING_GROUP,
            code=code,
            name_ja=name_ja,
            name_en=name_en,
            short_name=short,
            organizations=orgs,
            established_on=since,
            at=datetime(since.year, since.month, since.day, tzinfo=UTC),
        )

    scwg = standing(
        "scwg",
        "日米宇宙協力ワーキンググループ",
        "Space Cooperation Working Group",
        "SCWG",
        date(2015, 4, 1),
        defense,
    )
    standing(
        "cdpwg",
        "日米サイバー防衛政策ワーキンググループ",
        "Cyber Defense Policy Working Group",
        "CDPWG",
        date(2013, 10, 1),
        defense,
    )
    standing(
        "it-forum", "日米ITフォーラム", "Japan–US IT Forum", "IT Forum", date(2013, 1, 1), defense
    )
    dialogue = standing(
        "space-dialogue",
        "宇宙に関する包括的日米対話",
        "Japan–US Comprehensive Dialogue on Space",
        "",
        date(2013, 3, 1),
        _orgs("cas", "mofa", "mod", "joint-staff", "us-embassy-tokyo"),
    )
    services.meeting_record(
        actor=coordinator,
        body=dialogue,
        number=1,
        held_on=date(2013, 3, 1),
        agenda_ja="両国の宇宙政策に関する情報交換（日付の日は資料に記載なし）",
        agenda_en="Exchange of information on both nations' space policies (day not in the source)",
    )
    services.meeting_record(
        actor=coordinator,
        body=scwg,
        number=1,
        held_on=date(2015, 10, 1),
        agenda_ja="第1回会合（2015年10月。日付の日は資料に記載なし）",
        agenda_en="First meeting (October 2015; day not in the source)",
    )
    latest = services.meeting_record(
        actor=coordinator,
        body=scwg,
        number=7,
        held_on=date(2021, 3, 1),
        agenda_ja="第7回会合（2021年3月。日付の日及び議事は資料に記載なし）",
        agenda_en="Seventh meeting (March 2021; the day and the minutes are not in the source)",
    )
    # The seed's four work areas are the group's agenda going forward, not a meeting's
    # minutes: recorded as the group's open items, owned by the Joint Staff.
    for title_ja, title_en in (
        (
            "今後の取組：宇宙に関する政策的な協議の推進",
            "Going forward: policy consultations on space",
        ),
        ("今後の取組：情報共有の緊密化", "Going forward: closer information sharing"),
        (
            "今後の取組：専門家の育成・確保のための協力",
            "Going forward: cooperation in developing and securing experts",
        ),
        ("今後の取組：机上演習の実施", "Going forward: tabletop exercises"),
    ):
        services.action_item_add(
            actor=coordinator,
            meeting=latest,
            owner=_org("joint-staff"),
            title_ja=title_ja,
            title_en=title_en,
        )
    with origin(ILLUSTRATIVE):
        services.action_item_add(
            actor=coordinator,
            meeting=latest,
            owner=_org("joint-staff"),
            title_ja="机上演習の計画案を作成（デモ用の例）",
            title_en="Draft a plan for a tabletop exercise (demo example)",
        )


def steps() -> Iterator[Step]:
    yield "coordination memberships", with_origin(ILLUSTRATIVE)(_memberships)
    yield "coordination working groups", _working_groups
    yield "coordination: Kumamoto earthquake", _kumamoto
    yield "coordination: ballistic missile launch", _missile
    yield "coordination: Operation Tomodachi", _tomodachi
    yield "coordination: Keen Sword 21", _keen_sword
    yield "coordination: training of September 2020", _september_2020
