"""Every page must read right in Japanese: the catalogue is complete and compiled."""

from __future__ import annotations

from pathlib import Path

import polib

import kizuna

LOCALE = Path(kizuna.__file__).parent / "locale" / "ja" / "LC_MESSAGES"


def test_every_message_has_a_japanese_translation() -> None:
    catalogue = polib.pofile(str(LOCALE / "django.po"))
    missing = [e.msgid for e in catalogue if not e.translated() or "fuzzy" in e.flags]
    assert missing == []


def test_the_compiled_catalogue_matches_the_source() -> None:
    source = {e.msgid: e.msgstr or e.msgstr_plural for e in polib.pofile(str(LOCALE / "django.po"))}
    compiled = {
        e.msgid: e.msgstr or e.msgstr_plural for e in polib.mofile(str(LOCALE / "django.mo"))
    }
    compiled.pop("", None)
    assert compiled == source, "run `make messages` to recompile the catalogue"
