"""Entry numbers are drawn per series (a body, or the situation-wide entries, under one
marking), so the numbers any reader sees run without a gap a hidden entry made."""

from __future__ import annotations

import re
from collections import defaultdict

import pytest
from django.db import transaction
from django.test import Client

from kizuna.coordination import services
from kizuna.coordination.models import LogEntry
from kizuna.core.models import Person
from kizuna.sharing.marking import Marking

from .conftest import Cast

BOTH = ("JPN", "USA")
HIDDEN_FROM_US = Marking("jpn-j1", ("JPN",))


def _post(cast: Cast, text: str, marking: Marking | None) -> LogEntry:
    return services.entry_post(
        actor=cast.jp_coordinator,
        body=cast.bocc,
        kind="report",
        text=text,
        language="ja",
        marking=marking,
    )


def _numbers_seen(person: Person, cast: Cast) -> dict[str, list[int]]:
    """Every entry number the person reads on the situation's page, by series."""
    client = Client()
    client.force_login(person)
    page = client.get(f"/coordination/situations/{cast.situation.public_id}/").content.decode()
    api = client.get(
        f"/api/coordination/situations/{cast.situation.public_id}/entries?limit=200"
    ).json()
    labels = re.findall(r'data-testid="entry-number">#([A-Z2-7]+-\d+)<', page)
    assert sorted(labels) == sorted(e["number"] for e in api["entries"])
    series: dict[str, list[int]] = defaultdict(list)
    for label in labels:
        code, number = label.rsplit("-", 1)
        series[code].append(int(number))
    return series


@pytest.mark.django_db
def test_no_reader_sees_a_gap_a_hidden_entry_made(cast: Cast) -> None:
    shown = []
    for n in range(3):
        shown.append(_post(cast, f"shown {n}", Marking("jpn-j1", BOTH)))
        _post(cast, f"hidden {n}", HIDDEN_FROM_US)
    assert [e.number for e in shown] == [1, 2, 3]
    assert len({e.series_id for e in shown}) == 1
    for person in (cast.us_coordinator, cast.us_liaison, cast.jp_coordinator):
        seen = _numbers_seen(person, cast)
        assert seen, person
        for code, numbers in seen.items():
            assert sorted(numbers) == list(range(1, len(numbers) + 1)), (person, code)
    us_seen = _numbers_seen(cast.us_coordinator, cast)
    assert shown[0].series.code in us_seen
    hidden_code = LogEntry.objects.get(text="hidden 0").series.code
    assert hidden_code not in us_seen
    assert hidden_code in _numbers_seen(cast.jp_coordinator, cast)


@pytest.mark.django_db
def test_a_refused_post_gives_its_number_back(cast: Cast) -> None:
    first = _post(cast, "first", HIDDEN_FROM_US)
    with transaction.atomic():
        _post(cast, "rolled back", HIDDEN_FROM_US)
        transaction.set_rollback(True)
    assert _post(cast, "second", HIDDEN_FROM_US).number == first.number + 1
