"""ACSA orders carry markings and go through sharing's one rule: an order hidden by its level,
its releasability or a community the reader lacks is absent from every list, export, report,
count, overdue list and home panel, and its routes answer exactly as a missing order's do.
Bad markings are refused with nothing written."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import UTC, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone, translation
from openpyxl import load_workbook

from kizuna.acsa import selectors, services
from kizuna.acsa.models import ClaimNotice, Order
from kizuna.core.models import AuditEvent, Person, Role
from kizuna.core.public_ids import new_public_id
from kizuna.sharing.marking import Marking
from kizuna.sharing.models import MarkingSet
from kizuna.sharing.services import clearance_grant

from .factories import Cast, deliver, draft, make_cast, official

pytestmark = pytest.mark.django_db

BOTH = ("JPN", "USA")


@dataclass
class World:
    cast: Cast
    cleared: Person  # a US ordering official cleared high, with the BMD community
    aus_auditor: Person  # an auditor of a third nation, cleared at its lowest level
    visible: Order
    hidden: dict[str, Order]


def _received(cast: Cast, actor: Person, marking: Marking) -> Order:
    """An order taken to a delivery whose receipt is signed and nothing settled."""
    order = draft(cast, actor=actor, marking=marking)
    services.order_request(order=order, actor=actor)
    services.order_accept(order=order, actor=cast.jp_approving)
    order.refresh_from_db()
    delivery = deliver(cast, order, "1000")
    services.receipt_sign(order=order, delivery=delivery, actor=cast.us_logistics)
    order.refresh_from_db()
    return order


@pytest.fixture
def world() -> World:
    cast = make_cast()
    cleared = official("us-ordering-hi", nation="USA", org="usfj", role=Role.ORDERING_OFFICIAL)
    clearance_grant(actor=None, person=cleared, level="usa-u3", communities=("bmd",))
    aus_auditor = official("aus-auditor", nation="AUS", org="adf", role=Role.AUDITOR)
    two_years_ago = timezone.now() - timedelta(days=730)
    # Delivered two years ago and unsettled: every order here is overdue.
    with time_machine.travel(two_years_ago.replace(hour=3, tzinfo=UTC), tick=False):
        visible = _received(cast, cast.us_ordering, Marking("usa-u1", ("AUS", *BOTH)))
        hidden = {
            "level": _received(cast, cleared, Marking("usa-u2", BOTH)),
            "releasability": _received(cast, cleared, Marking("usa-u1", BOTH)),
            "community": _received(cast, cleared, Marking("usa-u1", BOTH, communities=("bmd",))),
        }
    return World(cast, cleared, aus_auditor, visible, hidden)


# (which order is hidden, from whom): the releasability one leaves out only the third nation.
CASES = [
    ("level", "jp_approving"),
    ("level", "us_logistics"),
    ("community", "jp_approving"),
    ("community", "us_logistics"),
    ("releasability", "aus_auditor"),
]


def _reader(world: World, name: str) -> Person:
    return world.aus_auditor if name == "aus_auditor" else getattr(world.cast, name)


@pytest.mark.parametrize(("hidden_by", "reader_name"), CASES)
def test_a_hidden_order_is_absent_from_every_list_export_report_and_count(
    client: Client, world: World, hidden_by: str, reader_name: str
) -> None:
    reader = _reader(world, reader_name)
    hidden, visible = world.hidden[hidden_by], world.visible
    client.force_login(reader)

    listed = selectors.order_list(person=reader)
    assert hidden not in listed
    assert visible in listed
    assert listed.filter(pk=hidden.pk).count() == 0
    assert {o["id"] for o in client.get("/api/acsa/orders").json()} >= {visible.public_id}
    assert hidden.public_id not in {o["id"] for o in client.get("/api/acsa/orders").json()}
    for path in ("/acsa/orders/", "/acsa/orders.csv", "/acsa/"):
        response = client.get(path)
        text = b"".join(response.streaming_content) if response.streaming else response.content
        assert visible.number.encode() in text, path
        assert hidden.number.encode() not in text, path
    xlsx = b"".join(client.get("/acsa/orders.xlsx").streaming_content)  # type: ignore[attr-defined]
    workbook = load_workbook(io.BytesIO(xlsx))
    numbers = {row[0] for row in workbook.active.iter_rows(values_only=True)}
    assert visible.number in numbers
    assert hidden.number not in numbers

    # Every order here is overdue: the overdue list names exactly the orders listed.
    overdue = selectors.overdue_deliveries(person=reader)
    assert {d.line.order_id for d in overdue} == {o.pk for o in listed}
    api_overdue = client.get("/api/acsa/reports/overdue").json()
    assert hidden.lines.get().deliveries.get().public_id not in {d["id"] for d in api_overdue}
    home = client.get("/").content.decode()
    assert visible.number in home
    assert hidden.number not in home

    seen_total = sum((o.outstanding for o in listed), Decimal(0))
    report = selectors.outstanding_by(person=reader)
    assert sum((row["total"] for row in report), Decimal(0)) == seen_total
    api_report = client.get("/api/acsa/reports/outstanding").json()
    assert sum(Decimal(row["total"]) for row in api_report) == seen_total
    if reader_name == "jp_approving":
        netting = client.get("/api/acsa/netting").json()
        assert [Decimal(row["owed_to_japan"]) for row in netting] == [seen_total]


@pytest.mark.parametrize(("hidden_by", "reader_name"), CASES)
def test_a_hidden_orders_routes_answer_byte_for_byte_as_a_missing_orders(
    client: Client, world: World, hidden_by: str, reader_name: str
) -> None:
    hidden = world.hidden[hidden_by]
    notice = ClaimNotice.objects.get(delivery__line__order=hidden)
    delivery = notice.delivery
    missing = new_public_id()
    client.force_login(_reader(world, reader_name))

    def answers(pk: str, notice_pk: str) -> list[tuple[int, bytes]]:
        step = {"version": 1, "reason": "x"}
        receipt = f"/api/acsa/orders/{pk}/deliveries/{delivery.public_id}/receipt"
        return [
            (r.status_code, r.content)
            for r in (
                client.get(f"/acsa/orders/{pk}/"),
                client.get(f"/acsa/orders/{pk}.pdf"),
                client.get(f"/acsa/claim-notices/{notice_pk}.pdf"),
                client.get(f"/api/acsa/orders/{pk}"),
                client.post(f"/api/acsa/orders/{pk}/cancel", step, content_type="application/json"),
                client.post(receipt, step, content_type="application/json"),
                client.post(f"/acsa/orders/{pk}/close/", {"version": "1"}),
            )
        ]

    hidden_answers = answers(hidden.public_id, notice.public_id)
    assert hidden_answers == answers(missing, new_public_id())
    assert {status for status, _ in hidden_answers} == {404}
    hidden.refresh_from_db()
    assert hidden.status == Order.Status.RECEIVED


def test_an_order_is_marked_by_default_at_the_receiving_nations_lowest_level_for_both() -> None:
    cast = make_cast()
    order = draft(cast)
    assert Marking.of(order) == Marking("usa-u1", BOTH)
    event = AuditEvent.objects.get(action="acsa.order.create", object_id=str(order.pk))
    assert "marking" in event.after["fields"]
    assert "releasable_to" not in str(event.after)  # sealed: the marking is not kept


def test_the_order_page_api_and_pdf_show_the_marking_in_the_readers_language(
    client: Client,
) -> None:
    cast = make_cast()
    order = draft(cast)
    client.force_login(cast.jp_approving)
    with translation.override("en"):
        page = client.get(f"/acsa/orders/{order.public_id}/", HTTP_ACCEPT_LANGUAGE="en")
    text = page.content.decode()
    label = selectors.marking_label(order)
    assert 'data-testid="marking"' in text
    assert 'data-testid="marking-bottom"' in text
    assert text.count(label) == 2
    body = client.get(f"/api/acsa/orders/{order.public_id}").json()
    assert body["marking"] == {
        "level": "usa-u1",
        "level_nation": "USA",
        "releasable_to": list(BOTH),
        "caveats": [],
        "communities": [],
    }
    with translation.override("ja"):
        assert selectors.marking_label(order).startswith("区分U1")
    with translation.override("en"):
        assert selectors.marking_label(order) == "Level-U1 (Controlled) · Releasable to JPN, USA"


BAD_MARKINGS = [
    (Marking("usa-u9", BOTH), "level"),  # unknown level
    (Marking("jpn-j1", BOTH), "level"),  # a level of the supplying, not the ordering, nation
    (Marking("usa-u1", ("USA",)), "releasable_to"),  # leaves out the supplying nation
    (Marking("usa-u1", ("national_only",)), "releasable_to"),
    (Marking("usa-u1", ("USA", "XXX")), "releasable_to"),  # unknown nation
    (Marking("usa-u1", BOTH, caveats=("nope",)), "caveats"),
    (Marking("usa-u1", BOTH, communities=("nope",)), "communities"),
    (Marking("usa-u2", BOTH), "level"),  # above the creator's clearance
    (Marking("usa-u1", BOTH, communities=("bmd",)), "level"),  # a community not held
]


@pytest.mark.parametrize(("marking", "field"), BAD_MARKINGS)
def test_a_bad_marking_is_refused_with_nothing_written(marking: Marking, field: str) -> None:
    cast = make_cast()
    before = (Order.objects.count(), MarkingSet.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationError) as refused:
        draft(cast, marking=marking)
    assert field in refused.value.message_dict
    assert (Order.objects.count(), MarkingSet.objects.count(), AuditEvent.objects.count()) == before


def test_a_creator_without_clearance_is_refused() -> None:
    cast = make_cast()
    uncleared = official(
        "us-ordering-2", nation="USA", org="usfj", role=Role.ORDERING_OFFICIAL, clearance=None
    )
    with translation.override("en"), pytest.raises(PermissionDenied, match="clearance"):
        draft(cast, actor=uncleared)
    assert not Order.objects.exists()


def test_the_api_and_the_form_take_a_marking_and_refuse_a_bad_one(client: Client) -> None:
    cast = make_cast()
    clearance_grant(actor=None, person=cast.us_ordering, level="usa-u2")
    client.force_login(cast.us_ordering)
    payload = {
        "supplying_org": "asdf-6aw",
        "receiving_org": "usfj",
        "situation": "warning-and-surveillance",
        "legal_basis": "SDF Act Art. 100-6",
        "currency": "JPY",
        "settlement_method": "currency",
        "lines": [
            {
                "category": "food",
                "description": "rations",
                "quantity": "10",
                "unit": "meals",
                "unit_price": "600",
                "delivery_place": "Misawa",
                "delivery_date": "2024-05-01",
            }
        ],
    }
    bad = {**payload, "marking": {"level": "usa-u2", "releasable_to": ["USA"]}}
    refused = client.post("/api/acsa/orders", bad, content_type="application/json")
    assert refused.status_code == 422
    assert not Order.objects.exists()
    good = {**payload, "marking": {"level": "usa-u2", "releasable_to": ["JPN", "USA"]}}
    made = client.post("/api/acsa/orders", good, content_type="application/json")
    assert made.status_code == 201
    assert made.json()["marking"]["level"] == "usa-u2"

    form = {
        "supplying_org": cast.jp_unit.pk,
        "receiving_org": cast.us_unit.pk,
        "situation_type": "warning-and-surveillance",
        "legal_basis": "SDF Act Art. 100-6",
        "currency": "JPY",
        "settlement_method": "currency",
        "category": "food",
        "description": "rations",
        "quantity": "10",
        "unit": "meals",
        "unit_price": "600",
        "delivery_place": "Misawa",
        "delivery_date": "2024-05-01",
        "level": "usa-u3",
        "releasable_to": ["JPN", "USA"],
    }
    with translation.override("en"):
        page = client.post("/acsa/orders/new/", form, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert Order.objects.count() == 1
    response = client.post("/acsa/orders/new/", {**form, "level": ""})
    assert response.status_code == 302
    assert Marking.of(Order.objects.get(public_id=response["Location"].split("/")[-2])) == Marking(
        "usa-u1", BOTH
    )
