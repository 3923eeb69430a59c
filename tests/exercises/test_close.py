"""Closing an exercise (closing its situation, coordination's `situation_close`) is refused
while injects are still to go out, naming them to a lead who may see the scenario and only
saying that some remain to one who may not; it changes nothing. Once every inject has gone
out or is held, the exercise closes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from kizuna.coordination import services as coordination
from kizuna.coordination.models import LogEntry, Situation
from kizuna.exercises import services
from kizuna.exercises.models import CONTROL_COMMUNITY, Inject
from kizuna.sharing.services import clearance_grant

from .scenario_helpers import Run

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 11, 1, 6, 0, tzinfo=UTC)
REAL = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)


def _refusal(run: Run, language: str) -> str:
    entries = LogEntry.objects.count()
    with translation.override(language), pytest.raises(ValidationError) as refused:
        coordination.situation_close(
            actor=run.coordinator, situation=run.situation, text="End of exercise", at=REAL
        )
    run.situation.refresh_from_db()
    assert run.situation.status == Situation.Status.OPEN
    assert LogEntry.objects.count() == entries
    return " ".join(refused.value.message_dict["injects"])


@pytest.fixture
def scheduled(run: Run) -> Run:
    """Two injects approved and the clock started, so both are scheduled; a third left a
    draft, which never goes out and keeps nothing open."""
    for minutes, number in ((30, "1"), (90, "2")):
        services.inject_approve(
            actor=run.controller, inject=run.add(T0 + timedelta(minutes=minutes), number)
        )
    run.add(T0 + timedelta(minutes=120), "3")
    services.clock_start(actor=run.controller, exercise=run.exercise, scenario_at=T0, now=REAL)
    return run


def test_a_lead_who_sees_the_scenario_is_told_which_injects(scheduled: Run) -> None:
    clearance_grant(
        actor=None, person=scheduled.coordinator, level="jpn-j1", communities=[CONTROL_COMMUNITY]
    )
    said = _refusal(scheduled, "en")
    assert "inject 1 at 2026-11-01 06:30 UTC" in said
    assert "inject 2 at 2026-11-01 07:30 UTC" in said
    assert "inject 3" not in said  # a draft does not keep the exercise open
    said_ja = _refusal(scheduled, "ja")
    assert "状況付与 1" in said_ja
    assert "状況付与 2" in said_ja
    assert "配信" in said_ja


def test_a_lead_who_may_not_see_the_scenario_learns_nothing_of_it(scheduled: Run) -> None:
    said = _refusal(scheduled, "en")
    assert "controllers still have injects scheduled" in said
    assert "06:30" not in said
    assert "inject 1" not in said
    assert "統裁" in _refusal(scheduled, "ja")


def test_the_exercise_closes_once_nothing_is_left_to_go_out(scheduled: Run) -> None:
    assert services.deliver_due(now=REAL + timedelta(minutes=30)) == 1
    second = Inject.objects.get(exercise=scheduled.exercise, number=2)
    services.inject_hold(actor=scheduled.controller, inject=second)
    coordination.situation_close(
        actor=scheduled.coordinator,
        situation=scheduled.situation,
        text="End of exercise",
    )
    scheduled.situation.refresh_from_db()
    assert scheduled.situation.status == Situation.Status.CLOSED


def test_the_close_form_says_so_above_itself_and_closes_nothing(
    client: Client, scheduled: Run
) -> None:
    client.force_login(scheduled.coordinator)
    url = reverse("coordination:close", args=[scheduled.situation.public_id])
    answer = client.post(url, {"text": "End of exercise"}, HTTP_ACCEPT_LANGUAGE="ja")
    assert answer.status_code == 422
    page = answer.content.decode()
    assert "統裁部にはまだ配信予定の状況付与があります" in page
    assert "End of exercise" in page  # what was typed is kept
    scheduled.situation.refresh_from_db()
    assert scheduled.situation.status == Situation.Status.OPEN
