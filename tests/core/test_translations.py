"""Every page must read right in Japanese: each catalogue is complete and compiled."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest

import kizuna

CATALOGUES = sorted(Path(kizuna.__file__).parent.glob("**/locale/ja/LC_MESSAGES/django.po"))


def test_the_project_catalogue_exists() -> None:
    assert Path(kizuna.__file__).parent / "locale/ja/LC_MESSAGES/django.po" in CATALOGUES


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.parent.parent.parent.parent.name))
def test_every_message_has_a_japanese_translation(po: Path) -> None:
    missing = [e.msgid for e in polib.pofile(str(po)) if not e.translated() or "fuzzy" in e.flags]
    assert missing == []


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.parent.parent.parent.parent.name))
def test_the_compiled_catalogue_matches_the_source(po: Path) -> None:
    source = {e.msgid: e.msgstr or e.msgstr_plural for e in polib.pofile(str(po))}
    compiled = {
        e.msgid: e.msgstr or e.msgstr_plural for e in polib.mofile(str(po.with_suffix(".mo")))
    }
    compiled.pop("", None)
    assert compiled == source, "run `make messages` to recompile the catalogue"
