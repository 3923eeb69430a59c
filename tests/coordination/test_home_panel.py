"""What waits for each person in coordination stands on their first page, counted over
what they may see and linked: translation, vetting, requests awaiting their answer, and the
situations they sit in with their latest entries."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from kizuna.coordination import services

from .conftest import Cast
from .test_log import post
from .test_requests import create

pytestmark = pytest.mark.django_db


def _count(page: str, key: str) -> int | None:
    found = re.search(rf'data-testid="count-{key}">([\d,]+)<', page)
    return int(found.group(1).replace(",", "")) if found else None


def test_each_person_sees_what_waits_for_them(client: Client, cast: Cast) -> None:
    post(cast, significant=True)  # Japanese, untranslated, awaiting vetting, in the CCC
    request = create(cast)
    services.request_submit(actor=cast.wa_officer, request=request)  # asks III MEF

    client.force_login(cast.mef_officer)
    page = client.get("/").content.decode()
    assert _count(page, "requests") == 1
    assert f"/coordination/requests/{request.public_id}/" in page
    assert "Kumamoto earthquake" in page or "熊本地震" in page  # a situation they sit in
    assert "南阿蘇村で孤立集落あり" in page  # its latest entry

    client.force_login(cast.jp_coordinator)
    page = client.get("/").content.decode()
    assert _count(page, "vetting") == 1
    assert _count(page, "requests") is None  # not asked of their organization

    client.force_login(cast.jp_liaison)
    page = client.get("/").content.decode()
    assert _count(page, "translation") == 1
    assert 'href="/coordination/translations/"' in page

    client.force_login(cast.outsider)  # sits in none of the bodies
    page = client.get("/").content.decode()
    assert 'data-testid="coordination-waiting"' not in page
    assert "南阿蘇村で孤立集落あり" not in page
