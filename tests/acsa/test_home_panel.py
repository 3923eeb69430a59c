"""The overdue list stands on the first page of everyone who works with ACSA orders."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from kizuna.core.models import Role

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", [Role.ORDERING_OFFICIAL, Role.APPROVING_OFFICIAL, Role.AUDITOR])
def test_people_working_with_orders_see_the_overdue_list_at_home(
    client: Client, make_person: Callable, role: str
) -> None:
    client.force_login(make_person("p", role=role, org="joint-staff"))
    page = client.get("/").content.decode()
    assert 'data-testid="overdue"' in page


def test_others_see_no_overdue_list_and_their_home_still_opens(
    client: Client, make_person: Callable
) -> None:
    client.force_login(make_person("c", role=Role.EXERCISE_CONTROLLER, org="joint-staff"))
    response = client.get("/")
    assert response.status_code == 200
    assert 'data-testid="overdue"' not in response.content.decode()


def _count(page: str, key: str) -> int | None:
    import re

    found = re.search(rf'data-testid="count-{key}">([\d,]+)<', page)
    return int(found.group(1).replace(",", "")) if found else None


def test_what_waits_for_each_official_is_counted_and_linked(client: Client) -> None:
    from .factories import deliver, draft, make_cast

    cast = make_cast()
    first = draft(cast)  # the US ordering official's to request and sign
    requested = draft(cast, key="second")
    from kizuna.acsa import services

    services.order_request(order=requested, actor=cast.us_ordering)  # Japan's approver's
    accepted_order = draft(cast, key="third")
    services.order_request(order=accepted_order, actor=cast.us_ordering)
    services.order_accept(order=accepted_order, actor=cast.jp_approving)
    accepted_order.refresh_from_db()
    deliver(cast, accepted_order, "10")  # the US logistics officer's receipt to sign

    client.force_login(cast.us_ordering)
    page = client.get("/").content.decode()
    assert _count(page, "signature") == 1
    assert _count(page, "receipt") is None
    orders = client.get("/acsa/orders/?awaiting=signature").content.decode()
    assert f"/acsa/orders/{first.public_id}/" in orders
    assert f"/acsa/orders/{requested.public_id}/" not in orders

    client.force_login(cast.jp_approving)
    page = client.get("/").content.decode()
    assert _count(page, "signature") == 1
    assert (
        f"/acsa/orders/{requested.public_id}/"
        in client.get("/acsa/orders/?awaiting=signature").content.decode()
    )

    client.force_login(cast.us_logistics)
    page = client.get("/").content.decode()
    assert _count(page, "receipt") == 1
    assert _count(page, "signature") is None
    listed = client.get("/acsa/orders/?awaiting=receipt").content.decode()
    assert f"/acsa/orders/{accepted_order.public_id}/" in listed
    assert f"/acsa/orders/{requested.public_id}/" not in listed

    client.force_login(cast.outsider)  # sees no order: counts nothing
    page = client.get("/").content.decode()
    assert 'data-testid="acsa-waiting"' not in page


def test_the_home_panels_are_served_alone_for_the_live_refresh(
    client: Client, make_person: Callable
) -> None:
    client.force_login(make_person("p", role=Role.APPROVING_OFFICIAL, org="joint-staff"))
    home = client.get("/").content.decode()
    assert 'hx-get="/home/panels/"' in home
    fragment = client.get("/home/panels/").content.decode()
    assert 'data-testid="acsa-waiting"' in fragment
    assert "<html" not in fragment
