"""The order API: idempotent creates, clear conflicts, every step by its route."""

from __future__ import annotations

import base64
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from kizuna.acsa.models import Delivery, Order
from kizuna.core import services as core_services
from kizuna.core.models import Person

from .factories import Cast, make_cast

pytestmark = pytest.mark.django_db

BODY = {
    "supplying_org": "asdf-6aw",
    "receiving_org": "usfj",
    "situation": "warning-and-surveillance",
    "legal_basis": "SDF Act Art. 100-6",
    "currency": "JPY",
    "settlement_method": "currency",
    "lines": [
        {
            "category": "food",
            "description": "戦闘糧食 / field rations",
            "quantity": "500",
            "unit": "食",
            "unit_price": "800",
            "delivery_place": "Misawa",
            "delivery_date": "2024-06-01",
        }
    ],
}


@pytest.fixture
def cast() -> Cast:
    return make_cast()


class Api:
    def __init__(self, client: Client, person: Person) -> None:
        self.client = client
        self.auth = f"Bearer {core_services.token_issue(person=person, label='t').secret}"

    def post(self, path: str, body: dict[str, Any], **headers: str) -> Any:
        return self.client.post(
            f"/api/acsa{path}",
            body,
            content_type="application/json",
            HTTP_AUTHORIZATION=self.auth,
            **headers,
        )


def test_the_same_key_twice_makes_one_order(client: Client, cast: Cast) -> None:
    api = Api(client, cast.us_ordering)
    first = api.post("/orders", BODY, HTTP_IDEMPOTENCY_KEY="abc")
    second = api.post("/orders", BODY, HTTP_IDEMPOTENCY_KEY="abc")
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"]
    assert Order.objects.count() == 1
    other = api.post("/orders", {**BODY, "legal_basis": "changed"}, HTTP_IDEMPOTENCY_KEY="abc")
    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused"
    assert Order.objects.count() == 1


def test_unknown_situation_and_weapons_are_refused(client: Client, cast: Cast) -> None:
    api = Api(client, cast.us_ordering)
    unknown = api.post("/orders", {**BODY, "situation": "warning-and-surveilance"})
    assert unknown.status_code == 422
    assert "warning-and-surveillance" in unknown.json()["detail"][0]["problem"]
    weapons = api.post("/orders", {**BODY, "lines": [{**BODY["lines"][0], "category": "weapons"}]})
    assert weapons.status_code == 422
    assert "武器" in weapons.json()["detail"][0]["problem"]


def test_two_officials_at_once_one_wins_the_other_gets_409(client: Client, cast: Cast) -> None:
    order = Api(client, cast.us_ordering).post("/orders", BODY).json()
    Api(client, cast.us_ordering).post(f"/orders/{order['id']}/request", {"version": 1})
    japan = Api(client, cast.jp_approving)
    won = japan.post(f"/orders/{order['id']}/accept", {"version": 2})
    assert won.status_code == 200
    assert won.json()["status"] == "accepted"
    lost = Api(client, cast.us_ordering).post(
        f"/orders/{order['id']}/cancel", {"version": 2, "reason": "no longer needed"}
    )
    assert lost.status_code == 409
    assert lost.json()["code"] == "conflict"


def test_every_step_through_the_api(client: Client, cast: Cast) -> None:
    order = Api(client, cast.us_ordering).post("/orders", BODY).json()
    pk = order["id"]
    assert (
        Api(client, cast.jp_ordering).post(f"/orders/{pk}/request", {"version": 1}).status_code
        == 403
    )
    assert (
        Api(client, cast.us_ordering).post(f"/orders/{pk}/request", {"version": 1}).status_code
        == 200
    )
    assert (
        Api(client, cast.jp_approving).post(f"/orders/{pk}/accept", {"version": 2}).status_code
        == 200
    )
    today = timezone.localdate().isoformat()
    delivery = Api(client, cast.jp_logistics).post(
        f"/orders/{pk}/deliveries",
        {
            "version": 3,
            "line": order["lines"][0]["id"],
            "quantity": "500",
            "delivered_on": today,
            "documents": [
                {"name": "note.pdf", "content_base64": base64.b64encode(b"note").decode()}
            ],
        },
    )
    assert delivery.status_code == 201, delivery.json()
    d = delivery.json()
    assert d["amount"] == "400000.00"
    assert (
        Api(client, cast.us_logistics)
        .post(f"/orders/{pk}/deliveries/{d['id']}/receipt", {"version": 4})
        .status_code
        == 200
    )
    settled = Api(client, cast.us_approving).post(
        f"/orders/{pk}/settlements",
        {
            "version": 5,
            "delivery": d["id"],
            "method": "currency",
            "amount": "400000",
            "currency": "JPY",
            "settled_on": today,
        },
    )
    assert settled.status_code == 201, settled.json()
    closed = Api(client, cast.jp_approving).post(f"/orders/{pk}/close", {"version": 6})
    assert closed.json()["status"] == "closed"
    assert Decimal(closed.json()["amount_settled"]) == Decimal(400000)


def test_deliveries_and_settlements_are_idempotent_too(client: Client, cast: Cast) -> None:
    order = Api(client, cast.us_ordering).post("/orders", BODY).json()
    pk = order["id"]
    Api(client, cast.us_ordering).post(f"/orders/{pk}/request", {"version": 1})
    Api(client, cast.jp_approving).post(f"/orders/{pk}/accept", {"version": 2})
    today = timezone.localdate().isoformat()
    body = {
        "version": 3,
        "line": order["lines"][0]["id"],
        "quantity": "100",
        "delivered_on": today,
        "documents": [{"name": "n.pdf", "content_base64": base64.b64encode(b"n").decode()}],
    }
    logistics = Api(client, cast.jp_logistics)
    first = logistics.post(f"/orders/{pk}/deliveries", body, HTTP_IDEMPOTENCY_KEY="d-1")
    # A retry after the first went through: same answer, though the version moved on.
    again = logistics.post(f"/orders/{pk}/deliveries", body, HTTP_IDEMPOTENCY_KEY="d-1")
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    other = logistics.post(
        f"/orders/{pk}/deliveries",
        {**body, "quantity": "101", "version": 4},
        HTTP_IDEMPOTENCY_KEY="d-1",
    )
    assert other.status_code == 422
    assert Delivery.objects.count() == 1
    Api(client, cast.us_logistics).post(
        f"/orders/{pk}/deliveries/{first.json()['id']}/receipt", {"version": 4}
    )
    pay = {
        "version": 5,
        "delivery": first.json()["id"],
        "method": "currency",
        "amount": "100",
        "currency": "JPY",
        "settled_on": today,
    }
    approving = Api(client, cast.us_approving)
    one = approving.post(f"/orders/{pk}/settlements", pay, HTTP_IDEMPOTENCY_KEY="s-1")
    two = approving.post(f"/orders/{pk}/settlements", pay, HTTP_IDEMPOTENCY_KEY="s-1")
    assert one.json()["id"] == two.json()["id"]
    assert Order.objects.get(public_id=pk).amount_settled == Decimal(100)
