"""Orders, their lines, deliveries and settlements leave the server under their public ids
only: in links, the API and the exports (core.public_ids). The order number is the human
number, drawn apart (docs/sharing.md)."""

from __future__ import annotations

import base64

import pytest
from django.test import Client
from django.utils import timezone

from kizuna.acsa.models import Order
from tests.public_ids import assert_no_keys_in_json, not_consecutive, numeric_path_segments

from .factories import Cast
from .test_api_orders import BODY, Api, cast  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db


def test_no_sequential_key_leaves_the_server(client: Client, cast: Cast) -> None:  # noqa: F811
    ordering = Api(client, cast.us_ordering)
    first = ordering.post("/orders", BODY).json()
    second = ordering.post("/orders", BODY).json()
    one, two = Order.objects.get(public_id=first["id"]), Order.objects.get(public_id=second["id"])
    assert two.pk == one.pk + 1  # the keys are a sequence: they must not show
    assert not_consecutive(first["id"], second["id"])
    pk = first["id"]
    ordering.post(f"/orders/{pk}/request", {"version": 1})
    Api(client, cast.jp_approving).post(f"/orders/{pk}/accept", {"version": 2})
    delivery = Api(client, cast.jp_logistics).post(
        f"/orders/{pk}/deliveries",
        {
            "version": 3,
            "line": first["lines"][0]["id"],
            "quantity": "100",
            "delivered_on": timezone.localdate().isoformat(),
            "documents": [{"name": "n.pdf", "content_base64": base64.b64encode(b"n").decode()}],
        },
    )
    assert delivery.status_code == 201
    seen = assert_no_keys_in_json([first, second, delivery.json()])
    client.force_login(cast.us_ordering)
    for path in ("/api/acsa/orders", f"/api/acsa/orders/{pk}", "/api/acsa/reports/overdue"):
        seen += assert_no_keys_in_json(client.get(path).json())
    assert {first["id"], second["id"], first["lines"][0]["id"]} <= set(seen)
    for path in ("/acsa/", "/acsa/orders/", f"/acsa/orders/{pk}/"):
        html = client.get(path).content.decode()
        assert numeric_path_segments(html) == [], path
    assert f"/acsa/orders/{pk}/" in client.get("/acsa/orders/").content.decode()
    exported = b"".join(client.get("/acsa/orders.csv").streaming_content).decode()  # type: ignore[attr-defined]
    assert one.number in exported
