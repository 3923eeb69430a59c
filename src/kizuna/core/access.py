"""Access answers remembered between requests, and the token that says when they went stale.

Deciding what a person may see reads several tables (memberships, clearances, the level
equivalences, the markings in use, who sits in which body); on the log's hot read that was a
third of every request. The answer changes only when one of those rows changes, so each such
table carries a database trigger (`watch`, added by each app's migrations for its own
tables) that gives the single row of `core_accessepoch` a new random token in the same
transaction as the change. `remembered` keeps an answer under the token read before it was
computed and gives it back only while that token is still the current one:

- a change commits together with its new token, so the first decision after the commit
  reads the new token and decides afresh, in every process, whoever wrote the change (a
  service, the back office, a script, plain SQL);
- the token is random rather than a counter, so a token drawn by a transaction that rolled
  back never comes back to vouch for what that transaction saw;
- no token (the row gone, as after a test database flush) means nothing is remembered.

On SQLite a migration that rebuilds a watched table drops its triggers (SQLite rebuilds a
table to alter it); tests/core/test_access.py fails until the migration adds them back.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.db import connection, migrations
from django.db.migrations.loader import MigrationLoader

T = TypeVar("T")

# How many answers a process keeps under one token (people times kinds of answer); past it,
# it starts again. An answer is a few kB (ids of situations, bodies, markings).
MAX_REMEMBERED = 2_000


class _Answers:
    """This process's answers by (kind, person, token). Only the last token's are kept: once
    a newer one is current the older answers serve nobody. Plain dict operations only:
    threads may race here, and a lost answer costs a decision; a wrong one cannot arise,
    since every key holds its token."""

    def __init__(self) -> None:
        self.token = ""
        self.by_key: dict[tuple[str, int, str], Any] = {}

    def keep(self, key: tuple[str, int, str], answer: Any) -> None:
        token = key[2]
        if token != self.token or len(self.by_key) >= MAX_REMEMBERED:
            self.by_key = {}
            self.token = token
        self.by_key[key] = answer


_answers = _Answers()


def current_token() -> str | None:
    """The token of the current state of access, as this connection sees it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT token FROM core_accessepoch WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else None


def remembered(kind: str, person_id: int | None, decide: Callable[[], T]) -> T:
    """`decide()`'s answer for this person, reused for as long as no watched row changed."""
    if person_id is None or (token := current_token()) is None:
        return decide()
    key = (kind, person_id, token)
    if key in _answers.by_key:
        answer: T = _answers.by_key[key]
        return answer
    answer = decide()
    _answers.keep(key, answer)
    return answer


def forget_all() -> None:
    """Drop every remembered answer of this process (tests that count queries start cold)."""
    _answers.by_key = {}


# --- the triggers ----------------------------------------------------------------------------

_NEW_TOKEN = {
    "postgresql": "gen_random_uuid()::text",
    "sqlite": "lower(hex(randomblob(16)))",
}


def _trigger_sql(vendor: str, table: str, update_of: Sequence[str]) -> list[str]:
    name = f"{table}_access_epoch"
    update = f"UPDATE OF {', '.join(update_of)}" if update_of else "UPDATE"
    bump = f"UPDATE core_accessepoch SET token = {_NEW_TOKEN[vendor]}"  # noqa: S608 (constants)
    if vendor == "postgresql":
        # Once per statement, TRUNCATE included; the function is core's (migration 0003).
        return [
            f"CREATE TRIGGER {name} AFTER INSERT OR DELETE OR TRUNCATE OR {update} ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION core_access_epoch_bump()"
        ]
    return [
        f"CREATE TRIGGER {name}_{event.split()[0].lower()} AFTER {event} ON {table} "
        f"BEGIN {bump}; END"
        for event in ("INSERT", "DELETE", update)
    ]


def _drop_sql(vendor: str, table: str) -> list[str]:
    name = f"{table}_access_epoch"
    if vendor == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {name} ON {table}"]
    return [f"DROP TRIGGER IF EXISTS {name}_{event}" for event in ("insert", "delete", "update")]


class Watch(migrations.RunPython):
    """The migration operation `watch` returns; it names its table, so that a database can
    be checked against the migrations (`watched_tables`, after a restore)."""

    def __init__(self, table: str, update_of: Sequence[str]) -> None:
        def create(apps: Any, schema_editor: Any) -> None:
            for statement in _trigger_sql(schema_editor.connection.vendor, table, update_of):
                schema_editor.execute(statement)

        def drop(apps: Any, schema_editor: Any) -> None:
            for statement in _drop_sql(schema_editor.connection.vendor, table):
                schema_editor.execute(statement)

        super().__init__(create, drop)
        self.table = table


def watch(table: str, update_of: Sequence[str] = ()) -> Watch:
    """A migration operation: any insert, delete or update (of `update_of` only, when given)
    on `table` draws a new access token. For the migrations of the app that owns `table`."""
    return Watch(table, update_of)


def watched_tables() -> set[str]:
    """The tables the migrations put access triggers on."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return {
        operation.table
        for migration in loader.disk_migrations.values()
        for operation in migration.operations
        if isinstance(operation, Watch)
    }


def tables_with_triggers() -> set[str]:
    """The tables that carry access triggers in the database."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT event_object_table FROM information_schema.triggers "
                "WHERE trigger_name LIKE '%access_epoch'"
            )
        else:
            cursor.execute(
                "SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' "
                "AND name LIKE '%access_epoch%'"
            )
        return {row[0] for row in cursor.fetchall()}


def redraw_token() -> None:
    """A new token, as any change of access draws: answers remembered from before (a restore,
    say) are not given again."""
    with connection.cursor() as cursor:
        new_token = _NEW_TOKEN[connection.vendor]
        cursor.execute(f"UPDATE core_accessepoch SET token = {new_token}")  # noqa: S608 (constants)
