"""Log entries carry sharing's markings: every read of the log goes through the marking rule
as well as the body rule, and a posted marking is checked as sharing checks an item's.

The reader is the US coordinator (cleared usa-u2, no communities), who sits in the BOCC.
The Japanese coordinator (jpn-j3, community `bmd`) posts there, in the BOCC, one entry the
reader may read and three they may not: a level above their clearance, an entry not
releasable to their nation, one naming a community they lack.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from kizuna.coordination import selectors, services
from kizuna.coordination.models import Body, LogEntry, Situation
from kizuna.core.models import Person, Role
from kizuna.core.public_ids import new_public_id
from kizuna.sharing.marking import Marking
from kizuna.sharing.models import MarkingSet
from kizuna.sharing.services import clearance_grant

from .conftest import Cast, org

BOTH = ("JPN", "USA")


@dataclass
class Log:
    cast: Cast
    shown: LogEntry
    hidden: dict[str, LogEntry]


def post(cast: Cast, text: str, marking: Marking | None, **extra: Any) -> LogEntry:
    return services.entry_post(
        actor=cast.jp_coordinator,
        body=cast.bocc,
        kind="report",
        text=text,
        language="ja",
        marking=marking,
        **extra,
    )


def hidden_entries(cast: Cast) -> dict[str, LogEntry]:
    markings = {
        "above clearance": Marking("jpn-j3", BOTH),
        "not releasable": Marking("jpn-j1", ("JPN",)),
        "community lacked": Marking("jpn-j1", BOTH, communities=("bmd",)),
    }
    return {
        why: post(cast, f"hidden: {why}", marking, significant=True)
        for why, marking in markings.items()
    }


@pytest.fixture
def log(cast: Cast) -> Log:
    clearance_grant(actor=None, person=cast.jp_coordinator, level="jpn-j3", communities=("bmd",))
    shown = post(cast, "shown to both", None, significant=True)
    hidden = hidden_entries(cast)
    for entry in [shown, *hidden.values()]:
        services.entry_vet(actor=cast.jp_coordinator, entry=entry)
    return Log(cast, shown, hidden)


def _client(person: Person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def test_the_default_marking_is_the_lowest_level_releasable_to_the_body_nations(
    cast: Cast,
) -> None:
    entry = services.entry_post(
        actor=cast.wa_officer, body=cast.ccc, kind="report", text="道路", language="ja"
    )
    assert Marking.of(entry) == Marking("jpn-j1", BOTH)
    japanese_only = services.body_stand_up(
        actor=cast.jp_coordinator,
        situation=cast.situation,
        kind=Body.Kind.WORKING_GROUP,
        code="t-jp",
        name_ja="国内調整",
        name_en="Domestic coordination",
        organizations=[org("joint-staff"), org("western-army")],
    )
    national = services.entry_post(
        actor=cast.wa_officer, body=japanese_only, kind="report", text="国内", language="ja"
    )
    assert Marking.of(national) == Marking("jpn-j1", ("JPN",))
    us_entry = services.entry_post(
        actor=cast.mef_officer, body=cast.ccc, kind="report", text="Road", language="en"
    )
    assert Marking.of(us_entry) == Marking("usa-u1", BOTH)
    # Situation-wide entries (the opening) are releasable to both nations.
    opening = LogEntry.objects.filter(situation=cast.situation, body=None).first()
    assert opening is not None
    assert Marking.of(opening).releasable_to == BOTH


def test_a_correction_carries_the_corrected_marking_unless_given_its_own(log: Log) -> None:
    cast = log.cast
    corrected = log.hidden["not releasable"]
    by_default = post(cast, "訂正", None, corrects=corrected)
    assert by_default.marking_id == corrected.marking_id
    own = post(cast, "訂正（共有）", Marking("jpn-j1", BOTH), corrects=corrected)
    assert Marking.of(own) == Marking("jpn-j1", BOTH)


def test_the_reader_sees_the_shown_entry_and_none_of_the_hidden_ones(
    log: Log, client: Client
) -> None:
    reader = log.cast.us_coordinator
    situation = log.cast.situation
    hidden_ids = {e.pk for e in log.hidden.values()}

    page = _client(reader).get(f"/coordination/situations/{situation.public_id}/").content.decode()
    assert "shown to both" in page
    assert "hidden:" not in page
    for entry in log.hidden.values():
        assert f'id="entry-{entry.public_id}"' not in page

    board = {e.pk for e in selectors.board(person=reader, situation=situation)}
    assert log.shown.pk in board
    assert not board & hidden_ids

    api = _client(reader).get(f"/api/coordination/situations/{situation.public_id}/entries").json()
    ids = {e["id"] for e in api["entries"]}
    assert log.shown.public_id in ids
    assert not ids & {e.public_id for e in log.hidden.values()}
    shown = next(e for e in api["entries"] if e["id"] == log.shown.public_id)
    assert shown["marking"] == Marking("jpn-j1", BOTH).as_json()

    # The writer, cleared for all of them, sees every one: the filter is the marking's.
    writer = {
        e.pk for e in selectors.entries_page(person=log.cast.jp_coordinator, situation=situation)
    }
    assert hidden_ids <= writer


def test_the_translation_queue_and_its_count_leave_out_hidden_entries(log: Log) -> None:
    liaison = log.cast.us_liaison
    queue = {e.pk for e in selectors.translation_queue(person=liaison)}
    hidden_ids = {e.pk for e in log.hidden.values()}
    assert log.shown.pk in queue
    assert not queue & hidden_ids
    api = _client(liaison).get("/api/coordination/translation-queue").json()
    assert {e["id"] for e in api} == {
        e.public_id for e in selectors.translation_queue(person=liaison)
    }
    index = _client(liaison).get("/coordination/").content.decode()
    assert f'data-testid="queue-size">{len(queue)}<' in index
    # The Japanese liaison (jpn-j2, no communities) misses the level-3 and community entries.
    japanese = {e.pk for e in selectors.translation_queue(person=log.cast.jp_liaison)}
    assert log.hidden["not releasable"].pk in japanese
    assert log.hidden["above clearance"].pk not in japanese
    assert log.hidden["community lacked"].pk not in japanese


@pytest.mark.parametrize("why", ["above clearance", "not releasable", "community lacked"])
def test_a_hidden_entry_answers_exactly_as_a_missing_one(log: Log, why: str) -> None:
    client = _client(log.cast.us_coordinator)
    hidden = log.hidden[why].public_id
    missing = new_public_id()
    for path in ("/coordination/entries/{}/", "/api/coordination/entries/{}/vet"):
        method = client.get if path.startswith("/coordination") else client.post
        one, other = method(path.format(hidden)), method(path.format(missing))
        assert one.status_code == other.status_code == 404
        assert one.content == other.content
    correcting = {"kind": "report", "text": "x", "language": "en"}
    one, other = (
        client.post(
            f"/api/coordination/bodies/{log.cast.bocc.code}/entries",
            {**correcting, "corrects": pk},
            content_type="application/json",
        )
        for pk in (hidden, missing)
    )
    assert one.status_code == other.status_code == 404
    assert one.content == other.content


def test_corrects_names_the_entry_only_when_the_reader_may_see_it(log: Log) -> None:
    cast = log.cast
    correction = post(
        cast, "訂正（共有）", Marking("jpn-j1", BOTH), corrects=log.hidden["not releasable"]
    )
    seen_by_writer = selectors.entry_payload(person=cast.jp_coordinator, pk=correction.pk)
    assert seen_by_writer["corrects"] == log.hidden["not releasable"].public_id
    reader = _client(cast.us_coordinator)
    row = reader.get(f"/coordination/entries/{correction.public_id}/").content.decode()
    assert "訂正（共有）" in row
    assert "corrects #" not in row
    writer = _client(cast.jp_coordinator).get(f"/coordination/entries/{correction.public_id}/")
    assert f"#{log.hidden['not releasable'].label}" in writer.content.decode()
    listed = reader.get(f"/api/coordination/situations/{cast.situation.public_id}/entries").json()
    assert next(e for e in listed["entries"] if e["id"] == correction.public_id)["corrects"] is None


def test_the_entry_shows_its_marking_in_the_reader_language(log: Log) -> None:
    row = _client(log.cast.us_coordinator).get(f"/coordination/entries/{log.shown.public_id}/")
    text = row.content.decode()
    assert "Level-J1 (Caution) · Releasable to JPN, USA" in text
    log.cast.jp_coordinator.language = "ja"
    log.cast.jp_coordinator.save()
    community = log.hidden["community lacked"].public_id
    row = _client(log.cast.jp_coordinator).get(
        f"/coordination/entries/{community}/", HTTP_ACCEPT_LANGUAGE="ja"
    )
    assert "区分J1（注意） · JPN、USAに開示可 · 弾道ミサイル防衛" in row.content.decode()


def _state() -> tuple[int, int, list[int]]:
    return (
        LogEntry.objects.count(),
        MarkingSet.objects.count(),
        list(Situation.objects.order_by("pk").values_list("last_seq", flat=True)),
    )


@pytest.mark.parametrize(
    ("marking", "field"),
    [
        (Marking("jpn-j9", BOTH), "level"),
        (Marking("jpn-j1", ("JPN", "XXX")), "releasable_to"),
        (Marking("jpn-j1", BOTH, caveats=("no-such",)), "caveats"),
        (Marking("jpn-j1", BOTH, communities=("no-such",)), "communities"),
        (Marking("jpn-j1", ("USA",)), "releasable_to"),
        (Marking("usa-u1", BOTH), "level"),
        (Marking("jpn-j3", BOTH), "level"),
        (Marking("jpn-j1", BOTH, communities=("bmd",)), "level"),
    ],
)
def test_a_bad_marking_is_refused_and_nothing_changes(
    cast: Cast, marking: Marking, field: str
) -> None:
    before = _state()
    with pytest.raises(ValidationError) as refused:
        services.entry_post(
            actor=cast.wa_officer,  # jpn-j2, no caveats or communities
            body=cast.ccc,
            kind="report",
            text="x",
            language="ja",
            marking=marking,
        )
    assert field in refused.value.message_dict
    assert _state() == before


def test_a_bad_marking_is_refused_in_the_reader_language_on_the_api(cast: Cast) -> None:
    client = _client(cast.mef_officer)
    before = _state()
    answer = client.post(
        f"/api/coordination/bodies/{cast.ccc.code}/entries",
        {
            "kind": "report",
            "text": "x",
            "language": "en",
            "marking": {"level": "usa-u1", "releasable_to": ["JPN"]},
        },
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert answer.status_code == 422
    assert "originating nation" in json.dumps(answer.json())
    answer = client.post(
        f"/api/coordination/bodies/{cast.ccc.code}/entries",
        {
            "kind": "report",
            "text": "x",
            "language": "en",
            "marking": {"level": "usa-u3", "releasable_to": ["USA"]},
        },
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="ja",
    )
    assert answer.status_code == 422
    assert "資格を超える" in json.dumps(answer.json(), ensure_ascii=False)
    assert _state() == before


def test_a_marking_given_on_the_page_is_applied(cast: Cast) -> None:
    client = _client(cast.wa_officer)
    client.post(
        f"/coordination/situations/{cast.situation.public_id}/entries/",
        {
            "body": cast.ccc.code,
            "kind": "report",
            "language": "ja",
            "text": "国内限り",
            "level": "jpn-j2",
            "national_only": "on",
        },
    )
    entry = LogEntry.objects.get(text="国内限り")
    assert Marking.of(entry) == Marking("jpn-j2", ("JPN",))
    assert entry.pk not in {
        e.pk for e in selectors.entries_page(person=cast.mef_officer, situation=cast.situation)
    }


def test_translating_or_vetting_an_entry_one_may_not_read_is_refused(log: Log) -> None:
    cast = log.cast
    hidden = log.hidden["not releasable"]
    hidden.significant = True
    with pytest.raises(PermissionDenied):
        services.entry_translate(actor=cast.us_liaison, entry=hidden, text="x", language="en")
    with pytest.raises(PermissionDenied):
        services.entry_vet(actor=cast.us_coordinator, entry=hidden)
    with pytest.raises(ValidationError):
        services.entry_post(
            actor=cast.us_coordinator,
            body=cast.bocc,
            kind="report",
            text="x",
            language="en",
            corrects=hidden,
        )


def test_an_auditor_reads_only_what_their_clearance_opens(log: Log, make_person: Any) -> None:
    auditor = make_person("us-aud", nation="USA", role=Role.AUDITOR, org="usfj", clearance="usa-u1")
    seen = {e.pk for e in selectors.entries_page(person=auditor, situation=log.cast.situation)}
    assert log.shown.pk in seen
    assert not seen & {e.pk for e in log.hidden.values()}


def test_the_api_page_rendered_without_validation_matches_its_schema(log: Log) -> None:
    from kizuna.coordination.api import EntryOut, EntryPageOut

    client = _client(log.cast.us_coordinator)
    page = client.get(
        f"/api/coordination/situations/{log.cast.situation.public_id}/entries?limit=2"
    )
    body = page.json()
    assert isinstance(EntryPageOut.model_validate(body).next_before, str)
    for entry in body["entries"]:
        assert set(entry) == set(EntryOut.model_fields)
    # The situation's visibility is inside the page query: a hidden situation is a 404.
    outsider = _client(log.cast.outsider)
    refused = outsider.get(f"/api/coordination/situations/{log.cast.situation.public_id}/entries")
    assert refused.status_code == 404
