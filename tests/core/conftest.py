"""Kizuna run as its operators run it: `kizuna` commands in processes of their own, on a
database of their own (a scratch copy or database, never the one the test process holds)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from kizuna.core.backups import Progress, backup

Kizuna = Callable[..., subprocess.CompletedProcess[str]]


def scratch_name(suffix: str) -> str:
    """A PostgreSQL database name of this run's own: the configured database's name (not the
    test database's) with a suffix, so parallel runs on one server do not meet."""
    base = str(connection.settings_dict["NAME"]).removeprefix("test_")
    return f"{base}_{suffix}"


def postgres_url(name: str) -> str:
    db = connection.settings_dict
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{name}"


def admin_sql(statement: str) -> None:
    """CREATE or DROP DATABASE, from the server's maintenance database."""
    with psycopg.connect(postgres_url("postgres"), autocommit=True) as admin:
        admin.execute(statement)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def command_env(database_url: str, data_dir: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("KIZUNA_", "DJANGO_", "LC_")) and k != "LANGUAGE"
    }
    # The commands speak the operator's language; these tests read their English.
    env.update(KIZUNA_DATABASE_URL=database_url, KIZUNA_DATA_DIR=str(data_dir), LANG="en_US.UTF-8")
    return env


@pytest.fixture
def empty_database(tmp_path: Path) -> Iterator[str]:
    """The URL of a database with nothing in it, dropped afterwards."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.sqlite3'}"
        return
    name = scratch_name("restore")
    admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin_sql(f'CREATE DATABASE "{name}"')
    try:
        yield postgres_url(name)
    finally:
        admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def migrated_sqlite(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Path | None:
    """The migrated test database as a file (SQLite's test database lives in memory), taken
    with `kizuna backup`'s own copy. For tests marked django_db: only they have the test
    database set up. Session-scoped, so it is taken before a test's transaction begins: the
    copy would wait forever on the lock that transaction holds."""
    if connection.vendor != "sqlite":
        return None
    path = tmp_path_factory.mktemp("migrated") / "kizuna.sqlite3"
    with django_db_blocker.unblock():
        backup(path, Progress())
    return path


@pytest.fixture
def served_database(
    migrated_sqlite: Path | None, django_db_blocker: Any, tmp_path: Path
) -> Iterator[str]:
    """A migrated database for servers started by a test: a copy of the migrated SQLite file,
    or on PostgreSQL the test database itself (the servers only read it and queue their
    heartbeats, which are removed afterwards)."""
    if migrated_sqlite is not None:
        copy = tmp_path / "served.sqlite3"
        shutil.copyfile(migrated_sqlite, copy)
        yield f"sqlite:///{copy}"
        return
    yield postgres_url(str(connection.settings_dict["NAME"]))
    with django_db_blocker.unblock():
        DBTaskResult.objects.all().delete()


@pytest.fixture
def kizuna(tmp_path: Path) -> Callable[..., Kizuna]:
    """`kizuna(url)(*args)`: run a kizuna command against the database at `url`."""

    def on(database_url: str) -> Kizuna:
        def run(*args: str, check: bool = False) -> subprocess.CompletedProcess[str]:
            return subprocess.run(
                [sys.executable, "-m", "kizuna.cli", *args],
                env=command_env(database_url, tmp_path / "var"),
                capture_output=True,
                text=True,
                timeout=600,
                check=check,
            )

        return run

    return on
