"""The shared items' list pages by a sealed keyset with its filters in the URL: over two
pages every visible item shows once, none hidden is shown or counted, and the export takes
what is filtered."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import pytest
from django.test import Client

from kizuna.core.models import Person
from kizuna.sharing.models import SharedItem

pytestmark = pytest.mark.django_db

LISTED = re.compile(r'href="/sharing/([a-z0-9]+)/" data-testid="result-title"')


def test_the_list_pages_through_what_is_filtered_once_each(
    client: Client,
    cleared: Callable[..., Person],
    jp_info: Person,
    share: Callable[..., SharedItem],
) -> None:
    reader = cleared("reader", level="jpn-j1", language="en")
    visible = {share(jp_info, f"宇宙 {i:02d}").public_id for i in range(52)}
    hidden = share(jp_info, "秘 宇宙", level="jpn-j3")
    for i in range(3):
        share(jp_info, f"海洋 {i}", domain="maritime")
    client.force_login(reader)

    first = client.get("/sharing/", {"domain": "space"}).content.decode()
    assert "52 items" in first  # the hidden one never counted
    on_first = LISTED.findall(first)
    assert len(on_first) == 50
    found = re.search(r'href="\?domain=space&amp;after=([A-Za-z0-9_-]+)" rel="next"', first)
    assert found is not None  # the filter kept beside the sealed cursor
    assert found.group(1) not in {str(pk) for pk in SharedItem.objects.values_list("pk", flat=True)}
    second = client.get("/sharing/", {"domain": "space", "after": found.group(1)})
    on_second = LISTED.findall(second.content.decode())
    assert len(on_second) == 2
    assert 'rel="next"' not in second.content.decode()
    assert len(on_first + on_second) == len(set(on_first + on_second))  # none twice
    assert set(on_first + on_second) == visible  # none missing, none hidden, none filtered out
    assert hidden.public_id not in first + second.content.decode()

    # Another reader's cursor is only the first page.
    client.force_login(cleared("other", level="jpn-j1"))
    again = client.get("/sharing/", {"domain": "space", "after": found.group(1)}).content.decode()
    assert LISTED.findall(again) == on_first
    client.force_login(reader)

    # The export is of what is filtered, every page of it.
    assert 'href="/sharing/export/stix/?domain=space"' in first
    bundle = json.loads(client.get("/sharing/export/stix/", {"domain": "space"}).content)
    titles = {o.get("name") for o in bundle["objects"]}
    assert {f"宇宙 {i:02d}" for i in range(52)} <= titles
    assert "秘 宇宙" not in titles
    assert not any(str(t).startswith("海洋") for t in titles)


def test_a_search_pages_by_number_with_its_query_kept(
    client: Client, jp_info: Person, share: Callable[..., SharedItem]
) -> None:
    for i in range(51):
        share(jp_info, f"衛星の報告 {i:02d}")
    client.force_login(jp_info)
    first = client.get("/sharing/", {"q": "衛星"}).content.decode()
    assert len(LISTED.findall(first)) == 50
    assert 'href="?q=%E8%A1%9B%E6%98%9F&amp;page=2" rel="next"' in first
    second = client.get("/sharing/", {"q": "衛星", "page": "2"}).content.decode()
    assert len(LISTED.findall(second)) == 1
    assert set(LISTED.findall(first)).isdisjoint(LISTED.findall(second))
