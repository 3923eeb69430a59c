"""The log entries' and the requests' action forms: a refusal shows beside its field in the
reader's language, with what was typed kept, and changes nothing; on a full page (422, the
page the form was on) and from HTMX (the card the form is in, which htmx swaps)."""

from __future__ import annotations

import pytest
from django.test import Client

from kizuna.coordination import services
from kizuna.coordination.models import EventTimeEdit, LogEntry, SupportRequest
from kizuna.core import bounds
from kizuna.core.models import Person

from .conftest import Cast
from .test_acsa_bridge import _designate, _request, officials  # noqa: F401 - a fixture
from .test_requests import create

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def _as(client: Client, person: Person, language: str) -> None:
    person.language = language
    person.save()
    client.force_login(person)


def _entry(cast: Cast) -> LogEntry:
    return services.entry_post(
        actor=cast.wa_officer, body=cast.ccc, kind="report", text="孤立集落あり", language="ja"
    )


@pytest.mark.parametrize(
    ("language", "said"), [("en", "at most"), ("ja", "文字以下")], ids=["en", "ja"]
)
def test_a_translation_too_long_is_refused_beside_it_and_kept(
    client: Client, cast: Cast, language: str, said: str
) -> None:
    entry = _entry(cast)
    _as(client, cast.jp_liaison, language)
    typed = "isolated " * (bounds.ENTRY_CHARS // 9 + 2)
    situation_url = f"/coordination/situations/{cast.situation.public_id}/"
    response = client.post(
        f"/coordination/entries/{entry.public_id}/translate/",
        {"text": typed, "next": situation_url},
    )
    assert response.status_code == 422
    assert response.templates[0].name == "coordination/situation.html"
    assert said in response.context["translation_form"].errors["text"][0]
    page = response.content.decode()
    assert typed.strip() in page  # what was typed is in the textarea again
    assert said in page
    entry.refresh_from_db()
    assert entry.translation == ""


def test_a_refused_translation_comes_back_on_the_queue_it_was_typed_on(
    client: Client, cast: Cast
) -> None:
    entry = _entry(cast)
    _as(client, cast.jp_liaison, "en")
    response = client.post(
        f"/coordination/entries/{entry.public_id}/translate/",
        {"text": " ", "next": "/coordination/translations/"},
    )
    assert response.status_code == 422
    assert response.templates[0].name == "coordination/translation_queue.html"
    assert "This field is required." in response.content.decode()
    entry.refresh_from_db()
    assert entry.translation == ""


def test_from_htmx_a_translation_answers_with_the_entry(client: Client, cast: Cast) -> None:
    entry = _entry(cast)
    _as(client, cast.jp_liaison, "ja")
    url = f"/coordination/entries/{entry.public_id}/translate/"
    refused = client.post(url, {"text": ""}, headers=HTMX)
    assert refused.status_code == 200  # htmx swaps the card with its errors in
    assert refused.templates[0].name == "coordination/_entry.html"
    assert "このフィールドは必須です。" in refused.content.decode()
    made = client.post(url, {"text": "An isolated village"}, headers=HTMX)
    assert made.status_code == 200
    assert "An isolated village" in made.content.decode()
    entry.refresh_from_db()
    assert entry.translation == "An isolated village"


def test_from_the_queue_a_translated_entry_leaves_it(client: Client, cast: Cast) -> None:
    entry = _entry(cast)
    _as(client, cast.jp_liaison, "ja")
    queue = "http://testserver/coordination/translations/"
    made = client.post(
        f"/coordination/entries/{entry.public_id}/translate/",
        {"text": "An isolated village"},
        headers={**HTMX, "HX-Current-URL": queue},
    )
    assert (made.status_code, made.content) == (200, b"")  # swapped out of the queue
    assert entry.public_id not in client.get("/coordination/translations/").content.decode()


@pytest.mark.parametrize(
    ("language", "said"),
    [("en", "The event time is in the future"), ("ja", "発生日時が未来になっています")],
    ids=["en", "ja"],
)
def test_an_event_time_in_the_future_is_refused_beside_it_and_kept(
    client: Client, cast: Cast, language: str, said: str
) -> None:
    entry = _entry(cast)
    before = entry.event_at
    _as(client, cast.wa_officer, language)
    typed = {"event_at": "2999-01-01T00:00", "reason": "時刻の訂正"}
    for extra in ({}, HTMX):
        response = client.post(
            f"/coordination/entries/{entry.public_id}/event-time/", typed, headers=extra
        )
        assert response.status_code == (200 if extra else 422)
        assert said in response.context["event_time_form"].errors["event_at"][0]
        page = response.content.decode()
        assert 'value="2999-01-01T00:00"' in page
        assert 'value="時刻の訂正"' in page
        assert '<details class="entry-action" open>' in page
    entry.refresh_from_db()
    assert entry.event_at == before
    assert not EventTimeEdit.objects.filter(entry=entry).exists()


def _submitted(cast: Cast) -> SupportRequest:
    request = create(cast)
    return services.request_submit(actor=cast.wa_officer, request=request)


@pytest.mark.parametrize(
    ("language", "said"), [("en", "This field is required."), ("ja", "このフィールドは必須です。")]
)
def test_declining_without_a_reason_is_refused_beside_the_reason(
    client: Client, cast: Cast, language: str, said: str
) -> None:
    request = _submitted(cast)
    _as(client, cast.mef_officer, language)
    url = f"/coordination/requests/{request.public_id}/decline/"
    response = client.post(url, {"reason": ""})
    assert response.status_code == 422
    assert response.context["reason_form"].errors["reason"] == [said]
    assert said in response.content.decode()
    partial = client.post(url, {"reason": " "}, headers=HTMX)
    assert partial.status_code == 200
    assert partial.templates[0].name == "coordination/_request_actions.html"
    assert said in partial.content.decode()
    request.refresh_from_db()
    assert request.status == SupportRequest.Status.SUBMITTED
    declined = client.post(url, {"reason": "No airlift available"}, headers=HTMX)
    assert declined["HX-Redirect"] == f"/coordination/requests/{request.public_id}/"
    request.refresh_from_db()
    assert request.status == SupportRequest.Status.DECLINED


def test_completing_what_is_not_fulfilled_says_so_above_the_steps(
    client: Client, cast: Cast
) -> None:
    request = _submitted(cast)
    services.request_accept(actor=cast.mef_officer, request=request)
    _as(client, cast.mef_officer, "ja")
    response = client.post(f"/coordination/requests/{request.public_id}/complete/")
    assert response.status_code == 422
    errors = response.context["steps_form"].non_field_errors()
    assert len(errors) == 1
    assert errors[0].startswith("未提供の明細があります")
    assert errors[0] in response.content.decode()
    request.refresh_from_db()
    assert request.status == SupportRequest.Status.ACCEPTED


def test_an_unknown_step_is_not_found(client: Client, cast: Cast) -> None:
    request = _submitted(cast)
    client.force_login(cast.mef_officer)
    assert client.post(f"/coordination/requests/{request.public_id}/launch/").status_code == 404


@pytest.mark.parametrize(
    ("language", "said"), [("en", "Enter a number."), ("ja", "数値を入力してください。")]
)
def test_a_bad_unit_price_is_refused_beside_it_and_kept(
    client: Client,
    cast: Cast,
    officials: tuple[Person, Person],  # noqa: F811 - the fixture imported above
    language: str,
    said: str,
) -> None:
    ordering, _ = officials
    _designate(cast, "disaster-relief", hours_ago=2)
    request = _request(cast, ordering)
    _as(client, ordering, language)
    prices = {f"price_{line.public_id}": "1500" for line in request.lines.all()}
    line = request.lines.first()
    assert line is not None
    typed = {**prices, f"price_{line.public_id}": "1,5OO"}
    typed |= {"currency": "usd", "settlement_method": "currency"}
    url = f"/coordination/requests/{request.public_id}/acsa-order/"
    for extra, status in (({}, 422), (HTMX, 200)):
        response = client.post(url, typed, headers=extra)
        assert response.status_code == status
        assert response.context["acsa_form"].errors[f"price_{line.public_id}"] == [said]
        page = response.content.decode()
        assert 'value="1,5OO"' in page
        assert 'value="usd"' in page
        assert said in page
    request.refresh_from_db()
    assert request.acsa_order is None
    made = client.post(url, {**typed, **prices}, headers=HTMX)
    request.refresh_from_db()
    assert request.acsa_order is not None
    assert made["HX-Redirect"] == f"/acsa/orders/{request.acsa_order.public_id}/"


def test_vetting_twice_says_so_on_the_entry(client: Client, cast: Cast) -> None:
    entry = services.entry_post(
        actor=cast.wa_officer,
        body=cast.ccc,
        kind="report",
        text="橋梁崩落",
        language="ja",
        significant=True,
    )
    _as(client, cast.jp_coordinator, "en")
    url = f"/coordination/entries/{entry.public_id}/vet/"
    situation_url = f"/coordination/situations/{cast.situation.public_id}/"
    assert client.post(url, {"next": situation_url}).status_code == 302
    entry.refresh_from_db()
    vetted_at = entry.vetted_at
    again = client.post(url, {"next": situation_url})
    assert again.status_code == 422
    assert "This entry has been vetted already." in again.content.decode()
    _as(client, cast.jp_coordinator, "ja")
    partial = client.post(url, headers=HTMX)
    assert partial.status_code == 200
    assert partial.templates[0].name == "coordination/_entry.html"
    assert "この記録は既に確認済みです。" in partial.content.decode()
    entry.refresh_from_db()
    assert entry.vetted_at == vetted_at
