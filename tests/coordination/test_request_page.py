"""A request's page offers each step only to the party that takes it, in the states where
it applies (coordination.policy.request_actions, the table the services hold to)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from kizuna.coordination import services

from .conftest import Cast
from .test_requests import create

pytestmark = pytest.mark.django_db


def _buttons(client: Client, pk: str) -> set[str]:
    html = client.get(f"/coordination/requests/{pk}/").content.decode()
    return {
        step
        for step in ("submit", "acknowledge", "accept", "complete", "decline", "escalate")
        if f"/coordination/requests/{pk}/{step}/" in html
    }


def test_each_state_offers_its_own_steps_to_its_own_party(client: Client, cast: Cast) -> None:
    request = create(cast)
    client.force_login(cast.wa_officer)
    assert _buttons(client, request.public_id) == {"submit"}
    client.force_login(cast.mef_officer)
    assert _buttons(client, request.public_id) == set()
    services.request_submit(actor=cast.wa_officer, request=request)
    assert _buttons(client, request.public_id) == {"acknowledge", "accept", "decline"}
    services.request_accept(actor=cast.mef_officer, request=request)
    assert _buttons(client, request.public_id) == set()
    for line in request.lines.all():
        services.request_progress(
            actor=cast.mef_officer,
            request=request,
            line_id=line.pk,
            committed=line.quantity,
            in_transit=Decimal(0),
            fulfilled=line.quantity,
        )
    assert _buttons(client, request.public_id) == {"complete"}
    services.request_complete(actor=cast.mef_officer, request=request)
    assert _buttons(client, request.public_id) == set()  # no "accept" on a completed request
    client.force_login(cast.jp_coordinator)
    assert "accept" not in _buttons(client, request.public_id)


def test_a_coordinator_of_the_body_may_escalate_an_open_request(client: Client, cast: Cast) -> None:
    request = create(cast)
    client.force_login(cast.jp_coordinator)
    assert "escalate" in _buttons(client, request.public_id)
    client.force_login(cast.auditor)
    assert _buttons(client, request.public_id) == set()
