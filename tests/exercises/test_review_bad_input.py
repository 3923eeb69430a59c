"""Every refusal of the after-action review: a clear message in the writer's language on the
field at fault, and nothing written (no record, no audit event)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone, translation

from kizuna.core import bounds, places
from kizuna.core.audit import AuditEvent
from kizuna.core.models import Organization, Person, Role
from kizuna.exercises import services
from kizuna.exercises.models import CorrectiveAction, Exercise, Lesson, Observation

from . import review_helpers as make

pytestmark = pytest.mark.django_db


@pytest.fixture
def exercise(people: None) -> Exercise:
    return make.exercise()


def _nothing_written() -> tuple[int, int, int, int]:
    return (
        Observation.objects.count(),
        Lesson.objects.count(),
        CorrectiveAction.objects.count(),
        AuditEvent.objects.filter(action__startswith="exercises.").count(),
    )


def _refused(write: Callable[[], Any], field: str, words: str) -> None:
    before = _nothing_written()
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        write()
    assert words in " ".join(refused.value.message_dict[field])
    assert _nothing_written() == before


def _observe(recorder: Person, exercise: Exercise, **changes: Any) -> Callable[[], Any]:
    given: dict[str, Any] = {
        "actor": recorder,
        "exercise": exercise,
        "objective": make.objective_of(exercise),
        "assessment": "not_met",
        "language": "en",
        "text": "Late.",
        **changes,
    }
    return lambda: services.observation_record(**given)


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"objective": None}, "objective", "Choose the objective observed."),
        ({"assessment": "great"}, "assessment", "Say whether the objective was met."),
        ({"language": "fr"}, "language", "Say which language the text is written in."),
        ({"text": "   "}, "text", "This field is required."),
        ({"text": "x" * (bounds.ENTRY_CHARS + 1)}, "text", "Keep it to 8000 characters"),
        ({"text": "bad\x00text"}, "text", "control character (U+0000)"),
        ({"observed_at": datetime(2020, 6, 1, 9, 0)}, "observed_at", "with its time zone"),  # noqa: DTZ001
        ({"observed_at": datetime(1980, 1, 1, tzinfo=UTC)}, "observed_at", "before"),
        ({"provenance": "seed"}, "provenance", "Only the demo marks a review illustrative."),
    ],
)
def test_an_observation_is_refused(
    recorder: Person, exercise: Exercise, changes: dict[str, Any], field: str, words: str
) -> None:
    _refused(_observe(recorder, exercise, **changes), field, words)


def test_an_observation_in_the_future_is_refused(recorder: Person, exercise: Exercise) -> None:
    tomorrow = timezone.now() + timedelta(days=1)
    _refused(_observe(recorder, exercise, observed_at=tomorrow), "observed_at", "in the future")


def test_an_objective_of_another_exercise_is_refused(recorder: Person, exercise: Exercise) -> None:
    other = make.objective_of(make.exercise("Other tabletop"))
    _refused(_observe(recorder, exercise, objective=other), "objective", "not one of this exercise")
    lesson = dict(
        actor=recorder,
        exercise=exercise,
        objective=other,
        title="t",
        observation="o",
        discussion="d",
        lesson="l",
        recommendation="r",
        language="en",
    )
    _refused(lambda: services.lesson_record(**lesson), "objective", "not one of this exercise")


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("title", "x" * (bounds.TITLE_CHARS + 1), "Keep it to 200 characters"),
        ("title", "", "This field is required."),
        ("observation", "", "This field is required."),
        ("discussion", " ", "This field is required."),
        ("lesson", "", "This field is required."),
        ("recommendation", "x" * (bounds.REASON_CHARS + 1), "Keep it to 2000 characters"),
        ("language", "de", "Say which language"),
    ],
)
def test_a_lesson_is_refused(
    recorder: Person, exercise: Exercise, field: str, value: str, words: str
) -> None:
    given: dict[str, Any] = {
        "actor": recorder,
        "exercise": exercise,
        "title": "t",
        "observation": "o",
        "discussion": "d",
        "lesson": "l",
        "recommendation": "r",
        "language": "en",
        field: value,
    }
    _refused(lambda: services.lesson_record(**given), field, words)


@pytest.mark.parametrize(
    ("due_on", "words"),
    [
        (None, "Give the due date."),
        (date(2020, 5, 31), "before the exercise (2020-06-01)"),
        (date(1899, 1, 1), "before the exercise"),
        ("six years", "give one within five years"),
        (date(9999, 12, 31), "give one within five years"),
    ],
)
def test_a_corrective_action_with_a_bad_due_date_is_refused(
    exercise: Exercise, recorder: Person, due_on: Any, words: str
) -> None:
    lesson = make.lesson(exercise)
    if due_on == "six years":
        due_on = places.today() + timedelta(days=6 * 366)
    owner = Organization.objects.get(code="gsdf-western-army")
    _refused(
        lambda: services.corrective_action_open(
            actor=recorder, lesson=lesson, owner=owner, due_on=due_on
        ),
        "due_on",
        words,
    )


@pytest.fixture
def action(exercise: Exercise) -> CorrectiveAction:
    return make.action(make.lesson(exercise), due_on=places.today())


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"status": "closed"}, "status", "close an action with its closing note"),
        ({"status": "done"}, "status", "Choose open or in progress"),
        ({"note": ""}, "note", "This field is required."),
        ({"due_on": date(2019, 1, 1)}, "due_on", "before the exercise"),
    ],
)
def test_an_update_is_refused(
    recorder: Person, action: CorrectiveAction, changes: dict[str, Any], field: str, words: str
) -> None:
    given = {"status": "in_progress", "note": "Working.", **changes}
    _refused(
        lambda: services.corrective_action_update(actor=recorder, action=action, **given),
        field,
        words,
    )
    action.refresh_from_db()
    assert action.status == CorrectiveAction.Status.OPEN


def test_closing_without_a_note_is_refused_in_both_languages(
    recorder: Person, action: CorrectiveAction
) -> None:
    for language, words in (
        ("en", "Say how the action was carried out to close it."),
        ("ja", "閉じるには、是正措置をどのように実施したかを記入してください。"),
    ):
        with translation.override(language), pytest.raises(ValidationError) as refused:
            services.corrective_action_close(actor=recorder, action=action, note=" \n ")
        assert refused.value.message_dict["note"] == [words]
    action.refresh_from_db()
    assert action.status == CorrectiveAction.Status.OPEN
    assert action.closed_at is None


def test_a_closed_action_is_not_closed_or_updated_again(
    recorder: Person, action: CorrectiveAction
) -> None:
    services.corrective_action_close(actor=recorder, action=action, note="Done.")
    _refused(
        lambda: services.corrective_action_close(actor=recorder, action=action, note="Again."),
        "status",
        "This corrective action is closed.",
    )
    _refused(
        lambda: services.corrective_action_update(
            actor=recorder, action=action, status="open", note="Reopen."
        ),
        "status",
        "This corrective action is closed.",
    )


@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.EXERCISE_CONTROLLER])
def test_only_evaluators_record_the_review(
    exercise: Exercise, cleared: Callable[..., Person], role: str
) -> None:
    person = cleared("someone", role)
    lesson = make.lesson(exercise)
    before = _nothing_written()
    for write in (
        _observe(person, exercise),
        lambda: make_lesson_as(person, exercise),
        lambda: services.corrective_action_open(
            actor=person,
            lesson=lesson,
            owner=Organization.objects.get(code="gsdf-western-army"),
            due_on=places.today(),
        ),
    ):
        with translation.override("ja"), pytest.raises(PermissionDenied) as refused:
            write()
        assert str(refused.value) == "演習の評価者だけが事後研究会を記録できます。"
    assert _nothing_written() == before


def make_lesson_as(person: Person, exercise: Exercise) -> Lesson:
    return services.lesson_record(
        actor=person,
        exercise=exercise,
        title="t",
        observation="o",
        discussion="d",
        lesson="l",
        recommendation="r",
        language="en",
    )


def test_an_uncleared_controller_records_no_review(
    exercise: Exercise, cleared: Callable[..., Person]
) -> None:
    person = cleared("uncleared", Role.EXERCISE_CONTROLLER, clearance=None)
    with pytest.raises(PermissionDenied):
        _observe(person, exercise)()
    assert Observation.objects.count() == 0


def test_a_reviewer_writes_only_for_their_own_organization(
    recorder: Person, exercise: Exercise
) -> None:
    with pytest.raises(PermissionDenied):
        _observe(recorder, exercise, organization=Organization.objects.get(code="usfj"))()
    assert Observation.objects.count() == 0


def test_another_organization_neither_updates_nor_closes(
    action: CorrectiveAction, cleared: Callable[..., Person]
) -> None:
    stranger = cleared("stranger", Role.COORDINATOR, nation="USA")
    uncleared_owner = cleared("owner", Role.COORDINATOR, clearance=None)
    for person in (stranger, uncleared_owner):
        with pytest.raises(PermissionDenied):
            services.corrective_action_update(
                actor=person, action=action, status="in_progress", note="Mine now."
            )
        with pytest.raises(PermissionDenied):
            services.corrective_action_close(actor=person, action=action, note="Done.")
    action.refresh_from_db()
    assert action.status == CorrectiveAction.Status.OPEN
    assert action.progress_note == ""


def test_a_refused_form_keeps_what_was_typed_with_the_error_beside_its_field(
    client: Client, recorder: Person, exercise: Exercise
) -> None:
    lesson = make.lesson(exercise)
    client.force_login(recorder)
    owner = Organization.objects.get(code="gsdf-western-army")
    response = client.post(
        f"/exercises/lessons/{lesson.public_id}/actions/",
        {"owner": owner.pk, "due_on": "2019-12-31", "text": "用語集を整備する。"},
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "期限が演習（2020-06-01）より前です。それ以降の日付を入力してください。" in page
    assert "用語集を整備する。" in page  # what was typed
    assert 'value="2019-12-31"' in page
    form = response.context["form"]
    assert list(form.errors) == ["due_on"]
    assert CorrectiveAction.objects.count() == 0

    refused = client.post(
        f"/exercises/{exercise.public_id}/observations/",
        {
            "objective": make.objective_of(exercise).pk,
            "assessment": "",
            "language": "ja",
            "text": "遅延",
        },
    )
    assert refused.status_code == 422
    assert "observation_form" in refused.context
    assert list(refused.context["observation_form"].errors) == ["assessment"]
    assert "遅延" in refused.content.decode()
    assert Observation.objects.count() == 0
