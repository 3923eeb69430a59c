"""Coordination benchmark (PostgreSQL): the activity log API and the live fan-out.

1. Log reads: a situation holding N entries (default 1,000,000) across three bodies, the
   reader (cleared usa-u1) sitting in two; every tenth entry is marked for Japan alone, so
   the marking filter leaves it out. 50 readers ask for pages of 50 entries at random keyset
   positions through the real API while one writer posts an entry every 100 ms, first at
   the load people make (`--pause` seconds on a page on average, readers out of step), then
   saturated; then the same readers ask a bare Django view returning a body of the same
   size from memory (same middleware, session and person), on the same servers: as many
   processes as docs/operations.md recommends (two per CPU; `--processes`). Reported:
   p50/p95/p99 of each, the API's throughput as a ratio of the bare view's, and the CPU the
   servers and the load generator each spent.
2. Live fan-out: `--streams` event streams (500; the issue's goal is 5,000) opened across
   two server processes, each read on a bare socket; one entry posted; the time until each
   stream has it (p50/p99/max), repeated a few times; the servers' peak RSS with the
   streams open.
3. Readers that stop reading (`stalled`): `--stalled` streams that read nothing beside
   `--stalled-readers` that read, while large entries are written: how many stalled
   streams the servers dropped, whether the others got every entry and how soon, and the
   servers' memory before and after.

Servers are uvicorn processes on loopback ports `--first-port` (8211) and up (reads) and
+10, +11 (streams) running the application (with the bare view added, see
coordination_server.py). Peak RSS is each server's high-water mark. `--phases` runs some.

    .venv/bin/python bench/coordination.py --database-url postgres://…/kizuna_coordination_bench
    .venv/bin/python bench/coordination.py --entries 20000 --streams 100   # a quick run
    .venv/bin/python bench/coordination.py --entries 1000 --phases fan-out stalled --streams 5000
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager, suppress
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
from tqdm import tqdm

from harness import ROOT, Latencies, emit, setup_django

FIRST_READER_PORT = 8211  # and on, one port per process; the streams' two at +10 and +11
BODIES = 3  # the reader sits in the first two


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- data ----------------------------------------------------------------------------------


def seed(entries: int) -> dict[str, Any]:
    """A situation with `entries` log entries, a reader, a writer; returns what clients need."""
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client
    from django.utils import timezone

    from kizuna.coordination import selectors, services
    from kizuna.coordination.models import Body, Situation
    from kizuna.core import paging
    from kizuna.core.models import Nation, Organization, Person, Role
    from kizuna.core.services import membership_grant, token_issue
    from kizuna.sharing.marking import Marking
    from kizuna.sharing.models import Clearance
    from kizuna.sharing.services import clearance_grant, marking_set, resolve_marking

    call_command("migrate", verbosity=0)
    situation = Situation.objects.filter(title_en="bench").first()
    if situation is None or situation.last_seq < entries:
        log(f"seeding {entries:,} entries")
        if situation is not None:
            with connection.cursor() as cursor:  # a fresh start: the bench owns this database
                cursor.execute("TRUNCATE coordination_logentry, coordination_situation CASCADE")
        orgs = []
        for code, nation in (("bench-jp", "JPN"), ("bench-us", "USA"), ("bench-hidden", "JPN")):
            org, _ = Organization.objects.get_or_create(
                code=code,
                defaults={
                    "name_ja": code,
                    "name_en": code,
                    "kind": "other",
                    "nation": Nation.objects.get(code=nation),
                },
            )
            orgs.append(org)
        people = {}
        for username, org, level in (
            ("bench-writer", orgs[0], "jpn-j1"),
            ("bench-reader", orgs[1], "usa-u1"),
        ):
            person = Person.objects.filter(username=username).first() or Person.objects.create_user(
                username=username, password=None
            )
            membership_grant(actor=None, person=person, organization=org, role=Role.COORDINATOR)
            if not Clearance.objects.filter(person=person).exists():
                clearance_grant(actor=None, person=person, level=level)
            people[username] = person
        writer = people["bench-writer"]
        # Most entries are releasable to both nations; every tenth is Japan's alone, hidden
        # from the (American) reader, so the marking filter has rows to leave out.
        shared_row, national_row = (
            marking_set(resolve_marking(Marking("jpn-j1", nations), originator=orgs[0]))
            for nations in (("JPN", "USA"), ("JPN",))
        )
        shared, national = shared_row.pk, national_row.pk
        situation = services.situation_open(
            actor=writer,
            organization=orgs[0],
            title_ja="ベンチ",
            title_en="bench",
            kind="exercise",
            starts_at=timezone.now() - timedelta(days=30),
        )
        members = [[orgs[0], orgs[1]], [orgs[0], orgs[1]], [orgs[0], orgs[2]]]
        bodies = [
            services.body_stand_up(
                actor=writer,
                situation=situation,
                kind=Body.Kind.CCC,
                code=f"bench-{n}",
                name_ja=f"ベンチ{n}",
                name_en=f"bench {n}",
                organizations=members[n],
            )
            for n in range(BODIES)
        ]
        situation.refresh_from_db()  # the bodies' stand-up entries took numbers
        start = situation.last_seq
        with transaction.atomic():  # the six series (body x marking), none drawn from yet
            for body in bodies:
                for row in (shared_row, national_row):
                    services.entry_series(situation, body, row)
        with connection.cursor() as cursor:
            # Each entry numbered in its series, in turn, as services.draw_number would.
            cursor.execute(
                """
                WITH src AS (
                    SELECT n, (ARRAY[%s, %s, %s])[1 + n %% 3] AS body_id,
                        CASE WHEN n %% 10 = 0 THEN %s ELSE %s END AS marking_id
                    FROM generate_series(1, %s) AS n
                ), numbered AS (
                    SELECT src.*, row_number() OVER (
                        PARTITION BY body_id, marking_id ORDER BY n) AS k
                    FROM src
                )
                INSERT INTO coordination_logentry (public_id, situation_id, seq, rev, body_id,
                    kind, author_id, author_organization_id, author_position, recorded_at,
                    event_at, language, text, translation, significant, marking_id, series_id,
                    number, label)
                SELECT substr(translate(md5(random()::text || n), '0189', 'wxyz'), 1, 26),
                    %s, %s + n, %s + n, numbered.body_id, 'report', %s, %s,
                    'J-3', now() - (%s - n) * interval '1 second',
                    now() - (%s - n) * interval '1 second', 'ja',
                    '定時報告 ' || n || '：南阿蘇村方面の道路状況に変化なし。給水支援を継続中。',
                    CASE WHEN n %% 2 = 0 THEN 'Routine report ' || n || ': no change.' ELSE '' END,
                    false, numbered.marking_id, s.id, k, s.code || '-' || k
                FROM numbered JOIN coordination_entryseries s ON s.situation_id = %s
                    AND s.body_id = numbered.body_id AND s.marking_id = numbered.marking_id
                """,
                [
                    *(b.pk for b in bodies),
                    national,
                    shared,
                    entries,
                    situation.pk,
                    start,
                    start,
                    writer.pk,
                    orgs[0].pk,
                    entries,
                    entries,
                    situation.pk,
                ],
            )
            cursor.execute(
                """
                UPDATE coordination_entryseries s SET last_number = (
                    SELECT coalesce(max(number), 0) FROM coordination_logentry
                    WHERE series_id = s.id)
                WHERE situation_id = %s
                """,
                [situation.pk],
            )
            cursor.execute(
                "UPDATE coordination_situation SET last_seq = %s WHERE id = %s",
                [start + entries, situation.pk],
            )
            cursor.execute("ANALYZE coordination_logentry")
        situation.refresh_from_db()
    reader = Person.objects.get(username="bench-reader")
    writer = Person.objects.get(username="bench-writer")
    client = Client()
    client.force_login(reader)
    # Pages deep in the log, as the reader's own cursors (a log position leaves the server
    # only sealed for its reader), and the page just below the newest entry.
    scope = selectors.log_scope(situation.public_id)
    draw = random.Random(7)
    return {
        "situation": situation.public_id,
        "last_seq": situation.last_seq,
        "newest_cursor": paging.seal_position(situation.last_seq, reader=reader.pk, scope=scope),
        "page_cursors": [
            paging.seal_position(
                draw.randint(60, situation.last_seq), reader=reader.pk, scope=scope
            )
            for _ in range(500)
        ],
        "body": "bench-0",
        "reader_cookie": client.cookies["sessionid"].value,
        "writer_token": token_issue(person=writer, label="bench").secret,
    }


# --- servers -------------------------------------------------------------------------------


@contextmanager
def servers(ports: tuple[int, ...], database_url: str, bare_file: str):  # type: ignore[no-untyped-def]
    env = {
        **os.environ,
        "KIZUNA_DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "coordination_server",
        "PYTHONPATH": f"{ROOT / 'bench'}:{ROOT / 'src'}",
        "KIZUNA_BENCH_BARE_FILE": bare_file,
        "KIZUNA_LOG_LEVEL": "WARNING",
    }
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "kizuna.asgi:application",
                "--port",
                str(port),
                "--log-level",
                "warning",
                "--no-access-log",
                "--lifespan",
                "off",
            ],
            env=env,
        )
        for port in ports
    ]
    try:
        for port in ports:
            for _ in range(300):
                with suppress(httpx.HTTPError):
                    httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
                    break
                time.sleep(0.1)
            else:
                raise RuntimeError(f"the server on port {port} did not start")
        yield processes
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=20)


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


# --- phase 1: log reads ----------------------------------------------------------------------


async def _readers(
    urls: list[str],
    cookie: str,
    readers: int,
    seconds: float,
    page_cursors: list[str],
    writer: dict[str, Any] | None,
    pause: float = 0.0,
) -> tuple[Latencies, int, int, float]:
    latencies = Latencies()
    done = failures = 0
    think = random.Random(3)
    stop = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=readers + 4)
    async with httpx.AsyncClient(
        cookies={"sessionid": cookie}, limits=limits, timeout=30
    ) as client:

        async def reader(n: int) -> None:
            nonlocal done, failures
            if pause:
                # People neither arrive nor read in step: each reader starts at a random
                # moment of the first pause, and the time spent on a page is exponential
                # with mean `pause`. Fixed pauses from one start kept all readers in step,
                # 50 requests landing together each second: a herd no group of people makes.
                await asyncio.sleep(think.uniform(0, pause))
            while time.perf_counter() < stop:
                url = urls[(n + done) % len(urls)]
                if "{before}" in url:
                    url = url.format(before=random.choice(page_cursors))
                began = time.perf_counter()
                try:
                    response = await client.get(url)
                except httpx.TransportError:
                    # A kept-alive connection the server closed meanwhile: count it, go on.
                    failures += 1
                    continue
                latencies.samples_ms.append((time.perf_counter() - began) * 1000)
                response.raise_for_status()
                done += 1
                if pause:
                    await asyncio.sleep(think.expovariate(1 / pause))

        async def writing() -> None:
            assert writer is not None
            headers = {"Authorization": f"Bearer {writer['token']}"}
            n = 0
            while time.perf_counter() < stop:
                n += 1
                response = await client.post(
                    writer["url"],
                    json={"kind": "report", "text": f"bench write {n}", "language": "en"},
                    headers=headers,
                )
                response.raise_for_status()
                await asyncio.sleep(0.1)

        began = time.perf_counter()
        tasks = [reader(n) for n in range(readers)]
        if writer is not None:
            tasks.append(writing())
        await asyncio.gather(*tasks)
        elapsed = time.perf_counter() - began
    return latencies, done, failures, elapsed


def cpu_seconds(pids: list[int]) -> float:
    """CPU time (user + system) the processes have used so far, from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / tick


def measured_run(pids: list[int], *args: Any, **kwargs: Any) -> dict[str, Any]:
    """One load phase, with the CPU the servers and this load generator each spent."""
    server_before, client_before = cpu_seconds(pids), time.process_time()
    latencies, done, failed, seconds = asyncio.run(_readers(*args, **kwargs))
    server_cpu = cpu_seconds(pids) - server_before
    client_cpu = time.process_time() - client_before
    return {
        **latencies.summary(),
        "requests": done,
        "connection_errors": failed,
        "per_second": round(done / seconds, 1),
        "server_cpu_ms_per_request": round(server_cpu / max(done, 1) * 1000, 2),
        "server_cpu_share": round(server_cpu / seconds / (os.cpu_count() or 1), 2),
        "load_generator_cpu_share": round(client_cpu / seconds / (os.cpu_count() or 1), 2),
    }


def read_phase(
    args: argparse.Namespace,
    data: dict[str, Any],
    bare_file: Path,
    ports: tuple[int, ...],
    pids: list[int],
) -> dict[str, Any]:
    api = [
        f"http://127.0.0.1:{port}/api/coordination/situations/{data['situation']}/entries"
        "?limit=50&before={before}"
        for port in ports
    ]
    page = httpx.get(
        api[0].format(before=data["newest_cursor"]), cookies={"sessionid": data["reader_cookie"]}
    )
    page.raise_for_status()
    assert len(page.json()["entries"]) == 50
    bare_file.write_bytes(page.content)
    writer = {
        "url": f"http://127.0.0.1:{ports[0]}/api/coordination/bodies/{data['body']}/entries",
        "token": data["writer_token"],
    }
    # Latency is measured at the load people make: each reader reads a page, reads it for
    # `--pause` seconds, then reads the next. Throughput is measured at saturation (no pause),
    # for the log API and the bare view alike, where latency is only queueing.
    log(f"log reads: {args.readers} readers ({args.pause}s between pages) + 1 writer")
    cookie, last = data["reader_cookie"], data["page_cursors"]
    people = measured_run(pids, api, cookie, args.readers, args.seconds, last, writer, args.pause)
    log(f"saturation: {args.readers} readers without pause, log API then bare view")
    saturated = measured_run(pids, api, cookie, args.readers, args.seconds, last, writer)
    bare = [f"http://127.0.0.1:{port}/bench/bare" for port in ports]
    bare_saturated = measured_run(pids, bare, cookie, args.readers, args.seconds, last, writer)
    return {
        "processes": len(ports),
        "page_bytes": len(page.content),
        "readers_pause_s": args.pause,
        "api_at_people_load": people,
        "api_saturated": saturated,
        "bare_saturated": bare_saturated,
        "throughput_ratio": round(saturated["per_second"] / bare_saturated["per_second"], 3),
    }


# --- phase 2: live fan-out -------------------------------------------------------------------


class Stream:
    """One reader of a situation's event stream on a bare socket: an HTTP client per stream
    would cost the load generator more CPU than the servers spend, at 5,000 streams."""

    def __init__(self, port: int, path: str, cookie: str) -> None:
        self.port, self.path, self.cookie = port, path, cookie
        self.sock: socket.socket | None = None

    async def connect(self, receive_buffer: int | None = None) -> None:
        loop = asyncio.get_running_loop()
        sock = socket.socket()
        sock.setblocking(False)
        if receive_buffer:  # set before connecting, so the window stays small
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)
        await loop.sock_connect(sock, ("127.0.0.1", self.port))
        request = (
            f"GET {self.path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Cookie: sessionid={self.cookie}\r\nAccept: text/event-stream\r\n\r\n"
        )
        await loop.sock_sendall(sock, request.encode())
        self.sock = sock

    async def follow(self, on_line: Any) -> None:
        """Read lines until the server closes; `on_line(bytes)` for each."""
        assert self.sock is not None
        reader, _writer = await asyncio.open_connection(sock=self.sock, limit=2**20)
        status = await reader.readline()
        if b" 200 " not in status:
            raise ConnectionError(status.decode(errors="replace"))
        while line := await reader.readline():
            on_line(line)

    async def closed_by_server(self) -> bool:
        """For a reader that read nothing: drain what reached it; True at end of stream."""
        assert self.sock is not None
        loop = asyncio.get_running_loop()
        try:
            while True:
                chunk = await asyncio.wait_for(loop.sock_recv(self.sock, 1 << 20), 5)
                if not chunk:
                    return True
        except (TimeoutError, ConnectionError):
            return False


async def _open_streams(
    args: argparse.Namespace, data: dict[str, Any], count: int, on_line: Any
) -> tuple[list[asyncio.Task[None]], list[int]]:
    """Open `count` streams over both processes, at most `--open-at-once` at a time (browsers
    do not all connect in the same millisecond); returns their tasks once every one has its
    first line (it has then read what it missed and listens)."""
    path = f"/coordination/situations/{data['situation']}/events"
    opening = asyncio.Semaphore(args.open_at_once)
    ready = [0]

    async def one(n: int) -> None:
        stream = Stream(args.stream_ports[n % len(args.stream_ports)], path, data["reader_cookie"])
        held = True
        await opening.acquire()
        try:
            await stream.connect()

            def line(raw: bytes) -> None:
                nonlocal held
                if held and raw.startswith(b"retry:"):
                    held = False
                    ready[0] += 1
                    opening.release()
                on_line(raw)

            await stream.follow(line)
        finally:
            if held:
                opening.release()

    tasks = [asyncio.create_task(one(n)) for n in range(count)]
    with tqdm(total=count, desc="streams", file=sys.stderr) as bar:
        deadline = time.perf_counter() + max(120, count / 10)
        while ready[0] < count and time.perf_counter() < deadline:
            await asyncio.sleep(0.2)
            bar.update(ready[0] - bar.n)
            if all(t.done() for t in tasks):
                break
    return tasks, ready


async def _post(
    client: httpx.AsyncClient, args: argparse.Namespace, data: dict[str, Any], text: str
) -> None:
    response = await client.post(
        f"http://127.0.0.1:{args.stream_ports[0]}/api/coordination/bodies/{data['body']}/entries",
        json={"kind": "information", "text": text, "language": "en"},
        headers={"Authorization": f"Bearer {data['writer_token']}"},
    )
    response.raise_for_status()


async def _fan_out(
    args: argparse.Namespace, data: dict[str, Any], pids: list[int]
) -> dict[str, Any]:
    arrivals: dict[int, list[float]] = {}
    seen = asyncio.Event()

    def on_line(raw: bytes) -> None:
        if raw.startswith(b"data:") and b"fan-out probe " in raw:
            probe = raw.split(b"fan-out probe ", 1)[1].split(b'"', 1)[0]
            arrivals.setdefault(int(probe), []).append(time.perf_counter())
            seen.set()

    async with httpx.AsyncClient(timeout=60) as client:
        tasks, ready = await _open_streams(args, data, args.streams, on_line)
        rss_open = [peak_rss_mb(pid) for pid in pids]
        await asyncio.sleep(1)
        results = []
        for round_ in range(args.rounds):
            posted = time.perf_counter()
            await _post(client, args, data, f"fan-out probe {round_}")
            deadline = posted + 30
            while len(arrivals.get(round_, [])) < ready[0] and time.perf_counter() < deadline:
                seen.clear()
                with suppress(TimeoutError):
                    await asyncio.wait_for(seen.wait(), 1)
            delays = Latencies([(t - posted) * 1000 for t in arrivals.get(round_, [])])
            results.append(
                {
                    **delays.summary(),
                    "max_ms": round(max(delays.samples_ms), 1),
                    "received": len(delays.samples_ms),
                }
            )
            await asyncio.sleep(1)
        for task in tasks:
            task.cancel()  # the streams end; the servers see the clients go
        await asyncio.gather(*tasks, return_exceptions=True)
    return {
        "streams": args.streams,
        "streams_open": ready[0],
        "processes": len(args.stream_ports),
        "rounds": results,
        "server_peak_rss_mb_streams_open": rss_open,
    }


async def _stalled(
    args: argparse.Namespace, data: dict[str, Any], pids: list[int]
) -> dict[str, Any]:
    """Readers that stop reading: `--stalled` streams that take nothing after their request
    (a 4 KiB receive window), beside `--stalled-readers` that read, while `--stalled-entries`
    large entries are written, enough to fill a stalled stream's buffers and then the
    servers' bound. Reported: how many were dropped, when, the delivery delay of the readers
    that kept reading meanwhile, and the servers' memory along the way."""
    path = f"/coordination/situations/{data['situation']}/events"
    arrivals: dict[int, list[float]] = {}

    def on_line(raw: bytes) -> None:
        if raw.startswith(b"data:") and b"fan-out probe " in raw:
            probe = raw.split(b"fan-out probe ", 1)[1].split(b" ", 1)[0].split(b'"', 1)[0]
            arrivals.setdefault(int(probe), []).append(time.perf_counter())

    async with httpx.AsyncClient(timeout=60) as client:
        tasks, ready = await _open_streams(args, data, args.stalled_readers, on_line)
        stalled = [
            Stream(args.stream_ports[n % len(args.stream_ports)], path, data["reader_cookie"])
            for n in range(args.stalled)
        ]
        for stream in stalled:
            await stream.connect(receive_buffer=4096)
        await asyncio.sleep(2)
        rss_before = [peak_rss_mb(pid) for pid in pids]
        # 7,950 characters, about 24 KB a frame: a stalled stream's socket buffers (up to
        # 4 MB on Linux) and the server's 64 KiB fill after some 170 entries.
        filler = "重い報告。" * 1590
        posted: dict[int, float] = {}
        began = time.perf_counter()
        for n in range(args.stalled_entries):
            posted[n] = time.perf_counter()
            await _post(client, args, data, f"fan-out probe {n} {filler}")
            await asyncio.sleep(0.05)
        await asyncio.sleep(args.stalled_wait)
        written_s = time.perf_counter() - began
        rss_after = [peak_rss_mb(pid) for pid in pids]
        dropped = sum(await asyncio.gather(*(s.closed_by_server() for s in stalled)))
        delays = Latencies([(t - posted[n]) * 1000 for n, times in arrivals.items() for t in times])
        complete = sum(1 for n in posted if len(arrivals.get(n, [])) == ready[0])
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for stream in stalled:
            if stream.sock is not None:
                stream.sock.close()
    return {
        "stalled_streams": args.stalled,
        "stalled_dropped_by_server": dropped,
        "reading_streams": ready[0],
        "entries_written": len(posted),
        "entries_every_reader_got": complete,
        "seconds": round(written_s, 1),
        "reading_delay": {**delays.summary(), "max_ms": round(max(delays.samples_ms), 1)},
        "server_peak_rss_mb_before": rss_before,
        "server_peak_rss_mb_after": rss_after,
    }


# --- main ------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("KIZUNA_DATABASE_URL"))
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--readers", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument(
        "--pause", type=float, default=1.0, help="mean seconds on a page (exponential)"
    )
    parser.add_argument(
        "--processes",
        type=int,
        default=2 * (os.cpu_count() or 1),
        help="server processes for the log reads (default: two per CPU, as docs/operations.md "
        "recommends on PostgreSQL)",
    )
    parser.add_argument("--streams", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--open-at-once", type=int, default=20)
    parser.add_argument(
        "--phases",
        nargs="+",
        choices=("reads", "fan-out", "stalled"),
        default=["reads", "fan-out", "stalled"],
    )
    parser.add_argument("--stalled", type=int, default=20, help="streams that stop reading")
    parser.add_argument("--stalled-readers", type=int, default=200, help="streams that read")
    parser.add_argument("--stalled-entries", type=int, default=320)
    parser.add_argument(
        "--stalled-wait",
        type=float,
        default=15,
        help="seconds after the last entry (the servers' send bound is 10 s)",
    )
    parser.add_argument(
        "--first-port",
        type=int,
        default=FIRST_READER_PORT,
        help="first of the ports the servers listen on (reads from here on, streams at +10 "
        "and +11)",
    )
    args = parser.parse_args()
    args.stream_ports = (args.first_port + 10, args.first_port + 11)
    # Thousands of streams: as many sockets, here and in the servers, which inherit the limit.
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    if not args.database_url or not args.database_url.startswith("postgres"):
        parser.error("this benchmark runs on PostgreSQL: pass --database-url postgres://…")
    setup_django(args.database_url)
    from django.db import connection

    data = seed(args.entries)
    connection.close()
    figures: dict[str, Any] = {"engine": "postgresql", "entries": data["last_seq"]}
    goals: dict[str, bool] = {}
    with tempfile.TemporaryDirectory() as tmp:
        bare_file = Path(tmp) / "page.json"
        bare_file.write_bytes(b"{}")
        if "reads" in args.phases:
            ports = tuple(args.first_port + n for n in range(args.processes))
            with servers(ports, args.database_url, str(bare_file)) as processes:
                pids = [p.pid for p in processes]
                reads = figures["log_reads"] = read_phase(args, data, bare_file, ports, pids)
                reads["server_peak_rss_mb"] = [peak_rss_mb(p.pid) for p in processes]
                log(f"log reads: {json.dumps(reads)}")
            goals["log_p95_under_50ms"] = reads["api_at_people_load"]["p95_ms"] < 50
            goals["throughput_ratio_at_least_0_5"] = reads["throughput_ratio"] >= 0.5
        if "fan-out" in args.phases:
            with servers(args.stream_ports, args.database_url, str(bare_file)) as processes:
                pids = [p.pid for p in processes]
                fan_out = figures["fan_out"] = asyncio.run(_fan_out(args, data, pids))
                fan_out["server_peak_rss_mb"] = [peak_rss_mb(pid) for pid in pids]
                log(f"fan-out: {json.dumps(fan_out)}")
            goals["fan_out_p99_under_1s"] = max(r["p99_ms"] for r in fan_out["rounds"]) < 1000
            goals["fan_out_every_stream_received"] = all(
                r["received"] == fan_out["streams"] for r in fan_out["rounds"]
            )
        if "stalled" in args.phases:
            with servers(args.stream_ports, args.database_url, str(bare_file)) as processes:
                pids = [p.pid for p in processes]
                stalled = figures["stalled"] = asyncio.run(_stalled(args, data, pids))
            goals["stalled_readers_dropped"] = (
                stalled["stalled_dropped_by_server"] == stalled["stalled_streams"]
            )
            goals["readers_still_served"] = (
                stalled["entries_every_reader_got"] == stalled["entries_written"]
            )
    figures["goals"] = goals
    emit("coordination", figures)


if __name__ == "__main__":
    main()
