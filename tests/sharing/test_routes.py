"""Every page and API route of the sharing app, role by role: who is let in, who is refused,
and anonymous visitors sent to sign in. List pages have their query counts pinned."""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from kizuna.core.models import Person, Role
from kizuna.core.services import token_issue
from kizuna.sharing import services
from kizuna.sharing.models import ClassificationLevel, MarkingChange, ReadEvent, SharedItem
from kizuna.sharing.services import Marking

pytestmark = pytest.mark.django_db

CONTRIBUTORS = {
    Role.COORDINATOR,
    Role.INFORMATION_MANAGER,
    Role.EXERCISE_CONTROLLER,
    Role.LOGISTICS_OFFICER,
    Role.ORDERING_OFFICIAL,
    Role.APPROVING_OFFICIAL,
}
TRANSLATORS = {Role.COORDINATOR, Role.INFORMATION_MANAGER}
AUDITORS = {Role.AUDITOR, Role.ADMINISTRATOR}


@pytest.fixture
def item(jp_info: Person, share: Callable) -> SharedItem:
    return share(jp_info, "宇宙状況報告", body="本文")


def _api(client: Client, person: Person) -> Callable[..., object]:
    secret = token_issue(person=person, label="t").secret

    def call(method: str, path: str, body: object = None) -> object:
        return getattr(client, method)(
            path, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {secret}"
        )

    return call


@pytest.mark.parametrize("role", Role.values)
def test_reading_pages_and_routes_are_open_to_every_cleared_role(
    client: Client, cleared: Callable, item: SharedItem, role: str
) -> None:
    person = cleared(f"p-{role}", role=role)
    client.force_login(person)
    for path in ("/sharing/", "/sharing/?q=宇宙", f"/sharing/{item.public_id}/", "/sharing/map/"):
        assert client.get(path).status_code == 200, path
    api = _api(client, person)
    for path in (
        "/api/sharing/items",
        "/api/sharing/items/count",
        "/api/sharing/items/titles?prefix=宇宙",
        f"/api/sharing/items/{item.public_id}",
        f"/api/sharing/items/{item.public_id}/history",
        f"/api/sharing/items/{item.public_id}/related",
        f"/api/sharing/items/{item.public_id}/attachments",
        "/api/sharing/map",
        "/api/sharing/marking-changes",
    ):
        assert api("get", path).status_code == 200, path  # type: ignore[attr-defined]


@pytest.mark.parametrize("role", Role.values)
def test_sharing_an_item_by_role(client: Client, cleared: Callable, role: str) -> None:
    person = cleared(f"p-{role}", role=role)
    client.force_login(person)
    allowed = role in CONTRIBUTORS
    assert client.get("/sharing/new/").status_code == (200 if allowed else 404)
    page = client.post(
        "/sharing/new/",
        {
            "kind": "report",
            "domain": "space",
            "originator": person.memberships.get().organization_id,
            "original_language": "ja",
            "title": "ページから共有",
            "level": "jpn-j1",
            "releasable_to": ["JPN", "USA"],
        },
    )
    assert page.status_code == (302 if allowed else 404)
    response = _api(client, person)(
        "post",
        "/api/sharing/items",
        {
            "kind": "report",
            "domain": "cyber",
            "originator": person.memberships.get().organization.code,
            "original_language": "en",
            "title": "Shared through the API",
            "marking": {"level": "jpn-j1", "releasable_to": ["national_only"]},
        },
    )
    assert response.status_code == (201 if allowed else 403)  # type: ignore[attr-defined]
    assert SharedItem.objects.count() == (2 if allowed else 0)
    if allowed:
        assert response.json()["marking"]["releasable_to"] == ["JPN"]  # type: ignore[attr-defined]


@pytest.mark.parametrize("role", Role.values)
def test_translating_by_role(
    client: Client, cleared: Callable, item: SharedItem, role: str
) -> None:
    person = cleared(f"p-{role}", role=role)
    client.force_login(person)
    allowed = role in TRANSLATORS
    page = client.post(f"/sharing/{item.public_id}/translation/", {"title": "SSA report"})
    assert page.status_code == (302 if allowed else 403)
    api = _api(client, person)(
        "post", f"/api/sharing/items/{item.public_id}/translation", {"title": "T"}
    )
    assert api.status_code == (200 if allowed else 403)  # type: ignore[attr-defined]


@pytest.mark.parametrize("role", Role.values)
def test_changing_a_marking_by_role(
    client: Client, cleared: Callable, item: SharedItem, role: str
) -> None:
    person = cleared(f"p-{role}", role=role, level="jpn-j3")
    client.force_login(person)
    allowed = role == Role.INFORMATION_MANAGER
    page = client.post(
        f"/sharing/{item.public_id}/marking/",
        {"level": "jpn-j2", "releasable_to": ["JPN", "USA"], "reason": "再評価"},
    )
    assert page.status_code == (302 if allowed else 403)
    api = _api(client, person)(
        "post",
        f"/api/sharing/items/{item.public_id}/marking",
        {"marking": {"level": "jpn-j3", "releasable_to": ["JPN"]}, "reason": "再評価"},
    )
    assert api.status_code == (201 if allowed else 403)  # type: ignore[attr-defined]
    assert MarkingChange.objects.count() == (2 if allowed else 0)


def test_the_other_nations_information_manager_cannot_change_or_approve(
    client: Client, jp_info: Person, us_info: Person, item: SharedItem
) -> None:
    change = services.marking_change(
        person=jp_info, item=item, marking=Marking("jpn-j1", ("JPN", "USA", "AUS")), reason="r"
    )
    client.force_login(us_info)
    assert client.get("/sharing/changes/").status_code == 200
    assert str(item.title_ja) not in client.get("/sharing/changes/").content.decode()
    assert (
        client.post(
            f"/sharing/changes/{change.public_id}/decision/", {"decision": "approve"}
        ).status_code
        == 404
    )
    api = _api(client, us_info)(
        "post", f"/api/sharing/marking-changes/{change.public_id}/decision", {"approve": True}
    )
    assert api.status_code == 403  # type: ignore[attr-defined]
    change.refresh_from_db()
    assert change.status == MarkingChange.Status.PENDING


@pytest.mark.parametrize("role", Role.values)
def test_pending_changes_page_by_role(client: Client, cleared: Callable, role: str) -> None:
    client.force_login(cleared(f"p-{role}", role=role))
    expected = 200 if role == Role.INFORMATION_MANAGER else 404
    assert client.get("/sharing/changes/").status_code == expected


def test_a_second_information_manager_approves_on_the_page(
    client: Client, jp_info: Person, cleared: Callable, item: SharedItem
) -> None:
    change = services.marking_change(
        person=jp_info, item=item, marking=Marking("jpn-j1", ("JPN", "USA", "AUS")), reason="r"
    )
    second = cleared("jp-im-2", level="jpn-j3", role=Role.INFORMATION_MANAGER)
    client.force_login(second)
    page = client.get("/sharing/changes/").content.decode()
    assert item.title_ja in page
    level = ClassificationLevel.objects.get(code="jpn-j1")
    assert f"{level.name_ja} · AUS、JPN、USAに開示可" in page  # the marking in words
    assert "jpn-j1" not in page  # never its code
    detail = client.get(f"/sharing/{item.public_id}/").content.decode()
    banner = detail[detail.index('data-testid="marking"') :].split("</p>")[0]
    assert "に開示可" in banner
    assert not re.search(r"jpn-j\d", banner)
    client.post(f"/sharing/changes/{change.public_id}/decision/", {"decision": "approve"})
    change.refresh_from_db()
    assert change.status == MarkingChange.Status.APPLIED


@pytest.mark.parametrize("role", Role.values)
def test_read_audit_is_for_auditors_and_administrators(
    client: Client, cleared: Callable, item: SharedItem, role: str
) -> None:
    person = cleared(f"p-{role}", role=role)
    client.force_login(person)
    client.get(f"/sharing/{item.public_id}/")
    expected = 200 if role in AUDITORS else 404
    assert client.get("/sharing/reads/?action=view").status_code == expected
    assert _api(client, person)("get", "/api/sharing/reads").status_code == expected  # type: ignore[attr-defined]


def test_views_downloads_and_api_reads_are_recorded(
    client: Client, jp_info: Person, cleared: Callable, item: SharedItem
) -> None:
    data = b"attached"
    attachment = services.attachment_add(
        person=jp_info,
        item=item,
        name="a.txt",
        content_type="text/plain",
        data=data,
        sha256=hashlib.sha256(data).hexdigest(),
    )
    reader = cleared("reader")
    client.force_login(reader)
    client.get(f"/sharing/{item.public_id}/")
    download = client.get(f"/sharing/{item.public_id}/attachments/{attachment.public_id}/")
    assert b"".join(download.streaming_content) == data  # type: ignore[attr-defined]
    _api(client, reader)("get", f"/api/sharing/items/{item.public_id}")
    assert list(
        ReadEvent.objects.filter(person=reader).order_by("id").values_list("action", "channel")
    ) == [("view", "web"), ("download", "web"), ("view", "api")]
    auditor = cleared("aud", role=Role.AUDITOR)
    client.force_login(auditor)
    page = client.get("/sharing/reads/?username=reader&action=download").content.decode()
    assert "reader" in page
    assert "画面で" in page  # the channel in words, not "web"
    assert item.title_ja not in page  # the auditor sees who read what, not the content


def test_an_attachment_through_the_api_is_checked_against_its_checksum(
    client: Client, jp_info: Person, item: SharedItem
) -> None:
    api = _api(client, jp_info)
    data = b"report"
    body = {"name": "r.txt", "data_base64": base64.b64encode(data).decode(), "sha256": "0" * 64}
    refused = api("post", f"/api/sharing/items/{item.public_id}/attachments", body)
    assert refused.status_code == 422  # type: ignore[attr-defined]
    assert refused.json()["detail"][0]["field"] == "sha256"  # type: ignore[attr-defined]
    body["sha256"] = hashlib.sha256(data).hexdigest()
    assert api("post", f"/api/sharing/items/{item.public_id}/attachments", body).status_code == 201  # type: ignore[attr-defined]


def test_an_attachment_through_the_api_without_a_checksum_gets_kizunas(
    client: Client, jp_info: Person, item: SharedItem
) -> None:
    data = b"no checksum given"
    body = {"name": "n.txt", "data_base64": base64.b64encode(data).decode()}
    made = _api(client, jp_info)("post", f"/api/sharing/items/{item.public_id}/attachments", body)
    assert made.status_code == 201  # type: ignore[attr-defined]
    assert made.json()["sha256"] == hashlib.sha256(data).hexdigest()  # type: ignore[attr-defined]


def test_the_attachment_form_asks_only_for_the_file_and_kizuna_computes_the_checksum(
    client: Client, jp_info: Person, item: SharedItem
) -> None:
    client.force_login(jp_info)
    page = client.get(f"/sharing/{item.public_id}/").content.decode()
    assert 'name="sha256"' not in page  # nobody types a checksum
    data = b"fuel slip, 48,000 L"
    upload = SimpleUploadedFile("slip.txt", data, content_type="text/plain")
    response = client.post(f"/sharing/{item.public_id}/attachments/", {"file": upload})
    assert response.status_code == 302
    stored = item.attachments.get()
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert stored.file.read() == data
    assert (
        hashlib.sha256(data).hexdigest()
        in client.get(f"/sharing/{item.public_id}/").content.decode()
    )


def test_a_pathological_search_is_refused_clearly(client: Client, jp_info: Person) -> None:
    client.force_login(jp_info)
    page = client.get("/sharing/", {"q": "宇" * 300})
    assert page.status_code == 200
    assert "長すぎ" in page.content.decode() or "too long" in page.content.decode()
    api = _api(client, jp_info)("get", "/api/sharing/items?q=" + "a" * 300)
    assert api.status_code == 422  # type: ignore[attr-defined]


def test_the_list_page_runs_a_fixed_number_of_queries(
    client: Client, jp_info: Person, share: Callable, django_assert_max_num_queries: Callable
) -> None:
    for n in range(30):
        share(jp_info, f"報告{n}", communities=("scwg",), caveats=("no-copies",))
    client.force_login(jp_info)
    with django_assert_max_num_queries(20):
        assert client.get("/sharing/").status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get("/sharing/?q=報告").status_code == 200
    api = _api(client, jp_info)
    with django_assert_max_num_queries(20):
        assert len(api("get", "/api/sharing/items").json()["items"]) == 30  # type: ignore[attr-defined]


# A well-formed public id of no record.
SOME_ID = "a" * 26

PAGES = [
    "/sharing/",
    "/sharing/new/",
    f"/sharing/{SOME_ID}/",
    "/sharing/changes/",
    "/sharing/reads/",
    "/sharing/map/",
    f"/sharing/{SOME_ID}/attachments/{SOME_ID}/",
]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_refuses_an_anonymous_visitor(client: Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/sharing/items"),
        ("post", "/api/sharing/items"),
        ("get", "/api/sharing/items/count"),
        ("get", "/api/sharing/items/titles"),
        ("get", f"/api/sharing/items/{SOME_ID}"),
        ("post", f"/api/sharing/items/{SOME_ID}/translation"),
        ("post", f"/api/sharing/items/{SOME_ID}/marking"),
        ("get", f"/api/sharing/items/{SOME_ID}/history"),
        ("get", f"/api/sharing/items/{SOME_ID}/related"),
        ("get", f"/api/sharing/items/{SOME_ID}/attachments"),
        ("post", f"/api/sharing/items/{SOME_ID}/attachments"),
        ("get", f"/api/sharing/items/{SOME_ID}/attachments/{SOME_ID}"),
        ("get", "/api/sharing/marking-changes"),
        ("post", f"/api/sharing/marking-changes/{SOME_ID}/decision"),
        ("get", "/api/sharing/map"),
        ("get", "/api/sharing/reads"),
    ],
)
def test_every_api_route_refuses_an_anonymous_client(
    client: Client, method: str, path: str
) -> None:
    response = getattr(client, method)(path, content_type="application/json")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("en", "A second information manager must decide on this change."),
        ("ja", "この変更は別の情報管理官が決定する必要があります。"),
    ],
)
def test_deciding_ones_own_change_is_refused_on_the_page(
    client: Client, jp_info: Person, item: SharedItem, language: str, said: str
) -> None:
    change = services.marking_change(
        person=jp_info, item=item, marking=Marking("jpn-j1", ("JPN", "USA", "AUS")), reason="r"
    )
    jp_info.language = language
    jp_info.save()
    client.force_login(jp_info)
    response = client.post(
        f"/sharing/changes/{change.public_id}/decision/", {"decision": "approve"}
    )
    assert response.status_code == 422
    assert said in response.content.decode()
    change.refresh_from_db()
    assert change.status == MarkingChange.Status.PENDING
