"""The log's history: filtered by body from its URL, paged by entry number, exported as
filtered (only what the reader may read)."""

from __future__ import annotations

import pytest
from django.test import Client

from .conftest import Cast
from .test_log import post

pytestmark = pytest.mark.django_db


def test_the_log_filters_by_body_in_its_url_and_exports_what_is_filtered(
    client: Client, cast: Cast
) -> None:
    post(cast, text="CCCの記録")
    post(cast, actor=cast.jp_coordinator, body=cast.bocc, text="BOCCの記録")
    client.force_login(cast.jp_coordinator)
    base = f"/coordination/situations/{cast.situation.public_id}/"
    assert "CCCの記録" not in client.get(f"{base}?body=t-bocc").content.decode()
    assert "BOCCの記録" in client.get(f"{base}?body=t-bocc").content.decode()
    export = client.get(f"{base}log.csv?body=t-ccc")
    text = b"".join(export.streaming_content).decode()  # type: ignore[attr-defined]
    assert "CCCの記録" in text
    assert "BOCCの記録" not in text
    everything = b"".join(client.get(f"{base}log.csv").streaming_content).decode()  # type: ignore[attr-defined]
    assert "CCCの記録" in everything
    assert "BOCCの記録" in everything
    client.force_login(cast.outsider)
    assert client.get(f"{base}log.csv").status_code == 404
    client.force_login(cast.wa_officer)  # reads the CCC, not the BOCC
    theirs = b"".join(client.get(f"{base}log.csv?body=t-bocc").streaming_content).decode()  # type: ignore[attr-defined]
    assert "BOCCの記録" not in theirs
    assert client.get(f"{base}log.csv?body=no-such-body").status_code == 404
