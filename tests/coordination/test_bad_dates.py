"""Dates out of range: refused beside the field when typed; shown as invalid, never a 500,
when stored before the bounds; listed by `kizuna check-data` for repair."""

from __future__ import annotations

from datetime import UTC, datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from kizuna.coordination import services
from kizuna.coordination.models import LogEntry, Situation
from kizuna.sharing.models import SharedItem

from .conftest import Cast, org

pytestmark = pytest.mark.django_db

YEAR_ONE = datetime(1, 1, 1, tzinfo=UTC)


def _english(client: Client, person: object) -> None:
    person.language = "en"  # type: ignore[attr-defined]
    person.save()  # type: ignore[attr-defined]
    client.force_login(person)  # type: ignore[arg-type]


def test_a_situation_starting_in_year_one_is_refused_beside_the_field(
    client: Client, cast: Cast
) -> None:
    _english(client, cast.jp_coordinator)
    before = Situation.objects.count()
    response = client.post(
        "/coordination/situations/new/",
        {
            "organization": org("joint-staff").pk,
            "title_en": "Typed title kept",
            "kind": "disaster",
            "starts_at": "0001-01-01T00:00",
        },
    )
    assert response.status_code == 422
    errors = response.context["situation_form"].errors["starts_at"]
    assert "1990-01-01" in errors[0]
    assert "start" in errors[0]
    assert "Typed title kept" in response.content.decode()
    assert Situation.objects.count() == before
    page = client.get("/coordination/")
    assert page.status_code == 200
    # The browser's own picker offers only the range (it once offered year 1).
    assert 'min="1990-01-01T00:00"' in page.content.decode()


def test_in_japanese_too(client: Client, cast: Cast) -> None:
    client.force_login(cast.jp_coordinator)
    response = client.post(
        "/coordination/situations/new/",
        {
            "organization": org("joint-staff").pk,
            "title_ja": "題名",
            "kind": "disaster",
            "starts_at": "2999-01-01T00:00",
        },
    )
    assert "事態の開始日時" in response.context["situation_form"].errors["starts_at"][0]


def test_an_entry_from_the_future_keeps_what_was_typed(client: Client, cast: Cast) -> None:
    _english(client, cast.jp_coordinator)
    before = LogEntry.objects.count()
    response = client.post(
        f"/coordination/situations/{cast.situation.public_id}/entries/",
        {
            "body": cast.acg.code,
            "kind": "report",
            "language": "en",
            "text": "What I typed",
            "event_at": "2999-01-01T00:00",
        },
    )
    assert response.status_code == 422
    assert "in the future" in response.context["entry_form"].errors["event_at"][0]
    assert "What I typed" in response.content.decode()
    assert LogEntry.objects.count() == before


def test_the_api_names_the_problem_at_the_top(client: Client, cast: Cast) -> None:
    _english(client, cast.jp_coordinator)
    response = client.post(
        "/api/coordination/situations",
        {
            "organization": "joint-staff",
            "title_en": "x",
            "kind": "disaster",
            "starts_at": "0001-01-01T00:00:00Z",
        },
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["code"] == "invalid_input"
    assert "start of the situation" in body["message"]
    assert "1990-01-01" in body["message"]


def test_stored_dates_out_of_range_show_as_invalid_and_are_listed(
    client: Client, cast: Cast
) -> None:
    entry = services.entry_post(
        actor=cast.jp_coordinator,
        body=cast.acg,
        kind="report",
        text="古い記録",
        language="ja",
    )
    # As a database from before the bounds could hold them.
    Situation.objects.filter(pk=cast.situation.pk).update(starts_at=YEAR_ONE)
    LogEntry.objects.filter(pk=entry.pk).update(event_at=YEAR_ONE)
    from kizuna.sharing import services as sharing_services

    item = sharing_services.item_create(
        person=cast.jp_coordinator,
        kind=SharedItem.Kind.REPORT,
        domain="disaster",
        originator=org("joint-staff"),
        original_language="ja",
        title="古い報告",
        marking=sharing_services.Marking(level="jpn-j2", releasable_to=("JPN", "USA")),
    )
    SharedItem.objects.filter(pk=item.pk).update(observed_at=YEAR_ONE)
    for person in (cast.jp_coordinator, cast.us_coordinator, cast.jp_liaison):
        client.force_login(person)
        for page in (
            "/coordination/",
            f"/coordination/situations/{cast.situation.public_id}/",
            f"/coordination/entries/{entry.public_id}/",
            "/coordination/translations/",
            "/sharing/map/",
            f"/sharing/{item.public_id}/",
            "/",
        ):
            response = client.get(page)
            assert response.status_code in (200, 404), (person, page, response.status_code)
    client.force_login(cast.us_coordinator)
    page = client.get(f"/coordination/situations/{cast.situation.public_id}/").content.decode()
    assert "invalid-value" in page

    out = StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("check-data", lang="en", stdout=out)
    listed = out.getvalue()
    assert f"coordination.Situation #{cast.situation.pk}: starts_at" in listed
    assert f"coordination.LogEntry #{entry.pk}: event_at" in listed
    assert f"sharing.SharedItem #{item.pk}: observed_at" in listed
    assert "repair" in str(refused.value)


def test_check_data_lists_stored_text_with_a_control_character(cast: Cast) -> None:
    out = StringIO()
    call_command("check-data", lang="en", stdout=out)
    assert "within bounds" in out.getvalue()
    # As a database from before control characters were refused could hold them.
    Situation.objects.filter(pk=cast.situation.pk).update(title_ja="台風\u202e情報")
    out = StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("check-data", lang="en", stdout=out)
    listed = out.getvalue()
    assert f"coordination.Situation #{cast.situation.pk}: title_ja" in listed
    assert "U+202E" in listed
    assert "1 stored values need repair" in str(refused.value)
