"""`kizuna serve` refuses what would quietly break live updates."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import connection


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the guard is SQLite's")
def test_several_processes_on_sqlite_are_refused_before_anything_starts() -> None:
    with pytest.raises(CommandError, match="--workers 1"):
        call_command("serve", workers=2)
