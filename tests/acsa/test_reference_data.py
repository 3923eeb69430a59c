"""The reference data carries the seed's own words: every category of footnote 1 and every
situation of Figure III-2-2-1, by its Japanese name, each row citing its source."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kizuna.acsa.models import AgreementVersion, Category, SituationType

pytestmark = pytest.mark.django_db

# The white paper's section as text, kept in the repository (docs/sources/README.md).
SEED = "".join(
    (Path(__file__).resolve().parents[2] / "docs" / "sources" / "white-paper-2021-ch3-sec2.txt")
    .read_text(encoding="utf-8")
    .split()
)
FOOTNOTE = re.search(r"区分は、(.+?)である", SEED).group(1)  # type: ignore[union-attr]


def test_the_sixteen_categories_of_the_footnote_and_weapons_never_provided() -> None:
    provided = Category.objects.filter(prohibited=False)
    assert provided.count() == 16
    for category in provided:
        assert category.name_ja in FOOTNOTE, category.name_ja
        assert category.source
    weapons = Category.objects.get(prohibited=True)
    assert weapons.name_ja == "武器"
    assert "武器の提供は含まれない" in SEED


def test_every_situation_of_the_figure_by_its_seed_name() -> None:
    figure = SEED[SEED.index("日米物品役務相互提供協定の適用対象") :]
    current = SituationType.objects.filter(effective_to__isnull=True, law_lapsed_on__isnull=True)
    assert current.count() == 22
    for situation in current:
        assert situation.name_ja in figure, situation.name_ja
        assert "Figure III-2-2-1" in situation.source


def test_agreement_versions_in_force_in_order() -> None:
    versions = list(AgreementVersion.objects.values_list("code", "in_force_from"))
    assert [code for code, _ in versions] == [
        "original-1996",
        "amendment-1999",
        "amendment-2004",
        "new-agreement-2017",
    ]
    assert str(versions[-1][1]) == "2017-04-25"


def test_codes_fit_their_columns_on_every_engine() -> None:
    # SQLite does not enforce VARCHAR lengths; PostgreSQL does.
    for model in (AgreementVersion, Category, SituationType):
        limit = model._meta.get_field("code").max_length
        assert all(len(code) <= limit for code in model.objects.values_list("code", flat=True))
