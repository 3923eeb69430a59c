"""The after-action review: a lesson's corrective action followed to closure and reported
overdue on its owner's first page, what keeps recurring across exercises, and the report
as a bilingual PDF."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client

from kizuna.core import places
from kizuna.core.audit import AuditEvent
from kizuna.core.models import Organization, Person
from kizuna.exercises import selectors, services
from kizuna.exercises.models import CorrectiveAction, Observation

from . import review_helpers as make

pytestmark = pytest.mark.django_db


def test_a_lessons_corrective_action_goes_overdue_and_shows_on_its_owners_first_page_closing_it_needs_a_note(  # noqa: E501
    client: Client, people: None, cleared: Callable[..., Person], recorder: Person
) -> None:
    """A lesson's corrective action goes overdue and shows on its owner's first page; closing
    it needs a note."""
    owner = cleared("owner", "logistics_officer")  # JGSDF Western Army, the action's owner
    stranger = cleared("stranger", "coordinator", nation="USA")  # U.S. Forces Japan
    exercise = make.exercise()
    lesson = make.lesson(exercise, objective=make.objective_of(exercise))
    today = places.today()
    action = services.corrective_action_open(
        actor=recorder,
        lesson=lesson,
        owner=Organization.objects.get(code="gsdf-western-army"),
        due_on=today + timedelta(days=3),
    )
    assert action.text == lesson.recommendation  # the recommendation becomes the action

    client.force_login(owner)
    page = client.get("/").content.decode()
    assert 'data-testid="count-corrective-due">1<' in page
    assert "count-corrective-overdue" not in page

    later = datetime.combine(today + timedelta(days=5), datetime.min.time(), UTC)
    with time_machine.travel(later, tick=False):
        assert CorrectiveAction.objects.get(pk=action.pk).overdue
        client.force_login(owner)  # a new day, a new sign-in
        page = client.get("/").content.decode()
        assert 'data-testid="count-corrective-overdue">1<' in page
        assert "/exercises/actions/?state=overdue&amp;mine=1" in page
        listed = client.get("/exercises/actions/?state=overdue&mine=1").content.decode()
        assert f"/exercises/actions/{action.public_id}/" in listed
        assert 'data-testid="overdue"' in listed
        client.force_login(stranger)  # another organization's person: nothing owed
        assert "exercises-owed" not in client.get("/").content.decode()

        client.force_login(owner)
        refused = client.post(f"/exercises/actions/{action.public_id}/close/", {"note": "  "})
        assert refused.status_code == 422
        assert (
            "閉じるには、是正措置をどのように実施したかを記入してください。"
            in refused.content.decode()
        )
        assert CorrectiveAction.objects.get(pk=action.pk).status == CorrectiveAction.Status.OPEN

        closed = client.post(
            f"/exercises/actions/{action.public_id}/close/",
            {"note": "用語集を発行し、様式を二言語化した。"},
        )
        assert closed.status_code == 302
        action.refresh_from_db()
        assert action.status == CorrectiveAction.Status.CLOSED
        assert action.closed_by == owner
        assert action.closed_at is not None
        assert action.closing_note == "用語集を発行し、様式を二言語化した。"
        assert not action.overdue
        assert "exercises-owed" not in client.get("/").content.decode()
    assert AuditEvent.objects.filter(action="exercises.corrective_action.close").count() == 1


def test_an_owner_updates_progress_and_reschedules(
    people: None, cleared: Callable[..., Person]
) -> None:
    owner = cleared("owner", "coordinator")
    action = make.action(make.lesson(make.exercise()), due_on=places.today())
    services.corrective_action_update(
        actor=owner,
        action=action,
        status=CorrectiveAction.Status.IN_PROGRESS,
        note="Draft glossary circulated.",
        due_on=places.today() + timedelta(days=30),
    )
    action.refresh_from_db()
    assert action.status == CorrectiveAction.Status.IN_PROGRESS
    assert action.progress_note == "Draft glossary circulated."
    assert action.due_on == places.today() + timedelta(days=30)
    event = AuditEvent.objects.get(action="exercises.corrective_action.update")
    assert event.actor_id == owner.pk


def test_the_same_objective_falling_short_in_several_exercises_is_grouped_with_counts(
    people: None, recorder: Person
) -> None:
    first = make.exercise("First tabletop")
    second = make.exercise(
        "Second tabletop", objective="  strengthen COORDINATION with U.S. forces. "
    )
    third = make.exercise("Third tabletop", objective="Another objective")
    met = make.exercise("Fourth tabletop")
    for exercise, assessment in (
        (first, Observation.Assessment.NOT_MET),
        (first, Observation.Assessment.PARTIALLY_MET),
        (second, Observation.Assessment.NOT_MET),
        (third, Observation.Assessment.NOT_MET),
        (met, Observation.Assessment.MET),  # met: not a shortfall
    ):
        services.observation_record(
            actor=recorder,
            exercise=exercise,
            objective=make.objective_of(exercise),
            assessment=assessment,
            language="en",
            text="Seen.",
        )
    drawn = make.lesson(second, objective=make.objective_of(second))

    found = selectors.recurring(person=recorder)

    assert len(found) == 1  # "Another objective" fell short in one exercise only
    group = found[0]
    assert group.count == 2
    assert [e.name_en for e in group.exercises] == ["First tabletop", "Second tabletop"]
    assert group.shortfalls == 3
    assert group.lessons == [drawn]


def test_the_lessons_page_shows_what_recurs(client: Client, people: None, recorder: Person) -> None:
    for name in ("First tabletop", "Second tabletop"):
        exercise = make.exercise(name)
        make.lesson(exercise, objective=make.objective_of(exercise))
    client.force_login(recorder)
    page = client.get("/exercises/lessons/").content.decode()
    assert 'data-testid="recurring-count">2<' in page
    assert "米軍との連携強化" in page  # in the reader's language
    assert "EXERCISE EXERCISE EXERCISE" in page


def _pdf_text(pdf: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils is not installed")
def test_the_after_action_report_is_a_bilingual_pdf_marked_as_exercise_traffic(
    client: Client, people: None, recorder: Person
) -> None:
    exercise = make.exercise()
    services.observation_record(
        actor=recorder,
        exercise=exercise,
        objective=make.objective_of(exercise),
        assessment=Observation.Assessment.NOT_MET,
        language="ja",
        text="状況図の更新が遅れた。",
    )
    lesson = make.lesson(exercise, objective=make.objective_of(exercise))
    make.action(lesson, due_on=exercise.starts_on)  # long past: overdue
    client.force_login(recorder)
    response = client.get(f"/exercises/{exercise.public_id}/after-action.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content)
    assert text.count("EXERCISE EXERCISE EXERCISE") >= 2  # top and bottom of the page
    for words in (
        "事後研究会報告",
        "After-action report: Review tabletop",
        "所見 / Observations",
        "未達成 / Not met",  # each word in both languages
        "状況図の更新が遅れた。",
        "教訓 / Lessons",
        "Glossary missing",
        "考察 / Discussion",
        "提言 / Recommendation",
        "Publish a shared glossary before the next exercise.",
        "是正措置 / Corrective actions",
        "陸上自衛隊西部方面隊",
        "期限超過 / Overdue",
        "未着手 / Open",
        "JPN、USAに開示可",
    ):
        assert words in text, words


def test_the_demo_has_illustrative_lessons_one_action_overdue(seeded: None) -> None:
    from kizuna.exercises.models import Lesson

    assert Lesson.objects.count() == 2
    assert set(Lesson.objects.values_list("provenance", flat=True)) == {"illustrative"}
    actions = list(CorrectiveAction.objects.all())
    assert {a.provenance for a in actions} == {"illustrative"}
    assert [a.owner.code for a in actions if a.overdue] == ["gsdf-western-army"]
    assert any(a.status == CorrectiveAction.Status.CLOSED for a in actions)
    jp = Person.objects.get(username="jp-exercise")
    assert selectors.owed_by(person=jp)["overdue"] == 1
    assert len(selectors.recurring(person=jp)) == 1  # the shared bilateral objective


def test_a_refused_write_changes_nothing(people: None, recorder: Person) -> None:
    exercise = make.exercise()
    with pytest.raises(ValidationError):
        services.lesson_record(
            actor=recorder,
            exercise=exercise,
            title="x" * 201,
            observation="o",
            discussion="d",
            lesson="l",
            recommendation="r",
            language="en",
        )
    assert not AuditEvent.objects.filter(action="exercises.lesson.record").exists()


def test_the_review_lists_read_in_a_fixed_number_of_queries(
    client: Client, people: None, recorder: Person
) -> None:
    """No query per row: the lists cost the same for one record as for many."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(recorder)
    exercise = make.exercise()
    paths = (
        "/exercises/actions/",
        "/exercises/lessons/",
        f"/exercises/{exercise.public_id}/",
        f"/api/exercises/exercises/{exercise.public_id}/review",
    )

    def costs() -> list[int]:
        counted = []
        for path in paths:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(path).status_code == 200
            counted.append(len(queries))
        return counted

    def add_review() -> None:
        services.observation_record(
            actor=recorder,
            exercise=exercise,
            objective=make.objective_of(exercise),
            assessment=Observation.Assessment.NOT_MET,
            language="en",
            text="Late.",
        )
        make.action(
            make.lesson(exercise, objective=make.objective_of(exercise)), due_on=places.today()
        )

    add_review()
    costs()  # the first request of a session writes its own rows
    one = costs()
    for _ in range(4):
        add_review()
    assert costs() == one


def test_the_owners_link_lists_only_their_organizations_actions(
    client: Client, people: None, cleared: Callable[..., Person]
) -> None:
    lesson = make.lesson(make.exercise())
    ours = make.action(lesson, due_on=lesson.exercise.starts_on)
    theirs = make.action(lesson, owner="usfj", due_on=lesson.exercise.starts_on)
    client.force_login(cleared("owner", "coordinator"))
    mine = client.get("/exercises/actions/?state=overdue&mine=1").content.decode()
    assert ours.public_id in mine
    assert theirs.public_id not in mine
    every = client.get("/exercises/actions/?state=overdue").content.decode()
    assert theirs.public_id in every
