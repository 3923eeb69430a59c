"""Every page and API route of the exercises app, role by role: readers cleared for an
exercise's marking see it, everyone else meets a 404 as if it did not exist, only exercise
controllers record, and anonymous visitors are sent to sign in (pages) or refused (API)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from kizuna.core.models import Organization, Person, Role
from kizuna.core.services import token_issue
from kizuna.exercises import services
from kizuna.exercises.models import Exercise
from kizuna.sharing.marking import Marking

pytestmark = pytest.mark.django_db

READ_PAGES = ("/exercises/", "/exercises/yearly.svg", "/exercises/exercises.csv")


def _exercise(name: str, marking: Marking | None = None) -> Exercise:
    return services.exercise_record(
        actor=None,
        organization=Organization.objects.get(code="joint-staff"),
        name_ja=f"{name}（演習）",
        name_en=name,
        kind=Exercise.Kind.TABLETOP,
        precision=Exercise.Precision.DAY,
        starts_on=__import__("datetime").date(2020, 6, 1),
        source="test",
        marking=marking,
    )


@pytest.fixture
def listed(people: None) -> Exercise:
    """Japan's lowest level, releasable to both nations: every cleared person reads it."""
    return _exercise("Listed tabletop")


@pytest.fixture
def japan_only(people: None) -> Exercise:
    return _exercise("Japan-only tabletop", Marking(level="jpn-j1", releasable_to=("JPN",)))


@pytest.fixture
def higher(people: None) -> Exercise:
    return _exercise("J2 tabletop", Marking(level="jpn-j2", releasable_to=("JPN", "USA")))


def _api(client: Client, person: Person) -> Callable[..., object]:
    secret = token_issue(person=person, label="t").secret

    def call(method: str, path: str, body: object = None) -> object:
        return getattr(client, method)(
            path, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {secret}"
        )

    return call


def _payload(organization: str) -> dict[str, object]:
    return {
        "organization": organization,
        "name_ja": "机上演習（試験）",
        "name_en": "Test tabletop",
        "kind": "tabletop",
        "starts_on": "2021-01-10",
        "ends_on": "2021-01-12",
        "domains": ["space"],
    }


@pytest.mark.parametrize("nation", ["JPN", "USA"])
@pytest.mark.parametrize("role", Role.values)
def test_every_cleared_role_reads_a_listed_exercise_and_only_controllers_record(
    client: Client, cleared: Callable[..., Person], listed: Exercise, role: str, nation: str
) -> None:
    person = cleared(f"p-{role}-{nation}", role, nation=nation)
    client.force_login(person)
    for path in (*READ_PAGES, "/exercises/exercises.xlsx", f"/exercises/{listed.public_id}/"):
        assert client.get(path).status_code == 200, path
    page = client.get("/exercises/").content.decode()
    assert listed.name in page or listed.name_en in page
    assert "EXERCISE EXERCISE EXERCISE" in page
    api = _api(client, person)
    listing = api("get", "/api/exercises/exercises")
    assert listing.status_code == 200  # type: ignore[attr-defined]
    assert [e["id"] for e in listing.json()] == [listed.public_id]  # type: ignore[attr-defined]
    assert api("get", f"/api/exercises/exercises/{listed.public_id}").status_code == 200  # type: ignore[attr-defined]
    organization = "gsdf-western-army" if nation == "JPN" else "usfj"
    made = api("post", "/api/exercises/exercises", _payload(organization))
    expected = 201 if role == Role.EXERCISE_CONTROLLER else 403
    assert made.status_code == expected, made.content  # type: ignore[attr-defined]
    assert Exercise.objects.filter(name_en="Test tabletop").count() == (expected == 201)


@pytest.mark.parametrize("role", Role.values)
def test_a_person_without_clearance_meets_nothing(
    client: Client, cleared: Callable[..., Person], listed: Exercise, role: str
) -> None:
    person = cleared(f"u-{role}", role, clearance=None)
    client.force_login(person)
    page = client.get("/exercises/")
    assert page.status_code == 200
    assert listed.name_ja not in page.content.decode()
    assert client.get(f"/exercises/{listed.public_id}/").status_code == 404
    assert "Listed" not in client.get("/exercises/exercises.csv").getvalue().decode()  # type: ignore[attr-defined]
    api = _api(client, person)
    assert api("get", "/api/exercises/exercises").json() == []  # type: ignore[attr-defined]
    assert api("get", f"/api/exercises/exercises/{listed.public_id}").status_code == 404  # type: ignore[attr-defined]
    assert api("post", "/api/exercises/exercises", _payload("gsdf-western-army")).status_code == 403  # type: ignore[attr-defined]


def test_markings_decide_who_sees_which_exercise_pages_api_exports_and_map(
    client: Client,
    cleared: Callable[..., Person],
    listed: Exercise,
    japan_only: Exercise,
    higher: Exercise,
) -> None:
    readers = {
        "jp-j1": (cleared("jp-j1", Role.COORDINATOR), {listed, japan_only}),
        "jp-j2": (
            cleared("jp-j2", Role.COORDINATOR, clearance="jpn-j2"),
            {listed, japan_only, higher},
        ),
        "us-u1": (cleared("us-u1", Role.COORDINATOR, nation="USA"), {listed}),
        "us-u2": (
            cleared("us-u2", Role.AUDITOR, nation="USA", clearance="usa-u2"),
            {listed, higher},
        ),
    }
    every = {listed, japan_only, higher}
    for name, (person, sees) in readers.items():
        client.force_login(person)
        api = _api(client, person)
        ids = {e["id"] for e in api("get", "/api/exercises/exercises").json()}  # type: ignore[attr-defined]
        assert ids == {e.public_id for e in sees}, name
        csv = client.get("/exercises/exercises.csv").getvalue().decode()  # type: ignore[attr-defined]
        for exercise in every:
            shown = exercise in sees
            assert (client.get(f"/exercises/{exercise.public_id}/").status_code == 200) == shown
            assert (
                api("get", f"/api/exercises/exercises/{exercise.public_id}").status_code == 200
            ) == shown  # type: ignore[attr-defined]
            assert (exercise.name_en in csv) == shown, (name, exercise.name_en)


def test_anonymous_visitors_are_sent_to_sign_in_and_the_api_refuses_them(
    client: Client, listed: Exercise
) -> None:
    for path in (*READ_PAGES, "/exercises/exercises.xlsx", f"/exercises/{listed.public_id}/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert "/login" in response["Location"] or "login" in response["Location"]
    assert client.get("/api/exercises/exercises").status_code == 401
    assert client.get(f"/api/exercises/exercises/{listed.public_id}").status_code == 401
    assert (
        client.post("/api/exercises/exercises", {}, content_type="application/json").status_code
        == 401
    )


def test_audit_events_of_an_exercise_show_only_to_auditors_cleared_for_it(
    cleared: Callable[..., Person], listed: Exercise, japan_only: Exercise
) -> None:
    from kizuna.core.audit import visible_events

    def seen(person: Person) -> set[str]:
        return set(
            visible_events(person)
            .filter(object_type="exercises.exercise")
            .values_list("object_id", flat=True)
        )

    jp_auditor = cleared("jp-aud", Role.AUDITOR)
    us_auditor = cleared("us-aud", Role.AUDITOR, nation="USA")
    assert seen(jp_auditor) == {str(listed.pk), str(japan_only.pk)}
    assert seen(us_auditor) == {str(listed.pk)}
