"""The after-action review written through the API: an observation, its translation, a
lesson and a lesson's corrective action. Every role of both nations, allowed or refused as
the exercises policy says (a hidden record a 404, a seen one not theirs to write a 403);
every refusal of bad input a 422 naming the field, in the reader's language, with nothing
written."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from django.test import Client

from kizuna.core import bounds, places
from kizuna.core.audit import AuditEvent
from kizuna.core.models import Organization, Person, Role
from kizuna.core.public_ids import is_public_id
from kizuna.core.services import token_issue
from kizuna.exercises import services
from kizuna.exercises.models import CorrectiveAction, Lesson, Observation
from kizuna.sharing.marking import Marking

from . import review_helpers as make

pytestmark = pytest.mark.django_db

EVALUATORS = {Role.EXERCISE_CONTROLLER}
TRANSLATORS = {Role.EXERCISE_CONTROLLER, Role.INFORMATION_MANAGER}


class Review:
    """An exercise with its objective 1, one observation not yet translated and one lesson."""

    def __init__(self, name: str, marking: Marking | None = None) -> None:
        self.exercise = make.exercise(name, marking=marking)
        self.observation = services.observation_record(
            actor=None,
            exercise=self.exercise,
            objective=make.objective_of(self.exercise),
            assessment=Observation.Assessment.NOT_MET,
            language="en",
            text="Updates to the common picture came late.",
            organization=Organization.objects.get(code="joint-staff"),
        )
        self.lesson = make.lesson(self.exercise)

    def writes(self) -> dict[str, tuple[str, dict[str, Any]]]:
        """Each new route with a body it takes from one who may write."""
        exercise = f"/api/exercises/exercises/{self.exercise.public_id}"
        return {
            "observation": (
                f"{exercise}/observations",
                {
                    "objective": 1,
                    "assessment": "partially_met",
                    "language": "ja",
                    "text": "共通作戦図の更新が40分遅れた。",
                    "observed_at": "2020-06-01T10:30:00+09:00",
                },
            ),
            "translation": (
                f"{exercise}/observations/{self.observation.public_id}/translation",
                {"translation": "共通作戦図の更新が遅れた。"},
            ),
            "lesson": (
                f"{exercise}/lessons",
                {
                    "objective": 1,
                    "title": "用語集がない",
                    "observation": "更新が遅れた。",
                    "discussion": "用語をその場で訳していた。",
                    "lesson": "共通の対訳用語集が先である。",
                    "recommendation": "次の演習までに用語集を公開する。",
                    "language": "ja",
                },
            ),
            "action": (
                f"/api/exercises/lessons/{self.lesson.public_id}/corrective-actions",
                {"owner": "gsdf-western-army", "due_on": places.today().isoformat()},
            ),
        }


@pytest.fixture
def listed(people: None) -> Review:
    return Review("Listed tabletop")


@pytest.fixture
def japan_only(people: None) -> Review:
    return Review("Japan-only tabletop", Marking(level="jpn-j1", releasable_to=("JPN",)))


def _api(client: Client, person: Person, language: str = "en") -> Callable[..., Any]:
    secret = token_issue(person=person, label="t").secret

    def post(path: str, body: object) -> Any:
        return client.post(
            path,
            body,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {secret}",
            HTTP_ACCEPT_LANGUAGE=language,
        )

    return post


def _state() -> tuple[int, ...]:
    """What a write could change: the review's rows, the translations given, the audit."""
    return (
        Observation.objects.count(),
        Observation.objects.exclude(translation="").count(),
        Lesson.objects.count(),
        CorrectiveAction.objects.count(),
        AuditEvent.objects.filter(action__startswith="exercises.").count(),
    )


def _may(route: str, role: str) -> bool:
    return role in (TRANSLATORS if route == "translation" else EVALUATORS)


@pytest.mark.parametrize("nation", ["JPN", "USA"])
@pytest.mark.parametrize("role", Role.values)
def test_each_cleared_role_writes_what_the_policy_lets_it_and_is_refused_the_rest(
    client: Client, cleared: Callable[..., Person], listed: Review, role: str, nation: str
) -> None:
    person = cleared(f"api-{role}-{nation}", role, nation=nation)
    post = _api(client, person)
    for route, (path, body) in listed.writes().items():
        before = _state()
        response = post(path, body)
        if not _may(route, role):
            assert response.status_code == 403, (route, response.content)
            assert response.json()["code"] == "forbidden"
            assert _state() == before, route
            continue
        assert response.status_code in (200, 201), (route, response.content)
        answer = response.json()
        assert answer["traffic"] == "EXERCISE EXERCISE EXERCISE"
        after = _state()
        assert after[:-1] != before[:-1], route
        assert after[-1] == before[-1] + 1, route  # audited, once
        assert AuditEvent.objects.order_by("pk").last().actor == person  # type: ignore[union-attr]
    written = Observation.objects.exclude(public_id=listed.observation.public_id).first()
    assert (written is not None) is (role in EVALUATORS)
    listed.observation.refresh_from_db()
    assert (listed.observation.translation != "") is (role in TRANSLATORS)


def test_an_evaluators_writes_answer_with_public_ids_and_are_audited(
    client: Client, cleared: Callable[..., Person], listed: Review
) -> None:
    evaluator = cleared("evaluator", Role.EXERCISE_CONTROLLER)
    post = _api(client, evaluator)
    writes = listed.writes()

    observed = post(*writes["observation"])
    assert observed.status_code == 201, observed.content
    observation = Observation.objects.get(public_id=observed.json()["id"])
    answered = observed.json()
    # The instant given, with its offset: 10:30 in Japan is 01:30 UTC.
    instant = datetime(2020, 6, 1, 1, 30, tzinfo=UTC)
    assert datetime.fromisoformat(answered.pop("observed_at")) == instant
    assert observation.observed_at == instant
    assert answered == {
        "id": observation.public_id,
        "traffic": "EXERCISE EXERCISE EXERCISE",
        "exercise": listed.exercise.public_id,
        "objective": 1,
        "assessment": "partially_met",
        "language": "ja",
        "text": "共通作戦図の更新が40分遅れた。",
        "translation": "",
        "organization": "gsdf-western-army",
        "provenance": "",
    }
    assert observation.author == evaluator

    translated = post(*writes["translation"])
    assert translated.status_code == 200, translated.content
    assert translated.json()["id"] == listed.observation.public_id
    assert translated.json()["translation"] == "共通作戦図の更新が遅れた。"
    listed.observation.refresh_from_db()
    assert listed.observation.translation == "共通作戦図の更新が遅れた。"
    assert listed.observation.text == "Updates to the common picture came late."  # original kept

    learned = post(*writes["lesson"])
    assert learned.status_code == 201, learned.content
    lesson = Lesson.objects.get(public_id=learned.json()["id"])
    assert (lesson.title, lesson.objective) == ("用語集がない", make.objective_of(listed.exercise))
    assert learned.json()["objective"] == 1

    opened = post(*writes["action"])
    assert opened.status_code == 201, opened.content
    action = CorrectiveAction.objects.get(public_id=opened.json()["id"])
    assert (action.owner.code, action.lesson, action.status) == (
        "gsdf-western-army",
        listed.lesson,
        CorrectiveAction.Status.OPEN,
    )
    assert action.text == listed.lesson.recommendation  # the recommendation's words by default
    assert opened.json()["lesson"] == listed.lesson.public_id

    # No database key leaves the server: every id answered is a public id.
    named = [(a.json()["id"], a.json()["exercise"]) for a in (observed, translated, learned)]
    named.append((opened.json()["id"], opened.json()["lesson"]))
    assert all(is_public_id(one) and is_public_id(other) for one, other in named), named
    assert list(
        AuditEvent.objects.filter(actor=evaluator, action__startswith="exercises.")
        .order_by("pk")
        .values_list("action", flat=True)
    ) == [
        "exercises.observation.record",
        "exercises.observation.translate",
        "exercises.lesson.record",
        "exercises.corrective_action.open",
    ]
    review = client.get(
        f"/api/exercises/exercises/{listed.exercise.public_id}/review",
        HTTP_AUTHORIZATION=f"Bearer {token_issue(person=evaluator, label='r').secret}",
    ).json()
    assert {o["id"] for o in review["observations"]} == {
        listed.observation.public_id,
        observation.public_id,
    }


@pytest.mark.parametrize("role", Role.values)
def test_a_person_without_clearance_finds_nothing_to_write_to(
    client: Client, cleared: Callable[..., Person], listed: Review, role: str
) -> None:
    post = _api(client, cleared(f"u-{role}", role, clearance=None))
    before = _state()
    for route, (path, body) in listed.writes().items():
        response = post(path, body)
        assert response.status_code == 404, (route, response.content)
        assert response.json()["code"] == "not_found"
    assert _state() == before


@pytest.mark.parametrize("role", sorted(TRANSLATORS))
def test_another_nations_exercise_is_missing_even_for_those_who_may_write(
    client: Client, cleared: Callable[..., Person], japan_only: Review, role: str
) -> None:
    post = _api(client, cleared(f"us-{role}", role, nation="USA"))
    before = _state()
    for route, (path, body) in japan_only.writes().items():
        assert post(path, body).status_code == 404, route
    assert _state() == before
    # A Japanese evaluator writes to it: the 404 above is the marking's, not the payload's.
    japanese = _api(client, cleared("jp-ctl", Role.EXERCISE_CONTROLLER))
    assert japanese(*japan_only.writes()["observation"]).status_code == 201


def test_someone_elses_exercise_ids_do_not_mix(
    client: Client, cleared: Callable[..., Person], listed: Review, people: None
) -> None:
    """An observation named under another exercise's id is missing there."""
    other = make.exercise("Other tabletop")
    post = _api(client, cleared("ctl-mix", Role.EXERCISE_CONTROLLER))
    path = f"/api/exercises/exercises/{other.public_id}/observations/"
    before = _state()
    response = post(f"{path}{listed.observation.public_id}/translation", {"translation": "訳"})
    assert response.status_code == 404
    assert _state() == before


def test_anonymous_callers_are_asked_to_sign_in(client: Client, listed: Review) -> None:
    before = _state()
    for route, (path, body) in listed.writes().items():
        response = client.post(path, body, content_type="application/json")
        assert response.status_code == 401, route
    assert _state() == before


# (route, change to its good body, field at fault, English words, Japanese words); a change
# of None drops the field.
BAD: dict[str, tuple[str, dict[str, Any], str, str, str]] = {
    "observation without objective": (
        "observation",
        {"objective": None},
        "objective",
        "objective is missing or malformed.",
        "objective が未入力か、形式が正しくありません。",
    ),
    "observation without text": (
        "observation",
        {"text": None},
        "text",
        "text is missing or malformed.",
        "text が未入力か、形式が正しくありません。",
    ),
    "observation at a bare local time": (
        "observation",
        {"observed_at": "2020-06-01T10:30:00"},
        "observed_at",
        "Give the time with its time zone.",
        "日時はタイムゾーンを付けて入力してください。",
    ),
    "observation at no time at all": (
        "observation",
        {"observed_at": "yesterday"},
        "observed_at",
        "Give a date and time in ISO 8601.",
        "ISO 8601形式で日時を入力してください。",
    ),
    "observation on an unknown objective": (
        "observation",
        {"objective": 7},
        "objective",
        "This exercise has no objective 7.",
        "この演習に目標7はありません。",
    ),
    "observation unassessed": (
        "observation",
        {"assessment": "great"},
        "assessment",
        "Say whether the objective was met.",
        "目標を達成したかどうかを評価してください。",
    ),
    "lesson without title": (
        "lesson",
        {"title": None},
        "title",
        "title is missing or malformed.",
        "title が未入力か、形式が正しくありません。",
    ),
    "lesson with an empty recommendation": (
        "lesson",
        {"recommendation": "  "},
        "recommendation",
        "This field is required.",
        "このフィールドは必須です。",
    ),
    "lesson on an unknown objective": (
        "lesson",
        {"objective": 2},
        "objective",
        "This exercise has no objective 2.",
        "この演習に目標2はありません。",
    ),
    "action for an unknown owner": (
        "action",
        {"owner": "no-such-unit"},
        "owner",
        "No organization has the code “no-such-unit”.",
        "コード「no-such-unit」の組織はありません。",
    ),
    "action without due date": (
        "action",
        {"due_on": None},
        "due_on",
        "Give the due date.",
        "期限を入力してください。",
    ),
    "action due before the exercise": (
        "action",
        {"due_on": "2019-12-31"},
        "due_on",
        "The due date is before the exercise (2020-06-01)",
        "期限が演習（2020-06-01）より前です。",
    ),
    "translation without text": (
        "translation",
        {"translation": None},
        "translation",
        "translation is missing or malformed.",
        "translation が未入力か、形式が正しくありません。",
    ),
    "translation empty": (
        "translation",
        {"translation": " "},
        "translation",
        "This field is required.",
        "このフィールドは必須です。",
    ),
    "translation too long": (
        "translation",
        {"translation": "訳" * (bounds.ENTRY_CHARS + 1)},
        "translation",
        "Keep it to 8000 characters (this has 8001).",
        "8000文字以内にしてください（現在8001文字）。",
    ),
}


@pytest.mark.parametrize("case", BAD)
@pytest.mark.parametrize("language", ["en", "ja"])
def test_bad_input_is_refused_in_the_readers_language_and_writes_nothing(
    client: Client, cleared: Callable[..., Person], listed: Review, case: str, language: str
) -> None:
    route, change, field, english, japanese = BAD[case]
    path, good = listed.writes()[route]
    body = {k: v for k, v in {**good, **change}.items() if v is not None}
    post = _api(client, cleared("evaluator", Role.EXERCISE_CONTROLLER), language)
    before = _state()
    response = post(path, body)
    assert response.status_code == 422, response.content
    answer = response.json()
    words = japanese if language == "ja" else english
    assert answer["code"] == "invalid_input"
    assert words in answer["message"]
    assert [d["field"] for d in answer["detail"]] == [field]
    assert _state() == before
    # The same body without the change is written: the refusal is the change's.
    assert post(path, good).status_code in (200, 201)


@pytest.mark.parametrize("language", ["en", "ja"])
def test_an_observation_is_translated_once(
    client: Client, cleared: Callable[..., Person], listed: Review, language: str
) -> None:
    post = _api(client, cleared("liaison", Role.INFORMATION_MANAGER), language)
    path, body = listed.writes()["translation"]
    assert post(path, body).status_code == 200
    before = _state()
    again = post(path, {"translation": "別の訳"})
    assert again.status_code == 422
    assert again.json()["detail"] == [
        {
            "field": "translation",
            "problem": {
                "en": "This observation already has its translation.",
                "ja": "この所見には既に翻訳があります。",
            }[language],
        }
    ]
    assert _state() == before
    listed.observation.refresh_from_db()
    assert listed.observation.translation == body["translation"]


# --- the translation form on the exercise page ----------------------------------------------


def _page(review: Review) -> str:
    return f"/exercises/{review.exercise.public_id}/"


def _form_path(review: Review) -> str:
    exercise, observation = review.exercise.public_id, review.observation.public_id
    return f"/exercises/{exercise}/observations/{observation}/translation/"


@pytest.mark.parametrize("role", Role.values)
def test_the_form_shows_beside_the_untranslated_observation_for_who_may_translate(
    client: Client, cleared: Callable[..., Person], listed: Review, role: str
) -> None:
    client.force_login(cleared(f"p-{role}", role))
    page = client.get(_page(listed)).content.decode()
    may = role in TRANSLATORS
    assert ('data-testid="translation-form"' in page) is may
    assert (_form_path(listed) in page) is may
    before = _state()
    response = client.post(_form_path(listed), {"translation": "共通作戦図の更新が遅れた。"})
    assert response.status_code == (302 if may else 403)
    assert (_state() != before) is may
    page = client.get(_page(listed)).content.decode()
    assert ('data-testid="observation-translation"' in page) is may
    assert ("共通作戦図の更新が遅れた。" in page) is may
    assert 'data-testid="translation-form"' not in page  # translated, or not theirs to give


def test_a_refused_translation_comes_back_beside_its_field_with_what_was_typed(
    client: Client, cleared: Callable[..., Person], listed: Review
) -> None:
    client.force_login(cleared("liaison", Role.INFORMATION_MANAGER))  # reads Japanese
    typed = "遅" * (bounds.ENTRY_CHARS + 1)
    before = _state()
    response = client.post(_form_path(listed), {"translation": typed})
    assert response.status_code == 422
    page = response.content.decode()
    assert "8000文字以内にしてください（現在8001文字）。" in page
    assert typed in page
    rows = dict(response.context["observation_rows"])
    refused = rows[listed.observation]
    assert refused is not None
    assert list(refused.errors) == ["translation"]
    assert "<details open>" in page
    empty = client.post(_form_path(listed), {"translation": ""})
    assert empty.status_code == 422
    assert "このフィールドは必須です。" in empty.content.decode()
    assert _state() == before


def test_the_form_is_missing_for_a_hidden_observation(
    client: Client, cleared: Callable[..., Person], japan_only: Review
) -> None:
    client.force_login(cleared("us-liaison", Role.INFORMATION_MANAGER, nation="USA"))
    before = _state()
    assert client.post(_form_path(japan_only), {"translation": "x"}).status_code == 404
    client.force_login(cleared("none", Role.INFORMATION_MANAGER, clearance=None))
    assert client.post(_form_path(japan_only), {"translation": "x"}).status_code == 404
    assert _state() == before


def test_the_japanese_labels_of_the_form(
    client: Client, cleared: Callable[..., Person], listed: Review
) -> None:
    client.force_login(cleared("liaison-ja", Role.INFORMATION_MANAGER))
    page = client.get(_page(listed), HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "翻訳を記録</button>" in page
    assert "<summary>翻訳する</summary>" in page


@pytest.mark.parametrize("role", sorted(set(Role.values) - EVALUATORS))
def test_one_who_may_not_review_is_refused_before_the_input_is_looked_at(
    client: Client, cleared: Callable[..., Person], listed: Review, role: str
) -> None:
    """As the pages do: the refusal, not a complaint about an objective they may not use."""
    post = _api(client, cleared(f"r-{role}", role))
    writes = listed.writes()
    before = _state()
    for route in ("observation", "lesson"):
        path, body = writes[route]
        assert post(path, {**body, "objective": 7}).status_code == 403, route
    path, body = writes["action"]
    assert post(path, {**body, "owner": "no-such-unit"}).status_code == 403
    assert _state() == before


def test_a_translation_given_meanwhile_refuses_the_second_beside_the_field(
    client: Client, cleared: Callable[..., Person], listed: Review
) -> None:
    """Two liaison officers with the page open: the second to send is told why, beside the
    form, with what they typed, and the first's translation stands."""
    first = cleared("liaison-1", Role.INFORMATION_MANAGER)
    services.observation_translate(actor=first, observation=listed.observation, translation="先")
    client.force_login(cleared("liaison-2", Role.INFORMATION_MANAGER))
    before = _state()
    response = client.post(_form_path(listed), {"translation": "後の訳"})
    assert response.status_code == 422
    page = response.content.decode()
    assert "この所見には既に翻訳があります。" in page
    assert "後の訳" in page
    assert 'data-testid="observation-translation"' in page
    assert _state() == before
    listed.observation.refresh_from_db()
    assert listed.observation.translation == "先"
