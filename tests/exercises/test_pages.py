"""What the pages and files show: the yearly table with the seed's figures as the seed gives
them in the reader's language, the chart and its numbers, and the exercise-traffic banner on
every page and export."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from kizuna.core.models import Person
from kizuna.exercises.models import Exercise

pytestmark = pytest.mark.django_db

BANNER = "EXERCISE EXERCISE EXERCISE"


@pytest.fixture
def reader(seeded: None, client: Client, settings: object) -> Person:
    settings.DEMO_MODE = True  # type: ignore[attr-defined]  # demo people sign in only then
    person = Person.objects.get(username="jp-exercise")
    client.force_login(person)
    return person


def test_the_list_shows_the_seeds_figures_in_japanese_and_english(
    client: Client, reader: Person
) -> None:
    page = client.get("/exercises/", HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert page.count(BANNER) == 2  # above and below
    assert "約37,000" in page
    assert "2020年度" in page
    assert "年度の記載なし" in page
    reader.language = "en"
    reader.save(update_fields=["language"])
    page = client.get("/exercises/").content.decode()
    assert "about 37,000" in page
    assert "FY2020" in page


def test_the_detail_page_says_where_each_record_comes_from(client: Client, reader: Person) -> None:
    keen = Exercise.objects.get(name_en__startswith="Keen Sword 21")
    page = client.get(f"/exercises/{keen.public_id}/").content.decode()
    assert BANNER in page
    assert page.count('data-testid="provenance"') == 1 + keen.participations.count()
    assert "III-2-2 §3" in page
    assert "種子島" in page


def test_the_chart_is_drawn_as_text_with_its_numbers_a_click_away(
    client: Client, reader: Person
) -> None:
    svg = client.get("/exercises/yearly.svg").content.decode()
    assert "<svg" in svg
    assert "年度・種別ごとの演習・訓練" in svg
    page = client.get("/exercises/").content.decode()
    assert 'src="/exercises/yearly.svg"' in page
    assert "<summary>" in page


def test_the_exports_carry_the_banner_and_the_figures_as_given(
    client: Client, reader: Person
) -> None:
    rows = list(csv.reader(io.StringIO(client.get("/exercises/exercises.csv").getvalue().decode())))  # type: ignore[attr-defined]
    assert rows[0] == [BANNER]
    header = rows[1]
    keen = next(r for r in rows[2:] if r[3].startswith("Keen Sword 21") and r[10] == "JPN")
    record = dict(zip(header, keen, strict=True))
    assert (record["personnel"], record["personnel_qualifier"]) == ("37000", "approximate")
    assert (record["ships"], record["aircraft"]) == ("20", "170")
    assert record["fiscal_year"] == "2020"
    book = load_workbook(
        io.BytesIO(b"".join(client.get("/exercises/exercises.xlsx").streaming_content))
    )  # type: ignore[attr-defined]
    sheet = book.active
    assert sheet["A1"].value == BANNER
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    keen_row = next(v for v in values if "キーン・ソード21" in str(v[1]) and v[6] == "日本")
    assert keen_row[8:11] == ["約37,000", "約20", "約170"]
