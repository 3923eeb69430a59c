from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.template import Context, Template
from hypothesis import given
from hypothesis import strategies as st

from kizuna.core.timezones import in_zones

TRIO = ["Asia/Tokyo", "America/Los_Angeles", "Pacific/Honolulu"]


def _hours_apart(instant: datetime, a: str, b: str) -> float:
    first, second = in_zones(instant, [a, b])
    return (first.local.replace(tzinfo=None) - second.local.replace(tzinfo=None)) / timedelta(
        hours=1
    )


def test_washingtons_daylight_saving_moves_the_gaps() -> None:
    winter = datetime(2026, 1, 15, 3, 0, tzinfo=UTC)
    summer = datetime(2026, 7, 15, 3, 0, tzinfo=UTC)
    assert _hours_apart(winter, "Asia/Tokyo", "America/Los_Angeles") == 17
    assert _hours_apart(summer, "Asia/Tokyo", "America/Los_Angeles") == 16
    assert _hours_apart(winter, "America/Los_Angeles", "Pacific/Honolulu") == 2
    assert _hours_apart(summer, "America/Los_Angeles", "Pacific/Honolulu") == 3


# Hypothesis takes naive bounds and attaches the zone itself.
SPAN = {"min_value": datetime(1990, 1, 1), "max_value": datetime(2060, 1, 1)}  # noqa: DTZ001


@given(st.datetimes(**SPAN, timezones=st.just(UTC)))
def test_every_zone_shows_the_same_instant(instant: datetime) -> None:
    for shown in in_zones(instant, TRIO):
        # Compared in UTC: an ambiguous local time (the hour repeated when daylight saving
        # ends) never compares equal across zones, by Python's rule (PEP 495).
        assert shown.local.astimezone(UTC) == instant
        assert shown.local.utcoffset() is not None


def test_the_repeated_hour_in_washington_is_still_the_same_instant() -> None:
    first, second = (datetime(2000, 10, 29, h, 30, tzinfo=UTC) for h in (8, 9))
    (seattle_first,) = in_zones(first, ["America/Los_Angeles"])
    (seattle_second,) = in_zones(second, ["America/Los_Angeles"])
    assert seattle_first.text == seattle_second.text == "2000-10-29 01:30"
    assert (seattle_first.abbreviation, seattle_second.abbreviation) == ("PDT", "PST")
    assert seattle_second.local.astimezone(UTC) == second


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        in_zones(datetime(2026, 1, 1), TRIO)  # noqa: DTZ001


def test_the_tag_shows_the_readers_zones_in_their_order() -> None:
    html = Template("{% zones when %}").render(
        Context(
            {
                "when": datetime(2026, 11, 28, 4, 30, tzinfo=UTC),
                "reader_zones": ["Pacific/Honolulu", "Asia/Tokyo"],
            }
        )
    )
    assert html.index("2026-11-27 18:30") < html.index("2026-11-28 13:30")
    assert "HST" in html
    assert "JST" in html
    assert 'datetime="2026-11-28T04:30:00+00:00"' in html
