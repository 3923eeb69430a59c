"""The bounds of input (kizuna.core.bounds): control characters, body sizes, paging limits,
ranges of dates, numbers too large for the database: a clear error, never a 500."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone, translation

from kizuna.core import bounds
from kizuna.core.models import Person, Role
from kizuna.sharing.models import SharedItem

pytestmark = pytest.mark.django_db

HOSTILE = ["a\x00b", "a\u202eb", "a\u2066b", "a\x1bb", "a\x7fb", "a\x07b"]


@pytest.fixture
def officer(make_person: Callable[..., Person]) -> Person:
    return make_person(
        "analyst",
        role=Role.INFORMATION_MANAGER,
        org="joint-staff",
        clearance="jpn-j2",
        language="en",
    )


def _item(title: str) -> dict[str, object]:
    return {
        "kind": "report",
        "domain": "disaster",
        "originator": "joint-staff",
        "original_language": "en",
        "title": title,
        "marking": {"level": "jpn-j2", "releasable_to": ["JPN", "USA"]},
    }


@pytest.mark.parametrize("text", HOSTILE)
def test_control_characters_are_refused_by_the_api(
    client: Client, officer: Person, text: str
) -> None:
    client.force_login(officer)
    response = client.post(
        "/api/sharing/items",
        _item(text),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "control_character"
    assert body["detail"] == [{"field": "title", "problem": body["message"]}]
    assert f"U+{ord(text[1]):04X}" in body["message"]
    assert not SharedItem.objects.exists()


def test_tab_and_line_breaks_are_text(client: Client, officer: Person) -> None:
    client.force_login(officer)
    response = client.post(
        "/api/sharing/items",
        {**_item("plain title"), "body": "line one\r\n\tline two"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content


@pytest.mark.parametrize("text", HOSTILE)
def test_control_characters_are_refused_beside_the_form_field(
    client: Client, officer: Person, text: str
) -> None:
    client.force_login(officer)
    response = client.post(
        "/sharing/new/",
        {
            "kind": "report",
            "domain": "disaster",
            "originator": officer.memberships.get().organization_id,
            "original_language": "en",
            "title": text,
            "level": "jpn-j2",
            "releasable_to": ["JPN"],
        },
    )
    assert response.status_code == 200
    assert "control character" in " ".join(response.context["form"].errors["title"])
    assert not SharedItem.objects.exists()


def test_control_characters_in_a_query_are_refused(client: Client, officer: Person) -> None:
    client.force_login(officer)
    response = client.get("/api/sharing/items", {"q": "x\u202e"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "q"


def test_an_oversized_body_gets_a_json_413_naming_the_limit(
    client: Client, officer: Person
) -> None:
    client.force_login(officer)
    big = b'{"title": "' + b"x" * (bounds.MAX_BODY_BYTES + 1) + b'"}'
    response = client.post("/api/sharing/items", big, content_type="application/json")
    assert response.status_code == 413
    body = response.json()
    assert body["code"] == "too_large"
    assert "13.4 MB" in body["message"]
    assert body["detail"] == {"limit_bytes": bounds.MAX_BODY_BYTES}


def test_an_oversized_form_gets_an_error_page(client: Client, officer: Person) -> None:
    client.force_login(officer)
    response = client.post("/sharing/new/", {"title": "x" * (bounds.MAX_BODY_BYTES + 1)})
    assert response.status_code == 413
    assert "13.4 MB" in response.content.decode()


def test_a_ten_mb_attachment_fits_under_the_limit() -> None:
    # base64 of the largest attachment, with room for its name and checksum
    assert bounds.MAX_ATTACHMENT_BYTES * 4 / 3 + 1024 < bounds.MAX_BODY_BYTES


@pytest.mark.parametrize("limit", ["-1", "0", "100000"])
def test_a_paging_limit_out_of_range_is_refused(
    client: Client, make_person: Callable[..., Person], limit: str
) -> None:
    client.force_login(make_person("co", role=Role.COORDINATOR, org="joint-staff"))
    response = client.get("/api/coordination/situations/1/entries", {"limit": limit})
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "limit"
    assert "limit" in response.json()["message"]


def test_an_id_too_large_for_the_database_is_not_found(client: Client, officer: Person) -> None:
    client.force_login(officer)
    huge = "9" * 30
    assert client.get(f"/api/sharing/items/{huge}").status_code == 404
    assert client.get(f"/sharing/{huge}/").status_code == 404


@translation.override("en")  # the messages read in English here
def test_each_purpose_says_its_range() -> None:
    now = timezone.now()
    assert bounds.moment_problem("event", now) == ""
    assert "in the future" in bounds.moment_problem("event", now + timedelta(hours=1))
    assert "1990-01-01" in bounds.moment_problem("event", datetime(1, 1, 1, tzinfo=UTC))
    assert bounds.moment_problem("delivery", date(2030, 1, 1)) == ""
    assert "1996-01-01" in bounds.moment_problem("delivery", date(1995, 12, 31))
    far = datetime(9999, 12, 31, 23, 59, tzinfo=timezone.get_fixed_timezone(-600))
    assert "after" in bounds.moment_problem("needed_by", far)


def test_a_ten_mb_attachment_goes_through_the_api(client: Client, officer: Person) -> None:
    """Django's default 2.5 MB body limit once refused what the service allows."""
    client.force_login(officer)
    item = client.post("/api/sharing/items", _item("with a file"), content_type="application/json")
    data = bytes(range(256)) * (bounds.MAX_ATTACHMENT_BYTES // 256)
    response = client.post(
        f"/api/sharing/items/{item.json()['id']}/attachments",
        {
            "name": "survey.bin",
            "content_type": "application/octet-stream",
            "data_base64": base64.b64encode(data).decode(),
            "sha256": hashlib.sha256(data).hexdigest(),
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content[:300]
    assert response.json()["size"] == bounds.MAX_ATTACHMENT_BYTES
