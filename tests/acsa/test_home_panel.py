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
