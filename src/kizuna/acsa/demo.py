"""Demo orders from the seed's story, at every stage of the lifecycle, some overdue: food and
fuel to US forces on warning and surveillance since April 2017, transport in the 2016
Kumamoto earthquake, support to Keen Sword 21 and Yama Sakura 79. Idempotent: each order
carries an idempotency key and is made once.

Past orders are entered as of their own dates, so that deadlines fall where they did; the
services read the clock through `timezone`, which the loader points at that day.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from unittest import mock

from django.db import transaction

from kizuna.core import places
from kizuna.core.demo import ILLUSTRATIVE, Step, as_of, with_origin
from kizuna.core.models import Organization, Person
from kizuna.sharing.marking import Marking

from . import services
from .models import Order, SituationType
from .services import deliveries, offsets, orders, settlements

# The rooms of the services whose steps read the clock (`timezone`) and the day (`places`).
CLOCK_READERS = (orders, deliveries, settlements, offsets)

# How far each demo order goes, in lifecycle order.
STAGES = ("draft", "requested", "accepted", "delivered", "received", "settled", "closed")


@dataclass(frozen=True)
class DemoOrder:
    key: str
    supplying: str
    receiving: str
    situation: str
    legal_basis: str
    currency: str
    on: date | None  # None: the day the demo is loaded
    stage: str
    lines: list[tuple[str, str, str, str, str, str]] = field(default_factory=list)
    settle_share: Decimal = Decimal(1)
    cancel: str = ""
    # None: the default, the receiving nation's lowest level releasable to both parties.
    # Every demo marking stays within the clearances sharing's demo gives the officials who
    # act on the order, so none of them loses sight of it.
    marking: Marking | None = None


# The law that authorizes each direction: the SDF Act for the SDF's provision to US forces,
# the US code's cross-servicing authority for US forces' provision to the SDF.
JP_SUPPLY = "自衛隊法第100条の6 / SDF Act Art. 100-6"
DISASTER = "自衛隊法第100条の6（災害派遣）/ SDF Act Art. 100-6 (disaster relief)"
EXERCISE = "自衛隊法第100条の6第1項第1号（共同訓練）/ SDF Act Art. 100-6(1)(i) (exercises)"
US_SUPPLY = "米国法典第10編第2342条 / 10 U.S.C. § 2342 (cross-servicing agreements)"

ORDERS = [
    DemoOrder(
        "demo-ws-2017-fuel",
        "asdf-6aw",
        "pacaf",
        "warning-and-surveillance",
        JP_SUPPLY,
        "JPY",
        date(2017, 5, 12),
        "received",
        [
            (
                "petroleum",
                "JP-5 航空燃料 / JP-5 aviation fuel",
                "48000",
                "L",
                "98.50",
                "小松基地 / Komatsu AB",
            ),
            (
                "food",
                "戦闘糧食 / field rations",
                "1200",
                "食 / meals",
                "620",
                "小松基地 / Komatsu AB",
            ),
        ],
        settle_share=Decimal("0.25"),
    ),
    DemoOrder(
        "demo-ws-2024-food",
        "asdf-6aw",
        "pacaf",
        "warning-and-surveillance",
        JP_SUPPLY,
        "JPY",
        date(2024, 9, 2),
        "received",
        [
            ("food", "生鮮食料品 / fresh food", "800", "kg", "1450", "小松基地 / Komatsu AB"),
            ("petroleum", "軽油 / diesel fuel", "12000", "L", "145", "小松基地 / Komatsu AB"),
        ],
        settle_share=Decimal("0"),
    ),
    DemoOrder(
        "demo-kumamoto-2016",
        "iii-mef",
        "gsdf-western-army",
        "disaster-relief",
        US_SUPPLY,
        "USD",
        date(2016, 4, 18),
        "closed",
        [
            (
                "transportation",
                "MV-22 による生活物資の輸送 / MV-22 airlift of relief supplies",
                "4",
                "sorties",
                "18500",
                "熊本県 南阿蘇村 / Minamiaso, Kumamoto",
            )
        ],
    ),
    DemoOrder(
        "demo-kumamoto-2016-fuel",
        "gsdf-western-army",
        "iii-mef",
        "disaster-relief",
        DISASTER,
        "JPY",
        date(2016, 4, 20),
        "settled",
        [
            (
                "petroleum",
                "航空燃料の給油 / aviation fuel for MV-22",
                "30000",
                "L",
                "88",
                "熊本空港 / Kumamoto Airport",
            )
        ],
    ),
    DemoOrder(
        "demo-keen-sword-21",
        "asdf-6aw",
        "pacaf",
        "bilateral-exercise",
        EXERCISE,
        "JPY",
        date(2020, 10, 26),
        "delivered",
        [
            ("water", "飲料水 / drinking water", "20000", "L", "12", "小松基地 / Komatsu AB"),
            (
                "base-support",
                "基地支援（宿営地）/ base support (bivouac)",
                "14",
                "日 / days",
                "250000",
                "小松基地 / Komatsu AB",
            ),
        ],
        # Also releasable to Australia, a partner in the region's exercises.
        marking=Marking("usa-u1", ("AUS", "JPN", "USA")),
    ),
    DemoOrder(
        "demo-ys-79",
        "us-army-i-corps",
        "gsdf-western-army",
        "bilateral-exercise",
        US_SUPPLY,
        "USD",
        date(2020, 12, 1),
        "settled",
        [
            (
                "communications",
                "演習用通信回線 / exercise communications circuits",
                "10",
                "circuits",
                "3200",
                "健軍駐屯地 / Camp Kengun",
            )
        ],
    ),
    DemoOrder(
        "demo-ws-accepted",
        "asdf-6aw",
        "usfj",
        "warning-and-surveillance",
        JP_SUPPLY,
        "JPY",
        None,
        "accepted",
        [
            (
                "petroleum",
                "JP-5 航空燃料 / JP-5 aviation fuel",
                "24000",
                "L",
                "112",
                "小松基地 / Komatsu AB",
            )
        ],
    ),
    DemoOrder(
        "demo-ws-requested",
        "asdf-6aw",
        "usfj",
        "warning-and-surveillance",
        JP_SUPPLY,
        "JPY",
        None,
        "requested",
        [("food", "戦闘糧食 / field rations", "600", "食 / meals", "640", "小松基地 / Komatsu AB")],
    ),
    DemoOrder(
        "demo-exercise-draft",
        "us-army-i-corps",
        "gsdf-western-army",
        "bilateral-exercise",
        US_SUPPLY,
        "USD",
        None,
        "draft",
        [
            (
                "billeting",
                "宿泊施設 / billeting",
                "40",
                "人泊 / person-nights",
                "85",
                "ジョイントベース・ルイス・マッコード / JB Lewis-McChord",
            )
        ],
    ),
    DemoOrder(
        "demo-cancelled",
        "asdf-6aw",
        "pacaf",
        "bilateral-exercise",
        EXERCISE,
        "JPY",
        date(2021, 3, 1),
        "requested",
        [("storage", "保管 / storage", "30", "日 / days", "20000", "小松基地 / Komatsu AB")],
        cancel="訓練中止 / exercise cancelled",
    ),
]


class _Clock:
    """What the services see as `places` (and, through core.demo.as_of, as the clock) while
    a past order is entered: 01:00 UTC on the day, 10:00 in Japan, so the day is the same
    in both."""

    def __init__(self, day: date) -> None:
        self._now = datetime(day.year, day.month, day.day, 1, tzinfo=UTC)

    def now(self) -> datetime:
        return self._now

    def today(self) -> date:
        return self._now.date()

    def date_of(self, moment: datetime) -> date:
        return places.date_of(moment)


@contextmanager
def _as_of(day: date) -> Iterator[None]:
    clock = _Clock(day)
    # The services' steps, the order's timeline (its audit events) and creation stamps all
    # at the order's own day (core.demo.as_of), the days through `places` too; patched in
    # each room of the services, where the steps look the names up.
    with ExitStack() as stack:
        stack.enter_context(as_of(clock.now(), *CLOCK_READERS))
        for room in CLOCK_READERS:
            stack.enter_context(mock.patch.object(room, "places", clock))
        yield


def _person(username: str) -> Person:
    return Person.objects.get(username=username)


def _side(org: Organization) -> str:
    return "jp" if org.nation_id == "JPN" else "us"


def _load(spec: DemoOrder) -> None:
    supplying = Organization.objects.get(code=spec.supplying)
    receiving = Organization.objects.get(code=spec.receiving)
    sup, rec = _side(supplying), _side(receiving)
    ordering = _person(f"{rec}-ordering")
    if Order.objects.filter(created_by=ordering, idempotency_key=spec.key).exists():
        return
    stage = STAGES.index(spec.stage)
    on = spec.on or places.today()
    with transaction.atomic(), _as_of(on):
        order = services.order_create(
            actor=ordering,
            supplying_org=supplying,
            receiving_org=receiving,
            situation_type=SituationType.objects.get(code=spec.situation),
            legal_basis=spec.legal_basis,
            currency=spec.currency,
            settlement_method=Order.SettlementMethod.CURRENCY,
            lines=[
                services.LineInput(c, d, Decimal(q), u, Decimal(p), place, on)
                for c, d, q, u, p, place in spec.lines
            ],
            marking=spec.marking,
            idempotency_key=spec.key,
        )
        steps: list[Callable[[], object]] = [
            lambda: services.order_request(order=order, actor=ordering),
            lambda: services.order_accept(order=order, actor=_person(f"{sup}-approving")),
        ]
        for step in steps[:stage]:
            step()
        if spec.cancel:
            services.order_cancel(order=order, actor=ordering, reason=spec.cancel)
            return
        if stage < STAGES.index("delivered"):
            return
        deliveries = [
            services.delivery_record(
                order=order,
                line=line,
                actor=_person(f"{sup}-logistics"),
                quantity=line.quantity,
                delivered_on=on,
                documents=[
                    services.Document(
                        f"{spec.key}-{line.position}.txt",
                        f"受領証 / receipt {spec.key} line {line.position}".encode(),
                    )
                ],
            )
            for line in order.lines.all()
        ]
        if stage < STAGES.index("received"):
            return
        for delivery in deliveries:
            services.receipt_sign(order=order, delivery=delivery, actor=_person(f"{rec}-logistics"))
        if stage < STAGES.index("settled") and not spec.settle_share:
            return
        share = spec.settle_share if stage < STAGES.index("settled") else Decimal(1)
        for delivery in deliveries[:1] if share < 1 else deliveries:
            amount = (delivery.amount * share).quantize(Decimal("0.01"))
            if amount:
                services.settlement_record(
                    order=order,
                    delivery=delivery,
                    actor=_person(f"{rec}-approving"),
                    method=Order.SettlementMethod.CURRENCY,
                    amount=amount,
                    currency=spec.currency,
                    settled_on=on,
                )
        if stage >= STAGES.index("closed"):
            services.order_close(order=order, actor=_person(f"{sup}-approving"))


def _loader(spec: DemoOrder) -> Callable[[], None]:
    # Every demo order is made up (quantities, prices, days), set in situations the seed
    # gives (§6: food and fuel to US forces on information gathering since April 2017; §7:
    # Kumamoto; §3: Keen Sword 21 and YS-79).
    return with_origin(ILLUSTRATIVE)(lambda: _load(spec))


def steps() -> Iterator[Step]:
    for spec in ORDERS:
        yield f"acsa order {spec.key}", _loader(spec)
