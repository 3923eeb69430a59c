"""Bad input is refused with a clear message in the reader's language (Japanese and
English) and changes nothing: no exercise, no participation, no audit event."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client

from kizuna.core.models import AuditEvent, Nation, Person, Role
from kizuna.core.services import token_issue
from kizuna.exercises import services
from kizuna.exercises.models import Exercise, Participation

pytestmark = pytest.mark.django_db

GOOD = {
    "organization": "gsdf-western-army",
    "name_ja": "机上演習（試験）",
    "name_en": "Test tabletop",
    "kind": "tabletop",
    "starts_on": "2021-01-10",
    "ends_on": "2021-01-12",
}
PART = {"nation": "JPN", "label_ja": "陸自", "label_en": "JGSDF"}

# Each case: what is changed in the good payload, and the message in each language.
CASES = {
    "end before start": (
        {"ends_on": "2021-01-09"},
        "演習の終了日を開始日より前にはできません。",
        "The exercise cannot end before it starts.",
    ),
    "start centuries ago": (
        {"starts_on": "1066-10-14"},
        "演習の日付が1990-01-01より前です",
        "The date of the exercise is before 1990-01-01",
    ),
    "negative personnel": (
        {"participations": [PART, {**PART, "personnel": -5}]},
        "数値を負にはできません。",
        "A figure cannot be negative.",
    ),
    "absurd ships": (
        {"participations": [{**PART, "ships": 20_000}]},
        "20000は一つの演習の数値としてありえません（上限500）。",
        "20000 is beyond belief for one exercise (at most 500).",
    ),
    "absurd aircraft": (
        {"participations": [{**PART, "aircraft": 1_000_000, "aircraft_qualifier": "approximate"}]},
        "1000000は一つの演習の数値としてありえません（上限3000）。",
        "1000000 is beyond belief for one exercise (at most 3000).",
    ),
    "unknown qualifier": (
        {"participations": [{**PART, "personnel": 10, "personnel_qualifier": "roughly"}]},
        "数値が確定値か概数かを指定してください。",
        "Say whether the figure is exact.",
    ),
    "one language only": (
        {"name_en": " "},
        "演習名を日英両方で入力してください。",
        "Name the exercise in both languages.",
    ),
    "unknown domain": (
        {"domains": ["underwater-basket-weaving"]},
        "不明な領域です：underwater-basket-weaving",
        "Unknown domain: underwater-basket-weaving",
    ),
    "dates without precision": (
        {"precision": "unknown"},
        "日付が入力されています。その精度を指定してください。",
        "Dates were given; say how precisely.",
    ),
}


def _counts() -> tuple[int, int, int]:
    return Exercise.objects.count(), Participation.objects.count(), AuditEvent.objects.count()


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_api_refuses_bad_input_in_the_readers_language_and_records_nothing(
    client: Client, recorder: Person, case: str, language: str
) -> None:
    change, japanese, english = CASES[case]
    secret = token_issue(person=recorder, label="t").secret
    before = _counts()
    response = client.post(
        "/api/exercises/exercises",
        {**GOOD, **change},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert response.status_code == 422, response.content
    problems = " ".join(d["problem"] for d in response.json()["detail"])
    assert (japanese if language == "ja" else english) in problems
    assert _counts() == before


def test_the_good_payload_itself_is_recorded(client: Client, recorder: Person) -> None:
    """The cases above fail for their one change, not for the rest of the payload."""
    secret = token_issue(person=recorder, label="t").secret
    response = client.post(
        "/api/exercises/exercises",
        {
            **GOOD,
            "participations": [{**PART, "personnel": 37_000, "personnel_qualifier": "approximate"}],
        },
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["traffic"] == "EXERCISE EXERCISE EXERCISE"
    assert body["participations"][0]["personnel"] == {
        "value": 37_000,
        "qualifier": "approximate",
        "shown": "about 37,000",
    }


def test_a_controller_records_only_for_their_own_organization(
    client: Client, recorder: Person
) -> None:
    secret = token_issue(person=recorder, label="t").secret
    before = _counts()
    response = client.post(
        "/api/exercises/exercises",
        {**GOOD, "organization": "usfj"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert response.status_code == 403
    assert _counts() == before


def test_the_database_refuses_what_slips_past_the_services(people: None) -> None:
    """The constraints hold the same rules for any writer (an import, the shell)."""
    exercise = services.exercise_record(
        actor=None,
        organization=Person.objects.get(username="jp-exercise").membership_rows()[0].organization,
        name_ja="試験",
        name_en="Test",
        kind=Exercise.Kind.TRAINING,
        precision=Exercise.Precision.DAY,
        starts_on=date(2020, 5, 1),
        source="test",
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Exercise.objects.filter(pk=exercise.pk).update(ends_on=date(2020, 4, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Participation.objects.create(
            exercise=exercise,
            nation=Nation.objects.get(code="JPN"),
            label_ja="x",
            label_en="x",
            ships=501,
        )


def test_a_seed_record_names_where_in_the_seed(recorder: Person) -> None:
    with pytest.raises(ValidationError) as refused:
        services.exercise_record(
            actor=recorder,
            organization=recorder.membership_rows()[0].organization,
            name_ja="試験",
            name_en="Test",
            kind=Exercise.Kind.TRAINING,
            precision=Exercise.Precision.UNKNOWN,
        )
    assert "source" in refused.value.message_dict
    assert not Exercise.objects.exists()


def test_only_a_situation_of_kind_exercise_runs_an_exercise(
    recorder: Person, make_person: Callable[..., Person]
) -> None:
    from kizuna.coordination import services as coordination
    from kizuna.coordination.models import Situation
    from kizuna.core.models import Organization

    coordinator = make_person("co", role=Role.COORDINATOR, org="joint-staff", clearance="jpn-j1")
    exercise = services.exercise_record(
        actor=recorder,
        organization=recorder.membership_rows()[0].organization,
        name_ja="試験",
        name_en="Test",
        kind=Exercise.Kind.COMMAND_POST,
        precision=Exercise.Precision.UNKNOWN,
        source="test",
    )

    def situation(kind: str) -> Situation:
        return coordination.situation_open(
            actor=coordinator,
            organization=Organization.objects.get(code="joint-staff"),
            title_ja=f"{kind}の事態",
            title_en=f"{kind} situation",
            kind=kind,
            starts_at=__import__("django.utils.timezone").utils.timezone.now(),
        )

    with pytest.raises(ValidationError):
        services.situation_link(actor=recorder, exercise=exercise, situation=situation("disaster"))
    exercise.refresh_from_db()
    assert exercise.situation_id is None
    run = situation(Situation.Kind.EXERCISE)
    services.situation_link(actor=recorder, exercise=exercise, situation=run)
    exercise.refresh_from_db()
    assert exercise.situation_id == run.pk
