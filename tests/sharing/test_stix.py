"""STIX 2.1 exchange: a round trip keeps items and markings; an import naming anything
Kizuna does not know is refused whole, with the reason; exports carry only what the
reader may see, and are recorded as reads."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import translation

from kizuna.core.models import Person, Role
from kizuna.core.services import token_issue
from kizuna.sharing import services, stix
from kizuna.sharing.marking import Marking
from kizuna.sharing.models import ReadEvent, SharedItem

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def library(jp_info: Person, us_info: Person, share: Callable) -> list[SharedItem]:
    return [
        share(jp_info, "宇宙状況監視の共有", body="本文", communities=("scwg",)),
        share(jp_info, "国内限りの評価", level="jpn-j2", releasable_to=("national_only",)),
        share(
            us_info,
            "Maritime contact off Guam",
            language="en",
            level="usa-u1",
            kind=SharedItem.Kind.MARITIME_CONTACT,
            domain="maritime",
            latitude=13.6,
            longitude=144.4,
            observed_at=datetime(2020, 11, 5, 22, tzinfo=UTC),
            observation="Vessel loitering",
            caveats=("no-copies",),
        ),
    ]


def _snapshot() -> set[tuple[object, ...]]:
    return {
        (
            i.kind,
            i.domain,
            i.originator.code,
            i.original_language,
            i.title_ja,
            i.title_en,
            i.body_ja,
            i.latitude,
            i.longitude,
            i.observed_at,
            i.observation,
            json.dumps(Marking.of(i).as_json(), sort_keys=True),
        )
        for i in SharedItem.objects.all()
    }


def test_export_then_import_into_an_empty_database_gives_the_same_items(
    jp_info: Person, library: list[SharedItem]
) -> None:
    before = _snapshot()
    bundle = stix.bundle_of(list(SharedItem.objects.order_by("id")))
    ReadEvent.objects.all().delete()
    SharedItem.objects.all().delete()
    created = services.stix_import(person=jp_info, data=json.dumps(bundle).encode())
    assert len(created) == 3
    assert _snapshot() == before
    # The same bundle again adds nothing.
    assert services.stix_import(person=jp_info, data=json.dumps(bundle).encode()) == []


def test_the_bundle_carries_tlp_and_acs_markings(library: list[SharedItem]) -> None:
    bundle = stix.bundle_of(library)
    by_id = {o["id"]: o for o in bundle["objects"]}
    reports = [o for o in bundle["objects"] if o["type"] == "report"]
    national = next(r for r in reports if r["name"] == "国内限りの評価")
    markings = [by_id[ref] for ref in national["object_marking_refs"]]
    assert markings[0]["name"] == "TLP:AMBER+STRICT"
    acs = markings[1]["extensions"][stix.ACS_EXTENSION]
    assert acs["access_privilege"][0]["privilege_scope"]["permitted_nationalities"] == ["JPN"]
    assert acs["control_set"]["classification"] == "jpn-j2"


def _bundle_with(library: list[SharedItem], change: Callable[[dict], None]) -> bytes:
    bundle = stix.bundle_of(library)
    for o in bundle["objects"]:
        change(o)
    return json.dumps(bundle).encode()


def _acs(o: dict) -> dict:
    return o.get("extensions", {}).get(stix.ACS_EXTENSION, {})


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (
            lambda o: (
                _acs(o)
                and _acs(o)["access_privilege"][0]["privilege_scope"].update(
                    permitted_nationalities=["JPN", "ATL"]
                )
            ),
            "Unknown nations: ATL",
        ),
        (
            lambda o: _acs(o) and _acs(o)["control_set"].update(classification="jpn-top"),
            "Unknown classification level: jpn-top",
        ),
        (
            lambda o: o["type"] == "report" and o.update(object_marking_refs=[]),
            "no ACS marking",
        ),
    ],
)
def test_an_import_naming_something_unknown_is_refused_whole(
    jp_info: Person, library: list[SharedItem], change: Callable, reason: str
) -> None:
    data = _bundle_with(library, change)
    SharedItem.objects.all().delete()
    with pytest.raises(ValidationError) as error:
        services.stix_import(person=jp_info, data=data)
    assert reason in " ".join(error.value.messages)
    assert SharedItem.objects.count() == 0


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"{not json", "not valid JSON"),
        (b'{"type": "indicator"}', "not a STIX bundle"),
        (b'{"type": "bundle", "id": "bundle--x", "objects": [{"type": "report"}]}', "malformed"),
        (b" " * (stix.MAX_BUNDLE_BYTES + 1), "larger than"),
    ],
)
def test_a_malformed_or_oversized_bundle_is_refused(
    jp_info: Person, data: bytes, reason: str
) -> None:
    with pytest.raises(ValidationError, match=reason):
        services.stix_import(person=jp_info, data=data)


def test_only_information_managers_import(cleared: Callable) -> None:
    with pytest.raises(PermissionDenied):
        services.stix_import(person=cleared("coord"), data=b"{}")


def test_an_export_holds_only_what_the_reader_may_see_and_is_recorded(
    client: Client, us_info: Person, library: list[SharedItem]
) -> None:
    client.force_login(us_info)
    response = client.get("/sharing/export/stix/")
    names = {o["name"] for o in response.json()["objects"] if o["type"] == "report"}
    assert names == {"宇宙状況監視の共有", "Maritime contact off Guam"}
    assert ReadEvent.objects.filter(person=us_info, action="export").count() == 2
    secret = token_issue(person=us_info, label="t").secret
    api = client.get("/api/sharing/export/stix?q=Guam", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert [o["name"] for o in api.json()["objects"] if o["type"] == "report"] == [
        "Maritime contact off Guam"
    ]


@pytest.mark.parametrize("role", Role.values)
def test_import_routes_by_role(
    client: Client, cleared: Callable, library: list[SharedItem], role: str
) -> None:
    person = cleared(f"p-{role}", role=role, level="jpn-j3")
    data = json.dumps(stix.bundle_of(library[:1])).encode()
    SharedItem.objects.filter(pk=library[0].pk).delete()
    allowed = role == Role.INFORMATION_MANAGER
    client.force_login(person)
    assert client.get("/sharing/import/stix/").status_code == (200 if allowed else 404)
    secret = token_issue(person=person, label="t").secret
    response = client.post(
        "/api/sharing/import/stix",
        data,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert response.status_code == (201 if allowed else 403)
    assert SharedItem.objects.filter(title_ja="宇宙状況監視の共有").exists() == allowed


def test_the_import_page_shows_every_reason(
    client: Client, jp_info: Person, library: list[SharedItem]
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = _bundle_with(
        library,
        lambda o: _acs(o) and _acs(o)["control_set"].update(classification="jpn-top"),
    )
    client.force_login(jp_info)
    page = client.post(
        "/sharing/import/stix/", {"bundle": SimpleUploadedFile("b.json", data)}
    ).content.decode()
    assert page.count("jpn-top") == 3
