"""The activity log: posting, event times, translation, vetting, corrections, reading."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from kizuna.coordination import selectors, services
from kizuna.coordination.models import EventTimeEdit, LogEntry
from kizuna.core.formats import dtg

from .conftest import Cast, hours_ago

pytestmark = pytest.mark.django_db


def post(cast: Cast, **kwargs: object) -> LogEntry:
    values: dict[str, object] = {
        "actor": cast.wa_officer,
        "body": cast.ccc,
        "kind": "report",
        "text": "南阿蘇村で孤立集落あり",
        "language": "ja",
    }
    return services.entry_post(**(values | kwargs))  # type: ignore[arg-type]


def test_dtg_is_zulu_day_hour_minute_month_year() -> None:
    assert dtg(datetime(2026, 11, 28, 4, 30, tzinfo=UTC)) == "280430ZNOV26"
    tokyo = datetime(2016, 4, 16, 1, 25, tzinfo=timezone.get_fixed_timezone(9 * 60))
    assert dtg(tokyo) == "151625ZAPR16"
    with pytest.raises(ValueError, match="naive"):
        dtg(datetime(2026, 1, 1))  # noqa: DTZ001


@settings(max_examples=30)
@given(st.datetimes(timezones=st.just(UTC)))
def test_dtg_reads_back_to_the_minute(instant: datetime) -> None:
    text = dtg(instant)
    parsed = datetime.strptime(text.replace("Z", ""), "%d%H%M%b%y")  # noqa: DTZ007
    assert (parsed.day, parsed.hour, parsed.minute, parsed.month) == (
        instant.day,
        instant.hour,
        instant.minute,
        instant.month,
    )
    assert text[6] == "Z"
    assert len(text) == 12


def test_an_entry_keeps_author_position_body_and_both_times(cast: Cast) -> None:
    event_at = hours_ago(1)
    entry = post(cast, event_at=event_at)
    assert entry.author == cast.wa_officer
    assert entry.author_organization.code == "western-army"
    assert entry.body == cast.ccc
    assert entry.event_at == event_at
    assert entry.recorded_at > event_at
    assert entry.seq == entry.rev == cast.situation.entries.count()


def test_posting_to_a_body_one_is_not_a_member_of_is_refused(cast: Cast) -> None:
    count = LogEntry.objects.count()
    for person, body in ((cast.wa_officer, cast.bocc), (cast.outsider, cast.ccc)):
        with pytest.raises(PermissionDenied):
            post(cast, actor=person, body=body)
    with pytest.raises(PermissionDenied):
        post(cast, actor=cast.auditor)
    assert LogEntry.objects.count() == count


def test_an_event_time_in_the_future_beyond_the_tolerance_is_refused(cast: Cast) -> None:
    count = LogEntry.objects.count()
    post(cast, event_at=timezone.now() + timedelta(minutes=2))  # clock drift is tolerated
    with pytest.raises(ValidationError) as refused:
        post(cast, event_at=timezone.now() + timedelta(minutes=30))
    assert "event_at" in refused.value.message_dict
    assert LogEntry.objects.count() == count + 1


def test_editing_the_event_time_keeps_the_edit_and_never_the_recording_time(cast: Cast) -> None:
    entry = post(cast, event_at=hours_ago(3))
    recorded, first_rev = entry.recorded_at, entry.rev
    services.entry_set_event_time(
        actor=cast.wa_officer, entry=entry, event_at=hours_ago(4), reason="時刻誤記"
    )
    entry.refresh_from_db()
    edit = EventTimeEdit.objects.get(entry=entry)
    assert edit.reason == "時刻誤記"
    assert edit.new == entry.event_at
    assert edit.previous < recorded
    assert entry.recorded_at == recorded
    assert entry.rev > first_rev
    with pytest.raises(PermissionDenied):
        services.entry_set_event_time(
            actor=cast.mef_officer, entry=entry, event_at=hours_ago(2), reason="x"
        )


def test_a_liaison_translates_and_is_named(cast: Cast) -> None:
    entry = post(cast)
    assert entry in selectors.translation_queue(person=cast.jp_liaison)
    services.entry_translate(
        actor=cast.jp_liaison,
        entry=entry,
        text="Isolated hamlets reported in Minamiaso",
        language="en",
    )
    entry.refresh_from_db()
    assert entry.translated_by == cast.jp_liaison
    assert entry.translated_at is not None
    assert entry.text_in("ja") == "南阿蘇村で孤立集落あり"
    assert entry.text_in("en") == "Isolated hamlets reported in Minamiaso"
    assert entry not in selectors.translation_queue(person=cast.jp_liaison)


def test_a_translation_of_a_translation_is_refused(cast: Cast) -> None:
    entry = post(cast)
    services.entry_translate(
        actor=cast.jp_liaison, entry=entry, text="Isolated hamlets", language="en"
    )
    with pytest.raises(ValidationError) as into_original:
        services.entry_translate(actor=cast.jp_liaison, entry=entry, text="孤立集落", language="ja")
    assert "language" in into_original.value.message_dict
    with pytest.raises(ValidationError) as again:
        services.entry_translate(actor=cast.jp_liaison, entry=entry, text="Other", language="en")
    assert "translation" in again.value.message_dict
    entry.refresh_from_db()
    assert entry.translation == "Isolated hamlets"


def test_only_liaison_officers_of_the_body_translate(cast: Cast) -> None:
    entry = post(cast, actor=cast.jp_coordinator, body=cast.acg)
    for person in (cast.jp_coordinator, cast.wa_officer, cast.auditor):
        with pytest.raises(PermissionDenied):
            services.entry_translate(actor=person, entry=entry, text="x", language="en")
    services.entry_translate(actor=cast.us_liaison, entry=entry, text="x", language="en")


def test_significant_events_reach_the_board_only_once_vetted(cast: Cast) -> None:
    entry = post(cast, significant=True, text="橋梁崩落")
    plain = post(cast, text="定時報告")
    assert entry not in selectors.board(person=cast.jp_coordinator, situation=cast.situation)
    with pytest.raises(PermissionDenied):
        services.entry_vet(actor=cast.wa_officer, entry=entry)
    with pytest.raises(ValidationError):
        services.entry_vet(actor=cast.jp_coordinator, entry=plain)
    services.entry_vet(actor=cast.jp_coordinator, entry=entry)
    board = selectors.board(person=cast.mef_officer, situation=cast.situation)
    assert entry in board
    assert plain not in board


def test_a_correction_is_a_new_entry_pointing_at_the_corrected_one(cast: Cast) -> None:
    wrong = post(cast, text="負傷者10名")
    right = post(cast, text="負傷者12名（訂正）", corrects=wrong)
    wrong.refresh_from_db()
    assert right.corrects == wrong
    assert wrong.text == "負傷者10名"
    assert list(wrong.corrections.all()) == [right]


def test_readers_see_their_bodies_and_the_situation_wide_entries_only(cast: Cast) -> None:
    in_ccc = post(cast)
    in_bocc = post(cast, actor=cast.us_coordinator, body=cast.bocc, language="en", text="x")
    page = selectors.entries_page(person=cast.mef_officer, situation=cast.situation)
    assert in_ccc in page
    assert in_bocc not in page
    assert any(e.body is None for e in page)
    everything = selectors.entries_page(person=cast.auditor, situation=cast.situation)
    assert in_bocc in everything


def test_the_api_pages_by_a_cursor_sealed_for_its_reader(cast: Cast, client: Client) -> None:
    """The log's position counts hidden entries too, so it leaves the server only sealed:
    the pages still join without repeat or gap, and one reader's cursor is no one else's."""
    for n in range(7):
        post(cast, text=f"報告{n}")
    url = f"/api/coordination/situations/{cast.situation.public_id}/entries?limit=3"
    client.force_login(cast.wa_officer)
    seen: list[str] = []
    following = ""
    while True:
        page = client.get(url + (f"&before={following}" if following else "")).json()
        assert all("seq" not in entry and "rev" not in entry for entry in page["entries"])
        seen += [entry["id"] for entry in page["entries"]]
        if not (following := page["next_before"]):
            break
        last_cursor = following
    everything = selectors.entries_page(person=cast.wa_officer, situation=cast.situation, limit=50)
    assert seen == [entry.public_id for entry in everything]
    client.force_login(cast.auditor)
    refused = client.get(f"{url}&before={last_cursor}", HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 422
    assert "not given to you" in refused.json()["message"]


def test_the_log_pages_by_keyset_newest_first(cast: Cast) -> None:
    for n in range(7):
        post(cast, text=f"報告{n}")
    first = selectors.entries_page(person=cast.wa_officer, situation=cast.situation, limit=3)
    second = selectors.entries_page(
        person=cast.wa_officer, situation=cast.situation, limit=3, before=first[-1].seq
    )
    seqs = [e.seq for e in first + second]
    assert seqs == sorted(seqs, reverse=True)
    assert len(set(seqs)) == 6
