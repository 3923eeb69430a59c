"""Players acknowledge and answer an inject beneath its log entry, where they read it: the
situation page and the live page's entry fetch show the inject's part (its number and
status; the forms only to players of the target cell), the forms swap only that part under
HTMX (a refusal beside its field, nothing written) and come back to the entry without
scripts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django.urls import reverse

from kizuna.core.models import Person
from kizuna.exercises import services
from kizuna.exercises.models import Inject

from .scenario_helpers import Run

pytestmark = pytest.mark.django_db
S = Inject.Status
T0 = datetime(2026, 11, 1, 6, 0, tzinfo=UTC)


@pytest.fixture
def out(run: Run) -> Inject:
    """One inject fired into the run's body, and a second left a draft."""
    inject = run.add(T0 + timedelta(minutes=30), "1")
    services.inject_approve(actor=run.controller, inject=inject)
    services.inject_fire_now(actor=run.controller, inject=inject)
    run.add(T0 + timedelta(minutes=40), "2")
    inject.refresh_from_db()
    return inject


def _page(client: Client, person: Person, run: Run) -> str:
    client.force_login(person)
    answer = client.get(reverse("coordination:situation", args=[run.situation]))
    assert answer.status_code == 200
    return answer.content.decode()


def _part(html: str) -> str:
    assert html.count('data-testid="inject-on-entry"') == 1  # the draft shows nowhere
    return html.split('data-testid="inject-on-entry"', 1)[1].split("</div>", 1)[0]


def _step_url(out: Inject, step: str) -> str:
    return reverse("exercises:inject_step", args=[out.exercise, out, step])


def _respond_url(out: Inject) -> str:
    return reverse("exercises:inject_respond", args=[out.exercise, out])


def _htmx(out: Inject) -> dict[str, str]:
    assert out.entry is not None
    return {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": f"inject-on-{out.entry.public_id}"}


def test_a_player_finds_the_forms_beneath_the_entry(client: Client, run: Run, out: Inject) -> None:
    part = _part(_page(client, run.player, run))
    assert _step_url(out, "acknowledge") in part
    assert _respond_url(out) in part
    assert "状況付与 1" in part  # in the player's language


def test_a_reader_who_does_not_play_sees_the_status_without_forms(
    client: Client, run: Run, out: Inject
) -> None:
    # The controller's organization sits in the body, so they read its log; controlling
    # never makes them a player.
    part = _part(_page(client, run.controller, run))
    assert 'data-testid="inject-status"' in part
    assert "<form" not in part


def test_the_live_fetch_of_the_entry_carries_the_part(
    client: Client, run: Run, out: Inject
) -> None:
    assert out.entry is not None
    client.force_login(run.us_player)
    answer = client.get(reverse("coordination:entry", args=[out.entry]))
    assert _respond_url(out) in _part(answer.content.decode())


def test_acknowledge_and_answer_beneath_the_entry(client: Client, run: Run, out: Inject) -> None:
    client.force_login(run.player)
    acknowledged = client.post(_step_url(out, "acknowledge"), **_htmx(out))
    assert acknowledged.status_code == 200
    part = _part(acknowledged.content.decode())
    assert _step_url(out, "acknowledge") not in part  # done: no second acknowledgement
    out.refresh_from_db()
    assert out.status == S.ACKNOWLEDGED
    assert out.acknowledged_by == run.player
    answered = client.post(_respond_url(out), {"response": "部隊を展開した"}, **_htmx(out))
    part = _part(answered.content.decode())
    assert "部隊を展開した" in part
    assert "<form" not in part
    out.refresh_from_db()
    assert out.status == S.RESPONDED
    assert out.response == "部隊を展開した"


def test_a_blank_answer_is_refused_beside_its_field(client: Client, run: Run, out: Inject) -> None:
    client.force_login(run.player)
    refused = client.post(
        _respond_url(out), {"response": "   "}, HTTP_ACCEPT_LANGUAGE="ja", **_htmx(out)
    )
    assert refused.status_code == 200  # htmx swaps only successful answers
    part = _part(refused.content.decode())
    assert "このフィールドは必須です" in part.split('name="response"', 1)[1]
    out.refresh_from_db()
    assert out.status == S.DELIVERED
    assert out.response == ""


def test_acknowledging_twice_says_so_beneath_the_entry(
    client: Client, run: Run, out: Inject
) -> None:
    services.inject_acknowledge(actor=run.player, inject=out)
    client.force_login(run.us_player)
    refused = client.post(_step_url(out, "acknowledge"), **_htmx(out))
    assert "already been acknowledged" in _part(refused.content.decode())
    out.refresh_from_db()
    assert out.acknowledged_by == run.player


def test_without_scripts_the_answer_comes_back_to_the_entry(
    client: Client, run: Run, out: Inject
) -> None:
    assert out.entry is not None
    back = f"{reverse('coordination:situation', args=[run.situation])}#entry-{out.entry.public_id}"
    assert f'value="{back}"' in _part(_page(client, run.player, run))
    answered = client.post(_respond_url(out), {"response": "Deployed", "next": back})
    assert answered.status_code == 302
    assert answered["Location"] == back
    # A `next` naming another site is not followed.
    other = client.post(_step_url(out, "acknowledge"), {"next": "//evil.example/"})
    assert other.status_code == 302
    assert other["Location"] == reverse("exercises:inject", args=[out.exercise, out])


def test_someone_outside_the_cell_may_not_answer(client: Client, run: Run, out: Inject) -> None:
    client.force_login(run.outsider)
    assert client.post(_respond_url(out), {"response": "x"}, **_htmx(out)).status_code == 403
    out.refresh_from_db()
    assert out.status == S.DELIVERED


def test_an_answer_beyond_its_bound_is_refused_beside_its_field(
    client: Client, run: Run, out: Inject
) -> None:
    client.force_login(run.us_player)
    refused = client.post(_respond_url(out), {"response": "x" * 100_000}, **_htmx(out))
    field = _part(refused.content.decode()).split('name="response"', 1)[1]
    assert "Keep it to 5000 characters (this has 100000)." in field
    out.refresh_from_db()
    assert out.status == S.DELIVERED
    assert out.response == ""
