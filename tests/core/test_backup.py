"""`kizuna backup` and `kizuna restore` on the engine the suite runs on: a backup of a
database in use restores into an empty one whole (records, access triggers, audit chain,
search index), with a new access token; a non-empty database is refused; a restored database
that lost a trigger is reported."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable
from pathlib import Path

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from kizuna.core import access
from kizuna.core.audit import verify_chain
from kizuna.core.models import Person, Role
from kizuna.sharing.marking import Marking
from kizuna.sharing.services import item_create

from .conftest import Kizuna

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def scratch_rows(url: str, sql: str) -> list[tuple[object, ...]]:
    """One statement on the restored database, through the engine's own driver; its rows."""
    if url.startswith("sqlite"):
        with contextlib.closing(sqlite3.connect(url.removeprefix("sqlite:///"))) as db:
            rows = db.execute(sql).fetchall()
            db.commit()
            return rows
    with psycopg.connect(url) as pg:
        cursor = pg.execute(sql)
        return cursor.fetchall() if cursor.description else []


@pytest.fixture
def backup_of_a_database_in_use(
    audited_transactional_db: None, make_person: Callable[..., Person], tmp_path: Path
) -> Path:
    author = make_person(
        "analyst", role=Role.INFORMATION_MANAGER, org="joint-staff", clearance="jpn-j2"
    )
    item_create(
        person=author,
        kind="report",
        domain="space",
        originator=author.memberships.get().organization,
        original_language="ja",
        title="弾道ミサイル発射の兆候",
        marking=Marking("jpn-j1", ("JPN", "USA")),
    )
    target = tmp_path / "kizuna.backup"
    call_command("backup", str(target))
    return target


def test_a_backup_restores_whole_into_an_empty_database(
    backup_of_a_database_in_use: Path, empty_database: str, kizuna: Callable[[str], Kizuna]
) -> None:
    events = verify_chain().checked
    token = access.current_token()
    restored = kizuna(empty_database)("restore", str(backup_of_a_database_in_use))
    said = restored.stdout
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert "ok   access triggers: on all 14 watched tables" in said
    assert f"ok   audit chain: {events} events verified" in said
    assert "ok   search index: whole (1 items)" in said
    assert "the database is whole" in said
    # The restored database: the records, a new token, the restore on the chain.
    assert scratch_rows(empty_database, "SELECT username FROM core_person") == [("analyst",)]
    (new_token,) = scratch_rows(empty_database, "SELECT token FROM core_accessepoch")
    assert new_token != (token,)
    assert scratch_rows(
        empty_database, "SELECT action FROM core_auditevent ORDER BY id DESC LIMIT 1"
    ) == [("database.restore",)]
    # Its search index finds the item by a word of its title.
    found = (
        "SELECT count(*) FROM sharing_shareditem "
        "WHERE search_vector @@ to_tsquery('simple', 'ミサ <-> サイ')"
        if connection.vendor == "postgresql"
        else "SELECT count(*) FROM sharing_item_fts WHERE sharing_item_fts MATCH '\"ミサ サイ\"'"
    )
    assert scratch_rows(empty_database, found) == [(1,)]
    # Whole again when checked later.
    assert kizuna(empty_database)("restore", "--verify").returncode == 0


def test_restore_refuses_a_database_that_is_not_empty(
    backup_of_a_database_in_use: Path, empty_database: str, kizuna: Callable[[str], Kizuna]
) -> None:
    kizuna(empty_database)("restore", str(backup_of_a_database_in_use), check=True)
    again = kizuna(empty_database)("restore", str(backup_of_a_database_in_use))
    assert again.returncode != 0
    assert "the database is not empty" in again.stderr
    assert scratch_rows(empty_database, "SELECT count(*) FROM core_person") == [(1,)]


def test_a_lost_access_trigger_is_reported(
    backup_of_a_database_in_use: Path, empty_database: str, kizuna: Callable[[str], Kizuna]
) -> None:
    kizuna(empty_database)("restore", str(backup_of_a_database_in_use), check=True)
    for statement in access._drop_sql(connection.vendor, "core_membership"):
        scratch_rows(empty_database, statement)
    checked = kizuna(empty_database)("restore", "--verify")
    assert checked.returncode != 0
    assert "FAIL access triggers: missing on core_membership" in checked.stdout


def test_a_backup_never_replaces_a_file_unless_asked(tmp_path: Path) -> None:
    existing = tmp_path / "kizuna.backup"
    existing.write_text("an older backup")
    with pytest.raises(CommandError, match="exists"):
        call_command("backup", str(existing))
    assert existing.read_text() == "an older backup"
