"""The situation log's history pages by a sealed keyset with its body filter in the URL:
over two pages every entry the reader may read shows once, none hidden shows, the cursor
names no sequence number, and the CSV takes what is filtered."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from kizuna.coordination import services
from kizuna.coordination.models import LogEntry
from kizuna.sharing.services import Marking

from .conftest import Cast

pytestmark = pytest.mark.django_db

SHOWN = re.compile(r'data-entry="([a-z0-9]+)"')


def test_the_log_pages_through_what_is_filtered_once_each(client: Client, cast: Cast) -> None:
    readable = set()
    for n in range(52):
        entry = services.entry_post(
            actor=cast.wa_officer, body=cast.ccc, kind="report", text=f"報告 {n}", language="ja"
        )
        readable.add(entry.public_id)
        if n == 30:  # one the reader may not read, amid the others
            hidden = services.entry_post(
                actor=cast.jp_coordinator,
                body=cast.ccc,
                kind="report",
                text="秘",
                language="ja",
                marking=Marking("jpn-j3", ("JPN",)),
            )
    services.entry_post(
        actor=cast.jp_coordinator, body=cast.bocc, kind="report", text="他の機関", language="ja"
    )
    client.force_login(cast.wa_officer)
    url = f"/coordination/situations/{cast.situation.public_id}/"

    first = client.get(url, {"body": cast.ccc.code}).content.decode()
    on_first = SHOWN.findall(first[first.index('id="log"') :])
    assert len(on_first) == 50
    found = re.search(r'href="\?body=t-ccc&amp;after=([A-Za-z0-9_-]+)" rel="next"', first)
    assert found is not None  # the filter kept beside the cursor
    seqs = {str(s) for s in LogEntry.objects.values_list("seq", flat=True)}
    assert found.group(1) not in seqs  # sealed: no sequence number in the URL
    second = client.get(url, {"body": cast.ccc.code, "after": found.group(1)}).content.decode()
    on_second = SHOWN.findall(second[second.index('id="log"') :])
    assert len(on_second) == 2
    assert 'rel="next"' not in second
    assert len(set(on_first + on_second)) == 52  # none twice
    assert set(on_first + on_second) == readable  # none missing, no other body's, none hidden
    assert hidden.public_id not in first + second

    # A cursor sealed for another reader is only the first page.
    client.force_login(cast.mef_officer)
    other = client.get(url, {"body": cast.ccc.code, "after": found.group(1)}).content.decode()
    assert 'href="?body=t-ccc"' not in other  # no "newest" link: this is the first page

    # The CSV is what is filtered, every page of it, without the cursor.
    client.force_login(cast.wa_officer)
    assert f'href="/coordination/situations/{cast.situation.public_id}/log.csv?body=t-ccc"' in first
    csv = client.get(f"{url}log.csv", {"body": cast.ccc.code})
    lines = b"".join(csv.streaming_content).decode().splitlines()  # type: ignore[attr-defined]
    assert len(lines) == 1 + 52
    assert not any(hidden.public_id in line for line in lines)
