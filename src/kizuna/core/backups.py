"""Backups of the whole database, restores into an empty one, and the checks after a restore.

SQLite: the online backup API copies the live database page by page into a new file; a
write by another connection meanwhile (the running server) makes it start over, so the copy
is always one consistent state. PostgreSQL: `pg_dump --format=custom` reads one snapshot
while the servers go on; `pg_restore` loads it in a single transaction, so a failed restore
leaves the database as empty as it was. A backup is written beside its name first and
renamed when complete: a file with the name is never half a backup.

A restored database is checked before anyone uses it: every migration applied, the access
triggers on every table the migrations watch (core.access), the audit chain, and each app's
own `restore_checks` (sharing's search index). The access token is then redrawn, so no
server remembers answers from before the restore.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from django.apps import apps
from django.db import connection
from django.utils.module_loading import import_string

from . import access
from .audit import verify_chain
from .health import Check, health

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_CUSTOM_MAGIC = b"PGDMP"
# Pages copied per step of SQLite's backup: small enough to show progress and to let the
# server's writers in between steps.
SQLITE_PAGES_PER_STEP = 4096


class BackupError(Exception):
    """Said to the operator as it is: what is wrong and what to do."""


class Progress:
    """What backup and restore report as they go: a tqdm bar in the commands."""

    def start(self, total: int, unit: str) -> None:
        """Work of `total` units begins."""

    def advance(self, done: int) -> None:
        """`done` units of it are finished, from the start."""


def _engine() -> str:
    return "postgresql" if connection.vendor == "postgresql" else "sqlite"


def engine_of(path: Path) -> str:
    with path.open("rb") as file:
        head = file.read(len(SQLITE_MAGIC))
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_CUSTOM_MAGIC):
        return "postgresql"
    raise BackupError(f"{path} is not a Kizuna backup (neither SQLite nor pg_dump's custom format)")


@contextmanager
def _written_whole(target: Path, *, force: bool) -> Iterator[Path]:
    if target.exists() and not force:
        raise BackupError(f"{target} exists; choose another name, or pass --force to replace it")
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        yield partial
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)


def backup(target: Path, progress: Progress, *, force: bool = False) -> None:
    with _written_whole(target, force=force) as partial:
        if _engine() == "sqlite":
            connection.ensure_connection()
            _sqlite_copy(connection.connection, partial, progress)
        else:
            _pg_dump(partial, progress)


def restore(source: Path, progress: Progress) -> None:
    """Load a backup into the configured database, which must be empty."""
    kind, engine = engine_of(source), _engine()
    if kind != engine:
        raise BackupError(f"{source} is a {kind} backup; this Kizuna's database is {engine}")
    if tables := _tables():
        raise BackupError(
            f"the database is not empty ({len(tables)} tables, e.g. {sorted(tables)[0]}): "
            "restore only into an empty database (create a new one, or drop this one first)"
        )
    if engine == "sqlite":
        with contextlib.closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as backup_file:
            if backup_file.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise BackupError(f"{source} is damaged (SQLite's quick_check fails)")
            connection.ensure_connection()
            _sqlite_copy(backup_file, connection.connection, progress)
    else:
        _pg_restore(source, progress)


def _tables() -> list[str]:
    with connection.cursor() as cursor:
        if _engine() == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        else:
            cursor.execute(
                "SELECT tablename FROM pg_tables "
                "WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
            )
        return [row[0] for row in cursor.fetchall()]


def _sqlite_copy(
    source: sqlite3.Connection, target: sqlite3.Connection | Path, progress: Progress
) -> None:
    destination = sqlite3.connect(target) if isinstance(target, Path) else target
    started = False

    def step(status: int, remaining: int, total: int) -> None:
        nonlocal started
        if not started:
            progress.start(total, "pages")
            started = True
        progress.advance(total - remaining)

    try:
        source.backup(destination, pages=SQLITE_PAGES_PER_STEP, progress=step)
    finally:
        if destination is not target:
            destination.close()


# --- PostgreSQL through its own tools ----------------------------------------------------------


def _pg_connection_args() -> tuple[list[str], dict[str, str]]:
    db = connection.settings_dict
    args = [f"--dbname={db['NAME']}"]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            args.append(f"{option}={db[key]}")
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _pg_tool(name: str) -> str:
    """The tool's path, refused when older than the server (it could not read or write what
    the server holds)."""
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed: install PostgreSQL's client tools")
    out = subprocess.run([path, "--version"], capture_output=True, text=True, check=True).stdout
    found = re.search(r"\)\s*(\d+)", out)
    tool_major = int(found.group(1)) if found else 0
    connection.ensure_connection()
    server_major = connection.pg_version // 10000  # type: ignore[attr-defined]
    if tool_major < server_major:
        raise BackupError(
            f"{name} {tool_major} is older than the PostgreSQL {server_major} server: "
            f"install the client tools of version {server_major} or later"
        )
    return path


def _run_counting(
    argv: list[str], env: dict[str, str], counts: Callable[[str], bool], progress: Progress
) -> None:
    """Run a verbose PostgreSQL tool, advancing `progress` for each stderr line that
    `counts`; on failure, say what the tool said."""
    said: list[str] = []
    done = 0
    with subprocess.Popen(argv, env=env, stderr=subprocess.PIPE, text=True) as process:
        assert process.stderr is not None
        for line in process.stderr:
            if counts(line):
                done += 1
                progress.advance(done)
            elif "error" in line.lower() or "warning" in line.lower():
                said.append(line.strip())
    if process.returncode != 0:
        raise BackupError(f"{Path(argv[0]).name} failed: " + " / ".join(said[-5:]))


def _pg_dump(target: Path, progress: Progress) -> None:
    pg_dump = _pg_tool("pg_dump")
    progress.start(len(_tables()), "tables")
    args, env = _pg_connection_args()
    _run_counting(
        [pg_dump, "--format=custom", "--verbose", f"--file={target}", *args],
        env,
        lambda line: "dumping contents of table" in line,
        progress,
    )


def _pg_restore(source: Path, progress: Progress) -> None:
    pg_restore = _pg_tool("pg_restore")
    listing = subprocess.run(
        [pg_restore, "--list", str(source)], capture_output=True, text=True, check=False
    )
    if listing.returncode != 0:
        raise BackupError(f"pg_restore cannot read {source}: {listing.stderr.strip()}")
    items = [line for line in listing.stdout.splitlines() if line and not line.startswith(";")]
    progress.start(len(items), "items")
    args, env = _pg_connection_args()
    connection.close()  # pg_restore works alone; the checks reconnect
    _run_counting(
        # Owners and grants are the source server's roles, which this one may lack: the
        # restoring role owns everything, and grants are given again (docs/operations.md).
        [
            pg_restore,
            "--verbose",
            "--single-transaction",
            "--exit-on-error",
            "--no-owner",
            "--no-acl",
            *args,
            str(source),
        ],
        env,
        lambda line: line.startswith("pg_restore: creating ") or "processing data" in line,
        progress,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # a restored database has no planner statistics


# --- after a restore ----------------------------------------------------------------------


def checks() -> list[Check]:
    """Is the configured database whole: what a restore is checked against."""
    results = [check for check in health().checks() if check.name == "migrations"]
    missing = access.watched_tables() - access.tables_with_triggers()
    results.append(
        Check(
            "access triggers",
            not missing,
            f"missing on {', '.join(sorted(missing))}"
            if missing
            else f"on all {len(access.watched_tables())} watched tables",
        )
    )
    chain = verify_chain()
    results.append(
        Check(
            "audit chain",
            chain.intact,
            f"{chain.checked} events verified"
            if chain.intact
            else f"broken at event #{chain.first_broken_id}: {chain.reason}",
        )
    )
    for config in apps.get_app_configs():
        if path := getattr(config, "restore_checks", None):
            results.extend(import_string(path)())
    return results
