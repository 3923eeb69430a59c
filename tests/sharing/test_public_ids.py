"""Shared items, attachments and marking changes leave the server under their public ids
only: in links, the API, the read audit and STIX (core.public_ids)."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable

import pytest
from django.test import Client

from kizuna.core.models import Person, Role
from kizuna.core.services import token_issue
from kizuna.sharing import services
from kizuna.sharing.models import SharedItem
from kizuna.sharing.stix import NAMESPACE
from tests.public_ids import assert_no_keys_in_json, not_consecutive, numeric_path_segments

pytestmark = pytest.mark.django_db


def test_no_sequential_key_leaves_the_server(
    client: Client,
    jp_info: Person,
    cleared: Callable[..., Person],
    share: Callable[..., SharedItem],
) -> None:
    first = share(jp_info, "宇宙状況報告 一", latitude=35.0, longitude=139.0)
    second = share(jp_info, "宇宙状況報告 二", latitude=35.1, longitude=139.1)
    assert second.pk == first.pk + 1  # the keys are a sequence: they must not show
    data = b"attached"
    services.attachment_add(
        person=jp_info,
        item=first,
        name="a.txt",
        content_type="text/plain",
        data=data,
        sha256=hashlib.sha256(data).hexdigest(),
    )
    services.marking_change(
        person=jp_info, item=second, marking=services.Marking("jpn-j2", ("JPN", "USA")), reason="r"
    )
    client.force_login(jp_info)
    secret = token_issue(person=jp_info, label="t").secret

    def api(path: str) -> object:
        response = client.get(path, HTTP_AUTHORIZATION=f"Bearer {secret}")
        assert response.status_code == 200, path
        return response.json()

    seen: list[str] = []
    for path in ("/api/sharing/items", "/api/sharing/map", "/api/sharing/marking-changes"):
        seen += assert_no_keys_in_json(api(path))
    for item in (first, second):
        for suffix in ("", "/history", "/related", "/attachments"):
            seen += assert_no_keys_in_json(api(f"/api/sharing/items/{item.public_id}{suffix}"))
    auditor = Client()
    auditor.force_login(cleared("jp-aud", role=Role.AUDITOR, level="jpn-j2"))
    reads = auditor.get("/api/sharing/reads").json()
    assert reads
    seen += assert_no_keys_in_json(reads)
    read_page = auditor.get("/sharing/reads/").content.decode()
    assert numeric_path_segments(read_page) == []
    assert f"<code>{first.public_id}</code>" in read_page
    filtered = auditor.get("/api/sharing/reads", {"item": second.public_id}).json()
    assert filtered
    assert {r["item"] for r in filtered} == {second.public_id}
    assert {first.public_id, second.public_id} <= set(seen)
    assert not_consecutive(first.public_id, second.public_id)

    pages = ["/sharing/", "/sharing/map/", "/sharing/changes/"]
    pages += [f"/sharing/{first.public_id}/", f"/sharing/{second.public_id}/"]
    for path in pages:
        html = client.get(path).content.decode()
        assert numeric_path_segments(html) == [], path
    assert f"/sharing/{first.public_id}/" in client.get("/sharing/").content.decode()

    bundle = client.get("/sharing/export/stix/").content.decode()
    # STIX ids drawn from the key (even hashed: the namespace is public) would be a sequence.
    for item in (first, second):
        assert str(uuid.uuid5(NAMESPACE, f"item:{item.pk}")) not in bundle
    reports = [o for o in json.loads(bundle)["objects"] if o["type"] == "report"]
    assert len(reports) == 2
