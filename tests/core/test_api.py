from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from django.http import HttpRequest
from django.test import Client

from kizuna.core import services
from kizuna.core.models import Person

PASSWORD = "correct horse battery staple"

pytestmark = pytest.mark.django_db


def _bearer(person: Person) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {services.token_issue(person=person, label='t').secret}"}


def test_no_token_is_a_json_401_in_the_requested_language(client: Client) -> None:
    response = client.get("/api/core/me", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 401
    assert response.json() == {
        "code": "not_authenticated",
        "message": "Sign in or send a valid API token.",
    }
    japanese = client.get("/api/core/me", HTTP_ACCEPT_LANGUAGE="ja").json()
    assert japanese["code"] == "not_authenticated"
    assert japanese["message"] == "サインインするか、有効な API トークンを送ってください。"


def test_a_token_identifies_its_person(client: Client, make_person: Callable) -> None:
    person = make_person("hanako", role="coordinator", org="joint-staff")
    body = client.get("/api/core/me", **_bearer(person)).json()
    assert body["username"] == "hanako"
    assert body["memberships"][0]["organization"] == "joint-staff"


def test_a_revoked_or_forged_token_is_refused(client: Client, make_person: Callable) -> None:
    person = make_person("hanako")
    issued = services.token_issue(person=person, label="t")
    services.token_revoke(person=person, token_id=issued.token.public_id)
    for secret in (issued.secret, "kz_forged", "not-a-token"):
        response = client.get("/api/core/me", HTTP_AUTHORIZATION=f"Bearer {secret}")
        assert response.status_code == 401


def test_a_token_of_another_organization_cannot_read_its_roster(
    client: Client, make_person: Callable
) -> None:
    ours = make_person("ours", role="coordinator", org="joint-staff")
    theirs = make_person("theirs", nation="USA", role="coordinator", org="usfj")
    assert (
        client.get("/api/core/organizations/joint-staff/members", **_bearer(ours)).status_code
        == 200
    )
    hidden = client.get("/api/core/organizations/joint-staff/members", **_bearer(theirs))
    missing = client.get("/api/core/organizations/no-such-org/members", **_bearer(theirs))
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()


def test_malformed_json_is_refused_and_changes_nothing(
    client: Client, make_person: Callable
) -> None:
    person = make_person("hanako")
    response = client.patch(
        "/api/core/me/preferences",
        data="{not json",
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
        **_bearer(person),
    )
    assert response.status_code == 400
    assert response.json()["code"] == "malformed_json"
    person.refresh_from_db()
    assert person.language == "ja"


def test_a_bad_preference_is_refused_whole(client: Client, make_person: Callable) -> None:
    person = make_person("hanako")
    response = client.patch(
        "/api/core/me/preferences",
        data=json.dumps({"language": "en", "time_zones": ["Asia/Tokyo", "Mars/Base"]}),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
        **_bearer(person),
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_input"
    assert body["detail"][0]["field"] == "time_zones"
    assert "Mars/Base" in body["detail"][0]["problem"]
    person.refresh_from_db()
    assert person.language == "ja"  # the valid half was not applied either


def test_a_field_of_the_wrong_type_is_named(client: Client, make_person: Callable) -> None:
    person = make_person("hanako")
    response = client.patch(
        "/api/core/me/preferences",
        data=json.dumps({"time_zones": "Asia/Tokyo"}),
        content_type="application/json",
        **_bearer(person),
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "time_zones"


def test_preferences_change_through_the_api(client: Client, make_person: Callable) -> None:
    person = make_person("hanako")
    response = client.patch(
        "/api/core/me/preferences",
        data=json.dumps({"language": "en", "time_zones": ["Pacific/Honolulu", "Asia/Tokyo"]}),
        content_type="application/json",
        **_bearer(person),
    )
    assert response.status_code == 200
    person.refresh_from_db()
    assert (person.language, person.time_zones) == ("en", ["Pacific/Honolulu", "Asia/Tokyo"])


def test_unknown_api_route_answers_json(client: Client) -> None:
    response = client.get("/api/no/such/route", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "No such API route."}


def test_session_writes_need_the_csrf_token(make_person: Callable) -> None:
    make_person("hanako")
    client = Client(enforce_csrf_checks=True)
    # Sign-in is throttled per address, so authenticating needs a request (django-axes).
    assert client.login(request=HttpRequest(), username="hanako", password=PASSWORD)
    response = client.post(
        "/api/core/tokens", data=json.dumps({"label": "x"}), content_type="application/json"
    )
    assert response.status_code in (401, 403)
    assert Person.objects.get(username="hanako").api_tokens.count() == 0


def test_tokens_are_issued_listed_and_revoked(client: Client, make_person: Callable) -> None:
    person = make_person("hanako")
    auth = _bearer(person)
    created = client.post(
        "/api/core/tokens",
        data=json.dumps({"label": "cron"}),
        content_type="application/json",
        **auth,
    )
    assert created.status_code == 201
    secret = created.json()["secret"]
    assert secret.startswith("kz_")
    labels = [t["label"] for t in client.get("/api/core/tokens", **auth).json()]
    assert sorted(labels) == ["cron", "t"]
    assert client.delete(f"/api/core/tokens/{created.json()['id']}", **auth).status_code == 204
    assert client.get("/api/core/me", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401


def test_openapi_document_is_served_to_people_and_tokens_only(
    client: Client, make_person: Callable
) -> None:
    anonymous = client.get("/api/openapi.json", HTTP_ACCEPT_LANGUAGE="en")
    assert anonymous.status_code == 401
    assert anonymous.json() == {
        "code": "not_authenticated",
        "message": "Sign in or send a valid API token.",
    }
    person = make_person("hanako")
    by_token = client.get("/api/openapi.json", **_bearer(person))
    assert by_token.status_code == 200
    client.force_login(person)
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    assert "/api/core/me" in response.json()["paths"]
