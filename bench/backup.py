"""Backup and restore benchmark: how long `kizuna backup` and `kizuna restore` take on a
database holding N log entries (default 1,000,000), each with its audit event as the
services would have written it, so that the restore's check of the audit chain walks as
many events as a real log of that size leaves.

1. Load: a situation, its body and people through the services, then N log entries in one
   INSERT … SELECT and N chained audit events in batches (the loading is not measured).
2. Backup: `kizuna backup` in this process (SQLite: the online backup API; PostgreSQL: pg_dump,
   a child process), with the file's size.
3. Restore: `kizuna restore` in a process of its own into an empty database (a new SQLite
   file; PostgreSQL: `<name>_restored`, dropped afterwards), split into the copy itself and
   the checks after it (migrations, access triggers, the audit chain, the search index).

Peak RSS: the backup's is this process's (SQLite) or pg_dump's (PostgreSQL), the restore's the
largest of `kizuna restore` and pg_restore. One JSON line on stdout; progress on stderr.

    .venv/bin/python bench/backup.py                                  # SQLite, under /tmp
    .venv/bin/python bench/backup.py --database-url postgres://postgres@127.0.0.1/kizuna_backup_bench
    .venv/bin/python bench/backup.py --entries 20000                  # a quick run
"""

from __future__ import annotations

import argparse
import io
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from tqdm import tqdm

from harness import ROOT, emit, measured, setup_django

AUDIT_BATCH = 5_000


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def fresh_postgres(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')


def drop_postgres(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def load(entries: int) -> None:
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from kizuna.coordination import services
    from kizuna.coordination.models import Body, Situation
    from kizuna.core.audit import GENESIS, _content, chain_hash
    from kizuna.core.models import AuditEvent, Nation, Organization, Person, Role
    from kizuna.core.public_ids import new_public_id
    from kizuna.core.services import membership_grant
    from kizuna.sharing.marking import Marking
    from kizuna.sharing.services import clearance_grant, marking_set, resolve_marking

    log("migrating")
    call_command("migrate", verbosity=0)
    org = Organization.objects.create(
        code="bench-jp",
        name_ja="ベンチ",
        name_en="bench",
        kind="other",
        nation=Nation.objects.get(code="JPN"),
    )
    writer = Person.objects.create_user(username="bench-writer", password=None)
    membership_grant(actor=None, person=writer, organization=org, role=Role.COORDINATOR)
    clearance_grant(actor=None, person=writer, level="jpn-j1")
    marking = marking_set(resolve_marking(Marking("jpn-j1", ("JPN", "USA")), originator=org))
    situation = services.situation_open(
        actor=writer,
        organization=org,
        title_ja="ベンチ",
        title_en="bench",
        kind="exercise",
        starts_at=timezone.now() - timedelta(days=30),
    )
    body = services.body_stand_up(
        actor=writer,
        situation=situation,
        kind=Body.Kind.CCC,
        code="bench",
        name_ja="ベンチ",
        name_en="bench",
        organizations=[org],
    )
    situation = Situation.objects.get(pk=situation.pk)
    start = situation.last_seq
    with transaction.atomic():
        series = services.entry_series(situation, body, marking)
    at = timezone.now().replace(microsecond=0)
    log(f"loading {entries:,} log entries")
    with connection.cursor() as cursor:
        # Portable SQL (SQLite and PostgreSQL): a recursive count instead of generate_series.
        cursor.execute(
            """
            INSERT INTO coordination_logentry (public_id, situation_id, seq, rev, body_id, kind,
                author_id, author_organization_id, author_position, recorded_at, event_at,
                language, text, translation, significant, marking_id, series_id, number, label)
            WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < %s)
            SELECT %s || x, %s, %s + x, %s + x, %s, 'report', %s, %s, 'J-3', %s, %s, 'ja',
                '定時報告 ' || x || '：南阿蘇村方面の道路状況に変化なし。給水支援を継続中。',
                'Routine report ' || x || ': no change.', false, %s,
                %s, %s + x, %s || '-' || (%s + x)
            FROM n
            """,
            # A bench-only public id: a random stem and the row's count, unique per row.
            [
                *(entries, new_public_id()[:8]),
                *(situation.pk, start, start, body.pk, writer.pk, org.pk, at, at),
                *(marking.pk, series.pk, series.last_number, series.code, series.last_number),
            ],
        )
        cursor.execute(
            "UPDATE coordination_entryseries SET last_number = %s WHERE id = %s",
            [series.last_number + entries, series.pk],
        )
        cursor.execute(
            "UPDATE coordination_situation SET last_seq = %s WHERE id = %s",
            [start + entries, situation.pk],
        )
    prev = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first() or GENESIS
    with tqdm(total=entries, desc="audit events", unit=" events", file=sys.stderr) as bar:
        for first in range(1, entries + 1, AUDIT_BATCH):
            batch = []
            for n in range(first, min(first + AUDIT_BATCH, entries + 1)):
                fields: dict[str, Any] = {
                    "at": at,
                    "actor_id": writer.pk,
                    "action": "logentry.post",
                    "object_type": "coordination.logentry",
                    "object_id": str(start + n),
                    "before": None,
                    "after": {"seq": start + n, "kind": "report"},
                }
                digest = chain_hash(prev, _content(**fields))
                batch.append(AuditEvent(**fields, prev_hash=prev, hash=digest))
                prev = digest
            AuditEvent.objects.bulk_create(batch)
            bar.update(len(batch))


def children_peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("KIZUNA_BENCH_DATABASE_URL"))
    parser.add_argument("--entries", type=int, default=1_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kizuna-backup-bench-") as tmp:
        work = Path(tmp)
        source_url = args.database_url or f"sqlite:///{work / 'source.sqlite3'}"
        postgres = source_url.startswith("postgres")
        target_url = (
            f"{source_url}_restored" if postgres else f"sqlite:///{work / 'restored.sqlite3'}"
        )
        if postgres:
            fresh_postgres(source_url)
            fresh_postgres(target_url)
        os.environ["KIZUNA_DATA_DIR"] = str(work / "var")
        engine = setup_django(source_url)
        from django.core.management import call_command
        from django.db import connection

        started = time.perf_counter()
        load(args.entries)
        load_s = time.perf_counter() - started
        backup_file = work / "kizuna.backup"
        log("backing up")
        with measured() as backup_phase:
            call_command("backup", str(backup_file), stdout=io.StringIO())  # stdout: figures
        backup_rss = children_peak_rss_mb() if postgres else backup_phase.peak_rss_mb
        connection.close()

        log("restoring")
        env = dict(os.environ, KIZUNA_DATABASE_URL=target_url, KIZUNA_DATA_DIR=str(work / "var2"))
        started = time.perf_counter()
        restored = subprocess.run(
            [sys.executable, "-m", "kizuna.cli", "restore", str(backup_file)],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        restore_s = time.perf_counter() - started
        if restored.returncode != 0 or "the database is whole" not in restored.stdout:
            sys.exit(f"the restore failed:\n{restored.stdout}\n{restored.stderr}")
        copy = re.search(r"restored .* in ([\d.]+) s", restored.stdout)
        copy_s = float(copy.group(1)) if copy else float("nan")
        if postgres:
            drop_postgres(target_url)
        emit(
            "backup",
            {
                "engine": engine,
                "entries": args.entries,
                "audit_events": args.entries,
                "load_s": round(load_s, 1),
                "backup": {
                    "seconds": round(backup_phase.seconds, 1),
                    "file_mb": round(backup_file.stat().st_size / 1e6, 1),
                    "peak_rss_mb": backup_rss,
                },
                "restore": {
                    "seconds": round(restore_s, 1),
                    "copy_s": copy_s,
                    "checks_and_start_s": round(restore_s - copy_s, 1),
                    "peak_rss_mb": children_peak_rss_mb(),
                },
                "at": datetime.now(UTC).isoformat(timespec="seconds"),
            },
        )


if __name__ == "__main__":
    main()
