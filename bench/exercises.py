"""Exercises benchmark: an exercise's scenario delivered live by the real task worker.

`--injects` (5,000) scheduled injects spread evenly over `--hours` (72) scenario hours, the
exercise clock started at the scenario's first instant at `--speed` (720) times real time
(so 72 hours run in six real minutes), `kizuna worker` started as its own process, as
`kizuna serve` starts it, and a web server (uvicorn, port `--port`, 8700) beside it, where
`--players` (50) players of the target cell read the log's newest page through the API,
each every `--pause` seconds on average. The bench waits until every inject is out, then
reports the lateness of delivery against each inject's due real instant (p50, p99, max),
how many went out late (past the grace, models.LATE_GRACE), whether any went out twice or
out of order, the worker's and the server's peak RSS (VmHWM), and the players' reads (count,
p50/p99, errors). The injects are written straight into the table, approved and scheduled,
so the run measures delivery, not the writing of the scenario.

    python bench/exercises.py [--database-url URL] [--injects 5000] [--speed 720] [--hours 72]
    python bench/exercises.py --injects 500 --speed 7200    # a one-minute run

The database is emptied first (a SQLite file under /tmp, or the PostgreSQL database named,
dropped and created again), so only use a database kept for benchmarks.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import subprocess
import sys
import threading
import time
from contextlib import suppress
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.acsa import fresh_database
from bench.harness import ROOT, Latencies, emit, setup_django

SCENARIO_START = datetime(2026, 11, 1, 0, 0, tzinfo=UTC)  # spans Washington's fall back


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def seed(injects: int, hours: float, players: int) -> dict[str, Any]:
    """The demo's organizations and levels; a controller of the control cell; an exercise
    run on a situation with one bilateral body; `injects` scheduled injects; `players`
    players of the body (both nations) with API tokens."""
    from kizuna.coordination import services as coordination
    from kizuna.coordination.models import Body, Situation
    from kizuna.core import demo as core_demo
    from kizuna.core.models import Membership, Organization, Person, Role
    from kizuna.core.services import token_issue
    from kizuna.exercises import services
    from kizuna.exercises.models import CONTROL_COMMUNITY, Exercise, Inject
    from kizuna.exercises.services.scenario import _control_marking
    from kizuna.sharing.models import Community
    from kizuna.sharing.services import clearance_grant

    for _label, load in core_demo.steps():
        load()
    Community.objects.get_or_create(
        code=CONTROL_COMMUNITY, defaults={"name_ja": "統裁部", "name_en": "Control cell"}
    )
    army = Organization.objects.get(code="gsdf-western-army")
    corps = Organization.objects.get(code="us-army-i-corps")
    joint_staff = Organization.objects.get(code="joint-staff")
    controller = Person.objects.create_user(username="bench-controller", language="ja")
    Membership.objects.create(person=controller, organization=army, role=Role.EXERCISE_CONTROLLER)
    clearance_grant(actor=None, person=controller, level="jpn-j1", communities=[CONTROL_COMMUNITY])
    coordinator = Person.objects.create_user(username="bench-coordinator", language="ja")
    Membership.objects.create(person=coordinator, organization=joint_staff, role=Role.COORDINATOR)
    clearance_grant(actor=None, person=coordinator, level="jpn-j1")
    situation = coordination.situation_open(
        actor=coordinator,
        organization=joint_staff,
        title_ja="ベンチ演習",
        title_en="Bench exercise",
        kind=Situation.Kind.EXERCISE,
        starts_at=SCENARIO_START,
    )
    body = coordination.body_stand_up(
        actor=coordinator,
        situation=situation,
        kind=Body.Kind.BILATERAL_CENTRE,
        code="bench-cell",
        name_ja="共同調整所",
        name_en="Bilateral coordination cell",
        organizations=[army, corps],
    )
    exercise = services.exercise_record(
        actor=None,
        organization=joint_staff,
        name_ja="ベンチ演習",
        name_en="Bench exercise",
        kind=Exercise.Kind.COMMAND_POST,
        precision=Exercise.Precision.DAY,
        starts_on=date(2026, 10, 31),
        ends_on=(SCENARIO_START + timedelta(hours=hours)).date(),
        source="bench",
    )
    services.situation_link(actor=None, exercise=exercise, situation=situation)
    step = timedelta(hours=hours) / injects
    marking = _control_marking(exercise)
    Inject.objects.bulk_create(
        (
            Inject(
                exercise=exercise,
                number=n + 1,
                scheduled_at=SCENARIO_START + step * (n + 1),
                target_body=body,
                method=Inject.Method.LOG,
                text_ja=f"状況付与 {n + 1}",
                text_en=f"Inject {n + 1}",
                expected_action_ja="報告",
                expected_action_en="Report",
                status=Inject.Status.SCHEDULED,
                approved_by=controller,
                marking=marking,
            )
            for n in range(injects)
        ),
        batch_size=1000,
    )
    tokens = []
    for n in range(players):
        nation, organization = ("JPN", army) if n % 2 == 0 else ("USA", corps)
        player = Person.objects.create_user(username=f"bench-player-{n}", language="ja")
        Membership.objects.create(
            person=player, organization=organization, role=Role.INFORMATION_MANAGER
        )
        clearance_grant(actor=None, person=player, level="jpn-j1" if nation == "JPN" else "usa-u1")
        tokens.append(token_issue(person=player, label="bench").secret)
    return {
        "controller": controller,
        "exercise": exercise,
        "situation": situation.public_id,
        "tokens": tokens,
    }


class Players(threading.Thread):
    """The players reading the log's newest page, each at their own pace, until stopped."""

    def __init__(self, url: str, tokens: list[str], pause: float) -> None:
        super().__init__(daemon=True)
        self.url, self.tokens, self.pause = url, tokens, pause
        self.reads = Latencies()
        self.errors = 0
        self.stopping = threading.Event()

    async def _player(self, client: Any, token: str) -> None:
        headers = {"Authorization": f"Bearer {token}"}
        await asyncio.sleep(random.uniform(0, self.pause))
        while not self.stopping.is_set():
            started = time.perf_counter()
            try:
                answer = await client.get(self.url, headers=headers)
                ok = answer.status_code == 200
            except Exception:
                ok = False
            self.reads.samples_ms.append((time.perf_counter() - started) * 1000)
            self.errors += not ok
            await asyncio.sleep(random.uniform(0, 2 * self.pause))

    async def _all(self) -> None:
        import httpx

        async with httpx.AsyncClient(timeout=30) as client:
            await asyncio.gather(*(self._player(client, t) for t in self.tokens))

    def run(self) -> None:
        asyncio.run(self._all())


def server(port: int, database_url: str) -> subprocess.Popen[bytes]:
    import httpx

    process = subprocess.Popen(
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
        env={
            **os.environ,
            "PYTHONPATH": str(ROOT / "src"),
            "KIZUNA_DATABASE_URL": database_url,
            "KIZUNA_LOG_LEVEL": "WARNING",
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(300):
        with suppress(httpx.HTTPError):
            httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return process
        time.sleep(0.1)
    process.terminate()
    raise RuntimeError(f"the server on port {port} did not start")


def vm_hwm_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def run(
    cast: dict[str, Any],
    injects: int,
    speed: float,
    database_url: str,
    port: int,
    pause: float,
) -> dict[str, Any]:
    from kizuna.exercises import services
    from kizuna.exercises.models import Inject

    web = server(port, database_url)
    players = Players(
        f"http://127.0.0.1:{port}/api/coordination/situations/{cast['situation']}/entries?limit=50",
        cast["tokens"],
        pause,
    )
    players.start()

    worker = subprocess.Popen(
        [sys.executable, "-c", "from kizuna.cli import main; main()", "worker"],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src"), "KIZUNA_DATABASE_URL": database_url},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    peak = web_peak = 0.0
    try:
        time.sleep(3)  # the worker starts up before the clock does
        services.clock_start(
            actor=cast["controller"],
            exercise=cast["exercise"],
            scenario_at=SCENARIO_START,
            speed=speed,
        )
        started = time.perf_counter()
        pending = Inject.objects.filter(status=Inject.Status.SCHEDULED)
        last = pending.order_by("-scheduled_at").values_list("scheduled_at", flat=True).first()
        deadline = (last - SCENARIO_START).total_seconds() / speed + 60 if last else 60
        while pending.exists() and time.perf_counter() - started < deadline:
            peak = max(peak, vm_hwm_mb(worker.pid))
            web_peak = max(web_peak, vm_hwm_mb(web.pid))
            if worker.poll() is not None:
                raise SystemExit(f"the worker stopped (exit {worker.returncode})")
            time.sleep(1)
            log(f"{injects - pending.count()} of {injects} out")
        peak = max(peak, vm_hwm_mb(worker.pid))
        web_peak = max(web_peak, vm_hwm_mb(web.pid))
    finally:
        players.stopping.set()
        players.join(timeout=60)
        for process in (worker, web):
            process.terminate()
            process.wait(timeout=30)
    rows = list(
        Inject.objects.exclude(delivered_at=None)
        .order_by("entry__seq")
        .values_list("number", "due_at", "delivered_at", "late")
    )
    lateness = Latencies(
        [max(0.0, (out - due).total_seconds() * 1000) for _n, due, out, _late in rows]
    )
    numbers = [n for n, *_rest in rows]
    return {
        "injects": injects,
        "speed": speed,
        "delivered": len(rows),
        "in_order": numbers == sorted(numbers),
        "delivered_twice": len(numbers) - len(set(numbers)),
        "late": sum(1 for *_rest, late in rows if late),
        "lateness_p50_ms": lateness.percentile(50),
        "lateness_p99_ms": lateness.percentile(99),
        "lateness_max_ms": lateness.percentile(100),
        "worker_peak_rss_mb": round(peak, 1),
        "server_peak_rss_mb": round(web_peak, 1),
        "players": len(cast["tokens"]),
        "player_reads": len(players.reads.samples_ms),
        "player_read_p50_ms": players.reads.percentile(50),
        "player_read_p99_ms": players.reads.percentile(99),
        "player_read_errors": players.errors,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("KIZUNA_BENCH_DATABASE_URL"))
    parser.add_argument("--injects", type=int, default=5000)
    parser.add_argument("--speed", type=float, default=720)
    parser.add_argument("--hours", type=float, default=72)
    parser.add_argument("--players", type=int, default=50)
    parser.add_argument("--pause", type=float, default=1.0, help="seconds between reads")
    parser.add_argument("--port", type=int, default=8700)
    args = parser.parse_args()
    url = fresh_database(args.database_url)
    vendor = setup_django(url)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    log("seeding")
    cast = seed(args.injects, args.hours, args.players)
    started = time.perf_counter()
    figures = {
        "engine": vendor,
        **run(cast, args.injects, args.speed, url, args.port, args.pause),
    }
    figures["wall_s"] = round(time.perf_counter() - started, 1)
    emit("exercises", figures)


if __name__ == "__main__":
    main()
