"""Every ACSA page and API route, allowed to the ACSA officials and auditors of either side,
refused to everyone else (404, as for something missing) and to anonymous visitors."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from kizuna.acsa.models import Order
from kizuna.core import services as core_services
from kizuna.core.models import Role
from kizuna.core.public_ids import new_public_id

from .factories import Cast, accepted, deliver, draft, make_cast, official

# A well-formed public id of no record.
SOME_ID = "a" * 26

pytestmark = pytest.mark.django_db

ALLOWED = [
    Role.ORDERING_OFFICIAL,
    Role.APPROVING_OFFICIAL,
    Role.LOGISTICS_OFFICER,
    Role.AUDITOR,
    Role.ADMINISTRATOR,
]
REFUSED = [Role.COORDINATOR, Role.INFORMATION_MANAGER, Role.EXERCISE_CONTROLLER]


@pytest.fixture
def order(make_person: Callable) -> Order:
    cast: Cast = make_cast()
    return draft(cast)


def _pages(order: Order) -> list[str]:
    return [
        "/acsa/",
        "/acsa/orders/",
        "/acsa/orders.csv",
        "/acsa/orders.xlsx",
        "/acsa/balances.svg?currency=JPY",
        f"/acsa/orders/{order.public_id}.pdf",
        f"/acsa/orders/{order.public_id}/",
        "/acsa/check/?situation=armed-attack&category=food",
    ]


def _api(order: Order) -> list[str]:
    return [
        "/api/acsa/orders",
        f"/api/acsa/orders/{order.public_id}",
        "/api/acsa/reports/outstanding",
        "/api/acsa/reports/overdue",
    ]


@pytest.mark.parametrize("role", ALLOWED)
def test_acsa_officials_auditors_and_administrators_see_every_page(
    client: Client, make_person: Callable, order: Order, role: str
) -> None:
    person = official(f"p-{role}", nation="JPN", role=role, org="mod")
    client.force_login(person)
    for path in _pages(order):
        assert client.get(path).status_code == 200, path
    secret = core_services.token_issue(person=person, label="t").secret
    for path in _api(order):
        assert client.get(path, HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200, path


@pytest.mark.parametrize("role", [*REFUSED, None])
def test_everyone_else_is_refused_like_a_missing_page(
    client: Client, make_person: Callable, order: Order, role: str | None
) -> None:
    person = official(f"p-{role}", nation="JPN", role=role, org="mod")
    client.force_login(person)
    for path in _pages(order):
        assert client.get(path).status_code == 404, path
    secret = core_services.token_issue(person=person, label="t").secret
    for path in _api(order):
        assert client.get(path, HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 404, path


@pytest.mark.parametrize("role", [*ALLOWED[1:], *REFUSED, None])
def test_the_new_order_page_is_for_ordering_officials_only(
    client: Client, make_person: Callable, role: str | None
) -> None:
    client.force_login(official(f"p-{role}", nation="JPN", role=role, org="mod"))
    assert client.get("/acsa/orders/new/").status_code == 404
    assert "/acsa/orders/new/" not in client.get("/acsa/orders/").content.decode()
    client.force_login(official("orderer", nation="JPN", role=Role.ORDERING_OFFICIAL, org="mod"))
    assert client.get("/acsa/orders/new/").status_code == 200
    assert "/acsa/orders/new/" in client.get("/acsa/orders/").content.decode()


def test_a_third_nations_officials_do_not_see_japan_us_orders(
    client: Client, make_person: Callable, order: Order
) -> None:
    client.force_login(official("aus", nation="AUS", role=Role.APPROVING_OFFICIAL, org="adf"))
    assert client.get(f"/acsa/orders/{order.public_id}/").status_code == 404
    assert client.get(f"/acsa/orders/{new_public_id()}/").status_code == 404
    assert order.number not in client.get("/acsa/orders/").content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(client: Client, order: Order) -> None:
    for path in _pages(order):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/login/")
    for path in _api(order):
        assert client.get(path).status_code == 401


def test_the_order_list_runs_a_fixed_number_of_queries(
    client: Client, make_person: Callable, order: Order, django_assert_max_num_queries: Callable
) -> None:
    cast_person = official("auditor", nation="JPN", role=Role.AUDITOR, org="mod")
    client.force_login(cast_person)
    with django_assert_max_num_queries(12):
        response = client.get("/acsa/orders/")
    assert order.number in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/api/acsa/orders",
        f"/api/acsa/orders/{SOME_ID}/request",
        f"/api/acsa/orders/{SOME_ID}/accept",
        f"/api/acsa/orders/{SOME_ID}/cancel",
        f"/api/acsa/orders/{SOME_ID}/close",
        f"/api/acsa/orders/{SOME_ID}/deliveries",
        f"/api/acsa/orders/{SOME_ID}/deliveries/{SOME_ID}/receipt",
        f"/api/acsa/orders/{SOME_ID}/settlements",
        f"/api/acsa/orders/{SOME_ID}/settlements/{SOME_ID}/receipt",
        "/api/acsa/offsets",
        f"/api/acsa/offsets/{SOME_ID}/approve",
    ],
)
def test_every_api_write_refuses_an_anonymous_client(client: Client, path: str) -> None:
    response = client.post(path, {}, content_type="application/json")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


@pytest.mark.parametrize("role", [*REFUSED, None])
def test_every_api_write_hides_orders_from_everyone_else(
    client: Client, order: Order, role: str | None
) -> None:
    person = official(f"w-{role}", nation="JPN", role=role, org="mod")
    secret = core_services.token_issue(person=person, label="t").secret
    for step in ("request", "accept", "cancel", "close"):
        response = client.post(
            f"/api/acsa/orders/{order.public_id}/{step}",
            {"version": 1},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {secret}",
        )
        assert response.status_code == 404, step
    order.refresh_from_db()
    assert order.status == Order.Status.DRAFT


def test_the_first_page_and_an_order_page_run_a_fixed_number_of_queries(
    client: Client, django_assert_max_num_queries: Callable
) -> None:
    cast = make_cast()
    for _ in range(4):
        order = accepted(cast)
        deliver(cast, order, "10")
    client.force_login(cast.jp_approving)
    # 17: the balance charts add their two monthly aggregates and the nations' names; 18:
    # django-otp reads the device that proved the official's second factor.
    with django_assert_max_num_queries(18):
        assert client.get("/acsa/").status_code == 200
    with django_assert_max_num_queries(24):
        assert client.get(f"/acsa/orders/{order.public_id}/").status_code == 200
