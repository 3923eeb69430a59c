"""The Kizuna chart style: type at least 11 px at the size shown, text kept as localized
text, numbers with separators and never an offset multiplier or scientific notation."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from xml.etree import ElementTree

import pytest
from django.utils import translation

from kizuna.core.charts import MIN_TEXT_PX, PX_PER_PT, Chart

SVG = "{http://www.w3.org/2000/svg}"


def texts(svg: bytes) -> list[tuple[str, float]]:
    """Every text of the SVG with its size in CSS px when shown at the drawn size."""
    root = ElementTree.fromstring(svg)
    found = []
    for element in root.iter(f"{SVG}text"):
        size = re.search(r"font-size: ([\d.]+)px", element.get("style", ""))
        assert size, "a text without its size"
        content = "".join(element.itertext())
        found.append((content, float(size.group(1)) * PX_PER_PT))
    return found


def drawn_size(svg: bytes) -> tuple[float, float]:
    root = ElementTree.fromstring(svg)
    return (
        float(root.get("width", "").removesuffix("pt")) * PX_PER_PT,
        float(root.get("height", "").removesuffix("pt")) * PX_PER_PT,
    )


def big_money_chart(title: str) -> bytes:
    chart = Chart(title, 960, 340)
    days = [date(2017, 5, 1), date(2020, 10, 1), date(2026, 11, 29)]
    chart.step("JPN", "日本の債権", days, [4_728_000, 13_930_000, 13_930_000])
    chart.step("USA", "Owed to the United States", days, [0, 222_000, 0])
    chart.money_axis("未決済残高", "JPY")
    chart.time_axis("Asia/Tokyo", days[0], days[-1])
    return chart.svg()


def test_a_chart_is_drawn_at_the_size_it_is_shown_with_readable_type() -> None:
    svg = big_money_chart("未決済残高の推移（JPY）")
    assert drawn_size(svg) == pytest.approx((960, 340))
    sizes = [size for _text, size in texts(svg)]
    assert sizes
    assert min(sizes) >= MIN_TEXT_PX


def test_axes_have_separators_and_no_offset_or_scientific_notation() -> None:
    with translation.override("ja"):
        svg = big_money_chart("未決済残高の推移（JPY）")
    words = [text for text, _size in texts(svg)]
    assert any(re.fullmatch(r"\d{1,3}(,\d{3}){2}", text) for text in words), words
    assert not any(re.search(r"1e\d|\d[eE][+-]?\d|×\s*10", text) for text in words)
    assert not any(text.startswith("+") or "offset" in text for text in words)


def test_titles_axes_and_legends_are_text_in_the_readers_language() -> None:
    with translation.override("ja"):
        svg = big_money_chart("未決済残高の推移（JPY）")
    words = [text for text, _size in texts(svg)]
    assert "未決済残高の推移（JPY）" in words
    assert "未決済残高 (JPY)" in words  # the axis names its unit
    assert "日本の債権" in words  # the legend
    assert "2018年1月" in words  # months as Japanese write them
    with translation.override("en"):
        svg = big_money_chart("Outstanding balances over time (JPY)")
    assert "Jan 2018" in [text for text, _size in texts(svg)]


def test_times_on_a_short_span_are_in_the_readers_zone_which_the_axis_names() -> None:
    chart = Chart("Personnel", 960, 300)
    times = [datetime(2026, 3, 11, 5, 46, tzinfo=UTC), datetime(2026, 3, 12, 5, 46, tzinfo=UTC)]
    chart.step("USA", "United States", times, [5000, 12000])
    chart.count_axis("Personnel (people)")
    with translation.override("en"):
        chart.time_axis("Asia/Tokyo", times[0], times[-1])
        svg = chart.svg()
    words = [text for text, _size in texts(svg)]
    assert "Japan" in words  # the zone the times are read in
    # Ticks fall on Japan's hours: 05:46Z is 14:46 JST, so the first tick is 16:00 (in UTC
    # it would be 08:00).
    assert words[:2] == ["Mar 11", "16:00"], words
