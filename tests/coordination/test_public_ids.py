"""Situations, log entries, requests and their lines, meetings and action items leave the
server under their public ids only: in links, forms and the API (core.public_ids)."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from kizuna.coordination import services
from kizuna.coordination.models import Body
from tests.public_ids import assert_no_keys_in_json, not_consecutive, numeric_path_segments

from .conftest import Cast, org
from .test_access import World, world  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db


def test_no_sequential_key_leaves_the_server(cast: Cast, world: World) -> None:  # noqa: F811
    first, second = world.entry, world.flagged
    assert second.pk == first.pk + 1  # the keys are a sequence: they must not show
    meeting = services.meeting_record(
        actor=cast.jp_coordinator,
        body=Body.objects.get(code="t-scwg"),
        number=2,
        held_on=date(2015, 11, 1),
    )
    services.action_item_add(
        actor=cast.jp_coordinator, meeting=meeting, owner=org("usfj"), title_en="Review"
    )
    client = Client()
    client.force_login(cast.wa_officer)
    situation = cast.situation.public_id
    seen: list[str] = []
    for path in (
        "/api/coordination/situations",
        f"/api/coordination/situations/{situation}",
        f"/api/coordination/situations/{situation}/bodies",
        f"/api/coordination/situations/{situation}/entries",
        f"/api/coordination/situations/{situation}/requests",
        f"/api/coordination/requests/{world.request.public_id}",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        seen += assert_no_keys_in_json(response.json())
    assert {first.public_id, second.public_id, world.request.public_id, situation} <= set(seen)
    assert not_consecutive(first.public_id, second.public_id)
    coordinator = Client()
    coordinator.force_login(cast.jp_coordinator)
    meetings = coordinator.get("/api/coordination/working-groups/t-scwg/meetings").json()
    assert len(assert_no_keys_in_json(meetings)) == 4  # two meetings, each with an action item
    for path in (
        "/coordination/",
        f"/coordination/situations/{situation}/",
        f"/coordination/requests/{world.request.public_id}/",
        f"/coordination/entries/{first.public_id}/",
    ):
        html = client.get(path).content.decode()
        assert numeric_path_segments(html) == [], path
    page = client.get(f"/coordination/situations/{situation}/").content.decode()
    assert f'id="entry-{first.public_id}"' in page
    assert f"#{world.request.reference}" in page
    assert f'<option value="{cast.ccc.code}"' in page  # bodies are chosen by code, not key
