"""Every page of the after-action review, role by role: readers cleared for the exercise's
marking read its observations, lessons, corrective actions and report; evaluators (the
exercise's recorders) write the review; the owner organization's people carry their action
to closure; a hidden record is a 404 as if it did not exist; anonymous visitors sign in."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from kizuna.core import places
from kizuna.core.models import Organization, Person, Role
from kizuna.core.services import token_issue
from kizuna.exercises import services
from kizuna.exercises.models import CorrectiveAction, Lesson, Observation
from kizuna.sharing.marking import Marking

from . import review_helpers as make

pytestmark = pytest.mark.django_db


class Review:
    """An exercise with one observation, one lesson and one corrective action owned by the
    JGSDF Western Army."""

    def __init__(self, name: str, marking: Marking | None = None) -> None:
        self.exercise = make.exercise(name, marking=marking)
        self.observation = services.observation_record(
            actor=None,
            exercise=self.exercise,
            objective=make.objective_of(self.exercise),
            assessment=Observation.Assessment.NOT_MET,
            language="en",
            text=f"{name}: observed late",
            organization=Organization.objects.get(code="joint-staff"),
        )
        self.lesson = make.lesson(self.exercise, objective=make.objective_of(self.exercise))
        self.action = make.action(self.lesson, due_on=self.exercise.starts_on)  # overdue

    def pages(self) -> list[str]:
        return [
            f"/exercises/{self.exercise.public_id}/",
            f"/exercises/{self.exercise.public_id}/after-action.pdf",
            f"/exercises/lessons/{self.lesson.public_id}/",
            f"/exercises/actions/{self.action.public_id}/",
        ]


@pytest.fixture
def listed(people: None) -> Review:
    return Review("Listed tabletop")


@pytest.fixture
def japan_only(people: None) -> Review:
    return Review("Japan-only tabletop", Marking(level="jpn-j1", releasable_to=("JPN",)))


LISTS = ("/exercises/lessons/", "/exercises/actions/", "/exercises/actions/?state=overdue")


def _writes(review: Review) -> list[tuple[str, dict[str, object]]]:
    owner = Organization.objects.get(code="gsdf-western-army")
    return [
        (
            f"/exercises/{review.exercise.public_id}/observations/",
            {
                "objective": make.objective_of(review.exercise).pk,
                "assessment": "met",
                "language": "en",
                "text": "Seen.",
            },
        ),
        (
            f"/exercises/{review.exercise.public_id}/lessons/",
            {
                "title": "T",
                "observation": "O",
                "discussion": "D",
                "lesson": "L",
                "recommendation": "R",
                "language": "en",
            },
        ),
        (
            f"/exercises/lessons/{review.lesson.public_id}/actions/",
            {"owner": owner.pk, "due_on": places.today().isoformat()},
        ),
    ]


def _carry(review: Review) -> list[tuple[str, dict[str, object]]]:
    return [
        (
            f"/exercises/actions/{review.action.public_id}/update/",
            {"status": "in_progress", "note": "Working on it."},
        ),
        (f"/exercises/actions/{review.action.public_id}/close/", {"note": "Done."}),
    ]


@pytest.mark.parametrize("nation", ["JPN", "USA"])
@pytest.mark.parametrize("role", Role.values)
def test_every_cleared_role_reads_the_review_and_only_evaluators_write_it(
    client: Client, cleared: Callable[..., Person], listed: Review, role: str, nation: str
) -> None:
    person = cleared(f"p-{role}-{nation}", role, nation=nation)
    client.force_login(person)
    for path in (*listed.pages(), *LISTS):
        assert client.get(path).status_code == 200, path
    detail = client.get(listed.pages()[0]).content.decode()
    assert "Listed tabletop: observed late" in detail
    assert f"/exercises/lessons/{listed.lesson.public_id}/" in detail
    assert f"/exercises/actions/{listed.action.public_id}/" in detail
    for path in LISTS[1:]:
        assert f"/exercises/actions/{listed.action.public_id}/" in client.get(path).content.decode()
    assert listed.lesson.title in client.get(LISTS[0]).content.decode()
    evaluator = role == Role.EXERCISE_CONTROLLER
    # Forms only where they lead somewhere.
    assert ('data-testid="observation-form"' in detail) is evaluator
    assert ('data-testid="lesson-form"' in detail) is evaluator
    lesson_page = client.get(listed.pages()[2]).content.decode()
    assert ('data-testid="action-open-form"' in lesson_page) is evaluator
    for path, data in _writes(listed):
        assert client.post(path, data).status_code == (302 if evaluator else 403), path
    assert Lesson.objects.count() == (2 if evaluator else 1)


@pytest.mark.parametrize("role", Role.values)
def test_the_owner_organizations_people_carry_their_action_and_others_may_not(
    client: Client, cleared: Callable[..., Person], listed: Review, role: str
) -> None:
    owner = cleared(f"owner-{role}", role)  # JGSDF Western Army
    client.force_login(owner)
    page = client.get(listed.pages()[3]).content.decode()
    assert 'data-testid="action-update-form"' in page
    assert 'data-testid="action-close-form"' in page
    for path, data in _carry(listed):
        assert client.post(path, data).status_code == 302, path
    listed.action.refresh_from_db()
    assert listed.action.status == CorrectiveAction.Status.CLOSED
    assert listed.action.closed_by == owner


@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.EXERCISE_CONTROLLER])
def test_another_organizations_reader_sees_the_action_but_does_not_carry_it(
    client: Client, cleared: Callable[..., Person], listed: Review, role: str
) -> None:
    stranger = cleared(f"other-{role}", role, nation="USA")
    client.force_login(stranger)
    page = client.get(listed.pages()[3]).content.decode()
    assert "action-update-form" not in page
    assert "action-close-form" not in page
    for path, data in _carry(listed):
        assert client.post(path, data).status_code == 403, path
    listed.action.refresh_from_db()
    assert listed.action.status == CorrectiveAction.Status.OPEN


@pytest.mark.parametrize("role", Role.values)
def test_a_person_without_clearance_meets_nothing_of_the_review(
    client: Client, cleared: Callable[..., Person], listed: Review, role: str
) -> None:
    person = cleared(f"u-{role}", role, clearance=None)  # even of the owner organization
    client.force_login(person)
    for path in listed.pages():
        assert client.get(path).status_code == 404, path
    for path in LISTS:
        response = client.get(path)
        assert response.status_code == 200
        assert listed.action.public_id not in response.content.decode()
        assert listed.lesson.title not in response.content.decode()
    for path, data in (*_writes(listed), *_carry(listed)):
        assert client.post(path, data).status_code == 404, path
    assert "exercises-owed" not in client.get("/").content.decode()


def test_markings_hide_another_nations_review_as_if_it_did_not_exist(
    client: Client, cleared: Callable[..., Person], japan_only: Review
) -> None:
    american = cleared("us-ctl", Role.EXERCISE_CONTROLLER, nation="USA")
    client.force_login(american)
    for path in japan_only.pages():
        assert client.get(path).status_code == 404, path
    for path in LISTS:
        assert japan_only.action.public_id not in client.get(path).content.decode()
    for path, data in (*_writes(japan_only), *_carry(japan_only)):
        assert client.post(path, data).status_code == 404, path
    japanese = cleared("jp-reader", Role.AUDITOR)
    client.force_login(japanese)
    for path in japan_only.pages():
        assert client.get(path).status_code == 200, path


def test_the_owners_first_page_counts_only_what_its_people_are_cleared_for(
    client: Client, cleared: Callable[..., Person], people: None
) -> None:
    higher = Review("J2 tabletop", Marking(level="jpn-j2", releasable_to=("JPN", "USA")))
    j1 = cleared("owner-j1", Role.COORDINATOR)
    j2 = cleared("owner-j2", Role.COORDINATOR, clearance="jpn-j2")
    client.force_login(j1)
    assert "exercises-owed" not in client.get("/").content.decode()
    client.force_login(j2)
    page = client.get("/").content.decode()
    assert 'data-testid="count-corrective-overdue">1<' in page
    assert higher.action.overdue


def test_anonymous_visitors_are_sent_to_sign_in(client: Client, listed: Review) -> None:
    for path in (*listed.pages(), *LISTS):
        response = client.get(path)
        assert response.status_code == 302, path
        assert "/login" in response["Location"] or "signin" in response["Location"], path
    for path, data in (*_writes(listed), *_carry(listed)):
        assert client.post(path, data).status_code == 302, path
    assert Lesson.objects.count() == 1


def test_a_malformed_or_unknown_id_is_a_404(
    client: Client, cleared: Callable[..., Person], listed: Review
) -> None:
    client.force_login(cleared("reader", Role.COORDINATOR))
    unknown = "a" * 26
    for path in (
        f"/exercises/lessons/{unknown}/",
        f"/exercises/actions/{unknown}/",
        f"/exercises/{unknown}/after-action.pdf",
    ):
        assert client.get(path).status_code == 404, path


def _api(client: Client, person: Person) -> Callable[..., Any]:
    secret = token_issue(person=person, label="t").secret

    def call(method: str, path: str, body: object = None) -> Any:
        return getattr(client, method)(
            path, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {secret}"
        )

    return call


@pytest.mark.parametrize("nation", ["JPN", "USA"])
@pytest.mark.parametrize("role", Role.values)
def test_the_api_reads_the_review_for_every_cleared_role_and_only_the_owner_or_an_evaluator_closes(
    client: Client, cleared: Callable[..., Person], listed: Review, role: str, nation: str
) -> None:
    person = cleared(f"api-{role}-{nation}", role, nation=nation)
    api = _api(client, person)
    review = api("get", f"/api/exercises/exercises/{listed.exercise.public_id}/review")
    assert review.status_code == 200
    body = review.json()
    assert body["traffic"] == "EXERCISE EXERCISE EXERCISE"
    assert [o["id"] for o in body["observations"]] == [listed.observation.public_id]
    assert [lesson["id"] for lesson in body["lessons"]] == [listed.lesson.public_id]
    assert body["corrective_actions"][0]["overdue"] is True
    overdue = api("get", "/api/exercises/corrective-actions?state=overdue").json()
    assert [a["id"] for a in overdue] == [listed.action.public_id]
    path = f"/api/exercises/corrective-actions/{listed.action.public_id}"
    may = nation == "JPN" or role == Role.EXERCISE_CONTROLLER  # JPN: the owner's people
    updated = api("post", f"{path}/update", {"status": "in_progress", "note": "Working."})
    assert updated.status_code == (200 if may else 403), updated.content
    refused = api("post", f"{path}/close", {"note": ""})
    assert refused.status_code == (422 if may else 403)
    closed = api("post", f"{path}/close", {"note": "Done."})
    assert closed.status_code == (200 if may else 403)
    listed.action.refresh_from_db()
    assert (listed.action.status == CorrectiveAction.Status.CLOSED) is may


def test_the_api_hides_a_review_the_reader_may_not_see(
    client: Client, cleared: Callable[..., Person], japan_only: Review
) -> None:
    american = cleared("api-us-ctl", Role.EXERCISE_CONTROLLER, nation="USA")
    api = _api(client, american)
    assert (
        api("get", f"/api/exercises/exercises/{japan_only.exercise.public_id}/review").status_code
        == 404
    )
    assert api("get", "/api/exercises/corrective-actions").json() == []
    path = f"/api/exercises/corrective-actions/{japan_only.action.public_id}"
    assert api("post", f"{path}/update", {"status": "open", "note": "x"}).status_code == 404
    assert api("post", f"{path}/close", {"note": "x"}).status_code == 404
    uncleared = cleared("api-none", Role.COORDINATOR, clearance=None)
    api = _api(client, uncleared)
    assert (
        api("get", f"/api/exercises/exercises/{japan_only.exercise.public_id}/review").status_code
        == 404
    )
    assert api("post", f"{path}/close", {"note": "x"}).status_code == 404
    japan_only.action.refresh_from_db()
    assert japan_only.action.status == CorrectiveAction.Status.OPEN


def test_the_api_refuses_anonymous_callers(client: Client, listed: Review) -> None:
    assert (
        client.get(f"/api/exercises/exercises/{listed.exercise.public_id}/review").status_code
        == 401
    )
    assert client.get("/api/exercises/corrective-actions").status_code == 401
    closed = client.post(
        f"/api/exercises/corrective-actions/{listed.action.public_id}/close",
        {"note": "x"},
        content_type="application/json",
    )
    assert closed.status_code == 401
