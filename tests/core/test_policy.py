"""Who may see an organization's roster, on the page and through the API, role by role."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from kizuna.core import services
from kizuna.core.models import Organization, Role

pytestmark = pytest.mark.django_db

OWN_ROLES = [r for r in Role.values if r not in (Role.AUDITOR, Role.ADMINISTRATOR)]


@pytest.fixture
def units(make_person: Callable) -> None:
    make_person("js-staff", role=Role.COORDINATOR, org="joint-staff")
    make_person("wa-staff", role=Role.COORDINATOR, org="western-army", parent="joint-staff")
    make_person("usfj-staff", nation="USA", role=Role.COORDINATOR, org="usfj")


def _can_see(client: Client, person: object, code: str) -> tuple[int, int]:
    client.force_login(person)  # type: ignore[arg-type]
    page = client.get(f"/organizations/{code}/people/").status_code
    secret = services.token_issue(person=person, label="t").secret  # type: ignore[arg-type]
    api = client.get(
        f"/api/core/organizations/{code}/members", HTTP_AUTHORIZATION=f"Bearer {secret}"
    ).status_code
    return page, api


@pytest.mark.parametrize("role", OWN_ROLES)
def test_own_organization_roster_is_visible(
    client: Client, make_person: Callable, units: None, role: str
) -> None:
    person = make_person(f"p-{role}", role=role, org="joint-staff")
    assert _can_see(client, person, "joint-staff") == (200, 200)
    assert _can_see(client, person, "western-army") == (200, 200)  # a subordinate unit


@pytest.mark.parametrize("role", OWN_ROLES)
def test_other_nations_roster_is_hidden_like_a_missing_one(
    client: Client, make_person: Callable, units: None, role: str
) -> None:
    person = make_person(f"p-{role}", role=role, org="joint-staff")
    assert _can_see(client, person, "usfj") == (404, 404)
    assert _can_see(client, person, "no-such-unit") == (404, 404)


def test_a_subordinate_unit_cannot_read_its_parents_roster(
    client: Client, make_person: Callable, units: None
) -> None:
    person = make_person("wa-2", role=Role.LOGISTICS_OFFICER, org="western-army")
    assert _can_see(client, person, "joint-staff") == (404, 404)


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.ADMINISTRATOR])
def test_auditors_and_administrators_see_every_roster(
    client: Client, make_person: Callable, units: None, role: str
) -> None:
    person = make_person(f"p-{role}", nation="USA", role=role, org="indopacom")
    for code in Organization.objects.values_list("code", flat=True):
        assert _can_see(client, person, code) == (200, 200)


def test_a_person_without_any_role_sees_no_roster(
    client: Client, make_person: Callable, units: None
) -> None:
    person = make_person("nobody")
    assert _can_see(client, person, "joint-staff") == (404, 404)


@pytest.mark.parametrize(
    "role", [r for r in Role.values if r not in (Role.AUDITOR, Role.ADMINISTRATOR)]
)
def test_audit_page_is_refused_to_other_roles(
    client: Client, make_person: Callable, role: str
) -> None:
    client.force_login(make_person(f"p-{role}", role=role))
    assert client.get("/audit/").status_code == 404


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.ADMINISTRATOR])
def test_audit_page_is_open_to_auditors_and_administrators(
    client: Client, make_person: Callable, role: str
) -> None:
    client.force_login(make_person(f"p-{role}", role=role))
    response = client.get("/audit/?verify=1")
    assert response.status_code == 200
    assert "検証" in response.content.decode()


@pytest.mark.parametrize(
    "path",
    ["/", "/organizations/", "/settings/", "/audit/", "/organizations/joint-staff/people/"],
)
def test_every_page_refuses_an_anonymous_visitor(client: Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/core/me"),
        ("patch", "/api/core/me/preferences"),
        ("get", "/api/core/organizations"),
        ("get", "/api/core/organizations/joint-staff"),
        ("get", "/api/core/organizations/joint-staff/members"),
        ("get", "/api/core/tokens"),
        ("post", "/api/core/tokens"),
        ("delete", "/api/core/tokens/" + "a" * 26),
    ],
)
def test_every_api_route_refuses_an_anonymous_client(
    client: Client, method: str, path: str
) -> None:
    response = getattr(client, method)(path, content_type="application/json")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
