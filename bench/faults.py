"""Faults benchmark: nothing a client saw acknowledged is lost when processes die mid-load.

Writers drive the JSON API with an `Idempotency-Key` on every write (core.idempotency):
ACSA orders through their whole lifecycle (create, request, accept, deliver, sign the
receipt, settle, close), log entries, shared items and requests for support. Live readers
follow the situation's event stream. Meanwhile, at random moments drawn from `--seed`,
SIGKILL ends a web server or the task worker, or PostgreSQL itself stops at once
(`pg_ctl stop -m immediate`: no checkpoint, crash recovery at the next start); each is
started again after a short random pause. A client whose write failed (connection refused
or cut, a server error, a timeout) retries it with the same key, on the other server when
there are two, until it is answered. Readers whose stream broke reconnect with
Last-Event-ID.

Then it checks, on the database: every acknowledged write is there exactly once (and no
write twice, acknowledged or not), each order is at the step its last answer said with its
deliveries and settlements matching (none half-advanced), every order's ledger equals its
outstanding amount, `kizuna audit verify` passes, and every reader received every log
entry exactly once. One JSON line: faults injected, writes acknowledged, lost, duplicated.

PostgreSQL runs in a throwaway cluster of the bench's own (initdb in a temporary directory,
port 55501; as the `postgres` user when run by root), never a shared server. Two web
processes (ports 8501-8502) and the worker. `--engine sqlite`: one web process (SQLite's
single writer) and the worker on a file in a temporary directory; the server and the worker
are killed.

    .venv/bin/python bench/faults.py                       # PostgreSQL, 90 s, seed 11
    .venv/bin/python bench/faults.py --engine sqlite
    .venv/bin/python bench/faults.py --seconds 600 --seed 7  # longer
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import itertools
import os
import random
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx

from harness import ROOT, emit, peak_rss_mb, setup_django

PG_PORT = 55501
WEB_PORTS = (8501, 8502)
BODY = "faults-ccc"
ORDER_STEPS = ("create", "request", "accept", "deliver", "receipt", "settle", "close")


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- PostgreSQL of our own -------------------------------------------------------------------


class Cluster:
    """A throwaway PostgreSQL cluster: initdb, start, stop at once, start again."""

    def __init__(self, root: Path) -> None:
        self.data = root / "pgdata"
        self.logfile = root / "postgresql.log"
        self.bin = max(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
        self.as_user: list[str] = []
        if os.geteuid() == 0:  # initdb refuses root
            self.as_user = ["runuser", "-u", "postgres", "--"]
            shutil.chown(root, "postgres")

    def _run(self, *argv: str) -> None:
        subprocess.run([*self.as_user, *argv], check=True, capture_output=True)

    def init(self) -> None:
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust")

    def start(self) -> None:
        options = f"-p {PG_PORT} -k {self.data} -c listen_addresses=127.0.0.1 -c fsync=on"
        self._run(
            str(self.bin / "pg_ctl"),
            "start",
            "-w",
            "-D",
            str(self.data),
            "-l",
            str(self.logfile),
            "-o",
            options,
        )

    def crash(self) -> None:
        """Immediate shutdown: every backend gone at once, no checkpoint."""
        self._run(str(self.bin / "pg_ctl"), "stop", "-D", str(self.data), "-m", "immediate")

    def create_database(self, name: str) -> str:
        import psycopg

        url = f"postgres://postgres@127.0.0.1:{PG_PORT}"
        with psycopg.connect(f"{url}/postgres", autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        return f"{url}/{name}"


# --- the processes under test ----------------------------------------------------------------


@dataclass
class Process:
    name: str
    argv: list[str]
    env: dict[str, str]
    popen: subprocess.Popen[bytes] | None = None
    peak_rss_mb: float = 0.0
    restarts: int = 0
    # While a fault is being injected into it, the supervisor leaves it alone.
    held: bool = False

    def start(self) -> None:
        self.popen = subprocess.Popen(self.argv, env=self.env, start_new_session=True)

    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def sample(self) -> None:
        if self.alive():
            assert self.popen is not None
            try:
                status = Path(f"/proc/{self.popen.pid}/status").read_text()
            except OSError:
                return
            for line in status.splitlines():
                if line.startswith("VmHWM:"):
                    self.peak_rss_mb = max(self.peak_rss_mb, int(line.split()[1]) / 1024)

    def kill(self) -> None:
        if self.popen is not None:
            self.sample()
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, 9)  # the process and any it started
            self.popen.wait()


def processes(engine: str, env: dict[str, str]) -> list[Process]:
    ports = WEB_PORTS if engine == "postgresql" else WEB_PORTS[:1]
    web = [
        Process(
            f"web-{port}",
            [
                sys.executable,
                "-m",
                "uvicorn",
                "kizuna.asgi:application",
                "--port",
                str(port),
                "--lifespan",
                "off",
                "--log-level",
                "critical",
                "--no-access-log",
            ],
            env,
        )
        for port in ports
    ]
    worker = Process("worker", [sys.executable, "-m", "kizuna.cli", "worker", "--no-reload"], env)
    return [*web, worker]


# --- data ------------------------------------------------------------------------------------


def seed() -> dict[str, Any]:
    """Organizations, people with their tokens, a situation with one body; what clients need."""
    from django.core.management import call_command
    from django.db.models import Max
    from django.test import Client
    from django.utils import timezone

    from kizuna.coordination import services
    from kizuna.coordination.models import Body, LogEntry
    from kizuna.coordination.stream import cursor_for
    from kizuna.core.models import Nation, Organization, Person, Role
    from kizuna.core.services import membership_grant, token_issue
    from kizuna.sharing.services import clearance_grant

    call_command("migrate", verbosity=0)
    orgs = {
        code: Organization.objects.get_or_create(
            code=code,
            defaults={
                "name_ja": code,
                "name_en": code,
                "kind": "other",
                "nation": Nation.objects.get(code=nation),
            },
        )[0]
        for code, nation in (
            ("asdf-6aw", "JPN"),
            ("usfj", "USA"),
            ("western-army", "JPN"),
            ("iii-mef", "USA"),
        )
    }
    people: dict[str, Person] = {}
    for name, org, role, level in (
        ("us-ordering", "usfj", Role.ORDERING_OFFICIAL, "usa-u1"),
        ("us-approving", "usfj", Role.APPROVING_OFFICIAL, "usa-u1"),
        ("us-logistics", "usfj", Role.LOGISTICS_OFFICER, "usa-u1"),
        ("jp-approving", "asdf-6aw", Role.APPROVING_OFFICIAL, "jpn-j1"),
        ("jp-logistics", "asdf-6aw", Role.LOGISTICS_OFFICER, "jpn-j1"),
        ("wa-coordinator", "western-army", Role.COORDINATOR, "jpn-j1"),
        ("mef-reader", "iii-mef", Role.COORDINATOR, "usa-u1"),
    ):
        person = Person.objects.create_user(username=name, password=None)
        membership_grant(actor=None, person=person, organization=orgs[org], role=role)
        clearance_grant(actor=None, person=person, level=level)
        people[name] = person
    writer = people["wa-coordinator"]
    situation = services.situation_open(
        actor=writer,
        organization=orgs["western-army"],
        title_ja="障害試験",
        title_en="faults",
        kind="exercise",
        starts_at=timezone.now() - timedelta(days=1),
    )
    services.body_stand_up(
        actor=writer,
        situation=situation,
        kind=Body.Kind.CCC,
        code=BODY,
        name_ja="障害試験",
        name_en="faults",
        organizations=[orgs["western-army"], orgs["iii-mef"]],
    )
    situation.refresh_from_db()
    reader = Client()
    reader.force_login(people["mef-reader"])
    start_rev = LogEntry.objects.filter(situation=situation).aggregate(m=Max("rev"))["m"]
    return {
        "situation": situation.public_id,
        "situation_pk": situation.pk,
        "reader_pk": people["mef-reader"].pk,
        "start_rev": start_rev,
        # The stream's event ids are revisions sealed for their reader (coordination.stream).
        "start_cursor": cursor_for(people["mef-reader"], situation.public_id, start_rev),
        "reader_cookie": reader.cookies["sessionid"].value,
        "tokens": {name: token_issue(person=p, label="f").secret for name, p in people.items()},
    }


# --- clients ---------------------------------------------------------------------------------


class Refused(Exception):
    pass


@dataclass
class Tally:
    acknowledged: list[tuple[str, str]] = field(default_factory=list)  # (kind, key)
    attempts: int = 0
    retries: int = 0
    replayed: int = 0
    answers_dropped: int = 0
    writes: int = 0  # acknowledged HTTP writes (an order's lifecycle is seven)
    refused: list[str] = field(default_factory=list)
    orders: dict[str, str] = field(default_factory=dict)  # key -> last acknowledged step


class Api:
    def __init__(
        self,
        client: httpx.AsyncClient,
        bases: list[str],
        tokens: dict[str, str],
        drop: float,
        rng: random.Random,
    ) -> None:
        self.client, self.bases, self.tokens = client, bases, tokens
        self.drop, self.rng = drop, rng
        self.turn = itertools.count()
        self.tally = Tally()

    async def write(self, who: str, path: str, body: dict[str, Any], key: str) -> dict[str, Any]:
        """POST until answered: a failure is retried with the same key, on the next server."""
        headers = {"Authorization": f"Bearer {self.tokens[who]}", "Idempotency-Key": key}
        while True:
            base = self.bases[next(self.turn) % len(self.bases)]
            self.tally.attempts += 1
            try:
                response = await self.client.post(f"{base}{path}", json=body, headers=headers)
            except httpx.HTTPError:
                response = None
            if response is not None and response.status_code < 300:
                if self.rng.random() < self.drop:
                    # The answer lost on its way back, after the server committed (a cut
                    # connection, a client that died): only the stored key can save the retry.
                    self.tally.answers_dropped += 1
                    continue
                if response.headers.get("Idempotent-Replayed"):
                    self.tally.replayed += 1
                self.tally.writes += 1
                return response.json()  # type: ignore[no-any-return]
            if response is not None and 400 <= response.status_code < 500:
                raise Refused(f"{path} {response.status_code} {response.text[:300]}")
            self.tally.retries += 1
            await asyncio.sleep(0.3)


async def order_lifecycle(api: Api, key: str, today: str) -> None:
    order = await api.write(
        "us-ordering",
        "/api/acsa/orders",
        {
            "supplying_org": "asdf-6aw",
            "receiving_org": "usfj",
            "situation": "warning-and-surveillance",
            "legal_basis": f"faults {key}",
            "currency": "JPY",
            "settlement_method": "currency",
            "lines": [
                {
                    "category": "food",
                    "description": "戦闘糧食 / field rations",
                    "quantity": "500",
                    "unit": "食",
                    "unit_price": "800",
                    "delivery_place": "Misawa",
                    "delivery_date": today,
                }
            ],
        },
        f"{key}-create",
    )
    api.tally.orders[key] = "create"
    pk, line = order["id"], order["lines"][0]["id"]
    orders = f"/api/acsa/orders/{pk}"
    await api.write("us-ordering", f"{orders}/request", {"version": 1}, f"{key}-request")
    api.tally.orders[key] = "request"
    await api.write("jp-approving", f"{orders}/accept", {"version": 2}, f"{key}-accept")
    api.tally.orders[key] = "accept"
    document = {"name": "slip.pdf", "content_base64": base64.b64encode(key.encode()).decode()}
    shipped = {"line": line, "quantity": "500", "delivered_on": today, "documents": [document]}
    delivery = await api.write(
        "jp-logistics", f"{orders}/deliveries", {"version": 3, **shipped}, f"{key}-deliver"
    )
    api.tally.orders[key] = "deliver"
    receipt = f"{orders}/deliveries/{delivery['id']}/receipt"
    await api.write("us-logistics", receipt, {"version": 4}, f"{key}-receipt")
    api.tally.orders[key] = "receipt"
    payment = {
        "version": 5,
        "delivery": delivery["id"],
        "method": "currency",
        "amount": "400000",
        "currency": "JPY",
        "settled_on": today,
    }
    await api.write("us-approving", f"{orders}/settlements", payment, f"{key}-settle")
    api.tally.orders[key] = "settle"
    await api.write("jp-approving", f"{orders}/close", {"version": 6}, f"{key}-close")
    api.tally.orders[key] = "close"


async def one_write(api: Api, kind: str, key: str, today: str) -> None:
    if kind == "order":
        await order_lifecycle(api, key, today)
    elif kind == "entry":
        body = {"kind": "report", "text": f"faults {key}", "language": "en"}
        await api.write("wa-coordinator", f"/api/coordination/bodies/{BODY}/entries", body, key)
    elif kind == "request":
        body = {
            "requesting_organization": "western-army",
            "supporting_organization": "iii-mef",
            "summary": f"faults {key}",
            "language": "en",
            "place_name": "Kumamoto",
            "needed_by": "2030-01-01T00:00:00Z",
            "lines": [{"category": "petroleum", "quantity": "500", "unit": "litres"}],
        }
        await api.write("wa-coordinator", f"/api/coordination/bodies/{BODY}/requests", body, key)
    else:
        body = {
            "kind": "report",
            "domain": "disaster",
            "originator": "western-army",
            "original_language": "en",
            "title": f"faults {key}",
            "marking": {"level": "jpn-j1", "releasable_to": ["JPN", "USA"]},
        }
        await api.write("wa-coordinator", "/api/sharing/items", body, key)
    api.tally.acknowledged.append((kind, key))


async def writer(api: Api, lane: int, until: float, today: str) -> None:
    kinds = ("order", "entry", "item", "request")
    for n in itertools.count():
        if time.monotonic() >= until:
            return
        kind = kinds[(lane + n) % len(kinds)]
        key = f"w{lane}-{n}-{kind}"
        try:
            await one_write(api, kind, key, today)
        except Refused as refused:
            api.tally.refused.append(str(refused))
        await asyncio.sleep(0.05)


@dataclass
class Reader:
    url: str
    cookie: str
    cursor: str
    # The revision an event id seals (the bench holds the servers' key; a reader cannot).
    unseal: Callable[[str], int]
    last: int = 0
    received: list[int] = field(default_factory=list)
    reconnects: int = 0

    async def follow(self, client: httpx.AsyncClient, done: asyncio.Event) -> None:
        while not done.is_set():
            headers = {"Last-Event-ID": self.cursor}
            try:
                async with client.stream(
                    "GET", self.url, headers=headers, cookies={"sessionid": self.cookie}
                ) as response:
                    if response.status_code == 200:
                        async for line in response.aiter_lines():
                            if line.startswith("id: "):
                                self.cursor = line[4:]
                                self.last = self.unseal(self.cursor)
                                self.received.append(self.last)
            except (httpx.HTTPError, ValueError):
                pass
            self.reconnects += 1
            await asyncio.sleep(0.5)


# --- faults ----------------------------------------------------------------------------------


async def inject(
    rng: random.Random,
    targets: list[str],
    procs: dict[str, Process],
    cluster: Cluster | None,
    until: float,
    injected: Counter[str],
) -> None:
    while time.monotonic() < until:
        await asyncio.sleep(rng.uniform(1.0, 4.0))
        target = rng.choice(targets)
        pause = rng.uniform(0.1, 1.5)
        injected[target] += 1
        log(f"fault {sum(injected.values())}: {target}")
        if target == "postgresql":
            assert cluster is not None
            await asyncio.to_thread(cluster.crash)
            await asyncio.sleep(pause)
            await asyncio.to_thread(cluster.start)
        else:
            procs[target].held = True
            procs[target].kill()
            await asyncio.sleep(pause)
            procs[target].start()
            procs[target].held = False


async def supervise(procs: dict[str, Process], done: asyncio.Event) -> None:
    """What a service manager does: start again whatever died by itself; sample memory."""
    while not done.is_set():
        for proc in procs.values():
            proc.sample()
            if not proc.held and proc.popen is not None and proc.popen.poll() is not None:
                proc.restarts += 1
                proc.start()
        await asyncio.sleep(0.5)


async def wait_up(bases: list[str]) -> None:
    for base in bases:
        for _ in range(600):
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.2)
        else:
            raise RuntimeError(f"{base} did not come up")


async def run(
    args: argparse.Namespace,
    data: dict[str, Any],
    procs: dict[str, Process],
    cluster: Cluster | None,
) -> dict[str, Any]:
    from django.utils import timezone

    from kizuna.coordination.stream import CURSOR
    from kizuna.core import cursors

    bases = [
        f"http://127.0.0.1:{p.argv[p.argv.index('--port') + 1]}"
        for p in procs.values()
        if p.name.startswith("web")
    ]
    rng = random.Random(args.seed)
    targets = [*procs] + (["postgresql"] if cluster else [])
    injected: Counter[str] = Counter()
    done = asyncio.Event()
    today = timezone.localdate().isoformat()
    limits = httpx.Limits(max_connections=args.writers + args.readers + 8)
    timeout = httpx.Timeout(30, read=None)
    async with httpx.AsyncClient(limits=limits, timeout=timeout) as client:
        await wait_up(bases)
        api = Api(client, bases, data["tokens"], args.drop_answers, random.Random(args.seed + 1))
        events = "/coordination/situations/{}/events".format(data["situation"])

        def unseal(event_id: str) -> int:
            return cursors.unseal(
                CURSOR, event_id, reader=data["reader_pk"], scope=data["situation"]
            )

        readers = [
            Reader(
                f"{bases[n % len(bases)]}{events}",
                data["reader_cookie"],
                data["start_cursor"],
                unseal,
                data["start_rev"],
            )
            for n in range(args.readers)
        ]
        following = [asyncio.create_task(r.follow(client, done)) for r in readers]
        watching = asyncio.create_task(supervise(procs, done))
        until = time.monotonic() + args.seconds
        started = time.monotonic()
        await asyncio.gather(
            inject(rng, targets, procs, cluster, until, injected),
            *(writer(api, lane, until, today) for lane in range(args.writers)),
        )
        log(f"faults over after {time.monotonic() - started:.0f} s; writers done")
        await wait_up(bases)
        # One last entry, written with every process up: each reader must catch up to it.
        final = await api.write(
            "wa-coordinator",
            f"/api/coordination/bodies/{BODY}/entries",
            {"kind": "report", "text": "faults final", "language": "en"},
            "final",
        )
        api.tally.acknowledged.append(("entry", "final"))
        final_rev = await asyncio.to_thread(_rev_of, final["id"])
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and any(r.last < final_rev for r in readers):
            await asyncio.sleep(0.2)
        done.set()
        for task in [*following, watching]:
            task.cancel()
        await asyncio.gather(*following, watching, return_exceptions=True)
    return {"api": api, "readers": readers, "injected": injected}


def _rev_of(public_id: str) -> int:
    """The revision an entry took (the API names entries by public id, never by revision)."""
    from django.db import connection

    from kizuna.coordination.models import LogEntry

    try:
        return LogEntry.objects.get(public_id=public_id).rev
    finally:
        connection.close()


# --- checks ----------------------------------------------------------------------------------


def check(outcome: dict[str, Any], data: dict[str, Any], env: dict[str, str]) -> dict[str, Any]:
    from django.db import connection
    from django.db.models import Count, Q, Sum

    from kizuna.acsa.models import Delivery, LedgerEntry, Order, Settlement
    from kizuna.coordination.models import LogEntry, SupportRequest
    from kizuna.sharing.models import SharedItem

    # The cluster restarted under the connections this process holds: let them all go.
    connection.close()
    if connection.vendor == "postgresql":
        connection.close_pool()
    api: Api = outcome["api"]
    tally = api.tally

    def counted(kind: str, key: str) -> int:
        text = f"faults {key}"
        if kind == "order":
            return Order.objects.filter(legal_basis=text).count()
        if kind == "entry":
            return LogEntry.objects.filter(text=text).count()
        if kind == "request":
            return SupportRequest.objects.filter(summary=text).count()
        return SharedItem.objects.filter(Q(title_en=text) | Q(title_ja=text)).count()

    acknowledged = [(kind, key) for kind, key in tally.acknowledged if key != "final"]
    lost = [key for kind, key in acknowledged if counted(kind, key) == 0]
    # Every write made, acknowledged or not, is in the database at most once.
    duplicated = [
        text
        for model, column in (
            (Order, "legal_basis"),
            (LogEntry, "text"),
            (SupportRequest, "summary"),
            (SharedItem, "title_en"),
        )
        for text in model.objects.filter(**{f"{column}__startswith": "faults "})  # type: ignore[attr-defined]
        .values_list(column, flat=True)
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    ]
    # Each order stands where its last answer left it, with exactly the parts that step makes.
    status_after = {
        "create": Order.Status.DRAFT,
        "request": Order.Status.REQUESTED,
        "accept": Order.Status.ACCEPTED,
        "deliver": Order.Status.DELIVERED,
        "receipt": Order.Status.RECEIVED,
        "settle": Order.Status.SETTLED,
        "close": Order.Status.CLOSED,
    }
    half_advanced = []
    unbalanced = []
    for key, step in tally.orders.items():
        order = Order.objects.filter(legal_basis=f"faults {key}").first()
        if order is None:
            continue  # counted as lost above
        reached = ORDER_STEPS.index(step)
        deliveries = Delivery.objects.filter(line__order=order).count()
        settlements = Settlement.objects.filter(delivery__line__order=order).count()
        if (
            order.status != status_after[step]
            or deliveries != (reached >= ORDER_STEPS.index("deliver"))
            or settlements != (reached >= ORDER_STEPS.index("settle"))
        ):
            half_advanced.append(
                f"{key}: {order.status}, {deliveries} deliveries, {settlements} settlements, "
                f"answered {step}"
            )
    for order in Order.objects.all():
        booked = LedgerEntry.objects.filter(order=order).aggregate(s=Sum("amount"))["s"] or 0
        if booked != order.outstanding:
            unbalanced.append(order.pk)
    audit = subprocess.run(
        [sys.executable, "-m", "kizuna.cli", "audit", "verify"],
        env=env,
        capture_output=True,
        text=True,
    )
    situation_revs = set(
        LogEntry.objects.filter(
            situation_id=data["situation_pk"], rev__gt=data["start_rev"]
        ).values_list("rev", flat=True)
    )
    streams = []
    for reader in outcome["readers"]:
        got = Counter(reader.received)
        streams.append(
            {
                "received": len(reader.received),
                "lost": len(situation_revs - set(got)),
                "repeated": sum(n - 1 for n in got.values()),
                "reconnects": reader.reconnects,
            }
        )
    return {
        "lost": len(lost),
        "duplicated": len(duplicated),
        "lost_keys": lost[:10],
        "duplicated_texts": duplicated[:10],
        "orders": len(tally.orders),
        "orders_closed": sum(1 for s in tally.orders.values() if s == "close"),
        "half_advanced": half_advanced[:10],
        "ledgers_unbalanced": unbalanced[:10],
        "audit_verify_exit": audit.returncode,
        "audit_verify": (audit.stdout or audit.stderr).strip().splitlines()[-1:],
        "streams": streams,
        "stream_entries_expected": len(situation_revs),
        "stream_entries_lost": sum(s["lost"] for s in streams),
        "stream_entries_repeated": sum(s["repeated"] for s in streams),
    }


# --- main ------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engine", choices=("postgresql", "sqlite"), default="postgresql")
    parser.add_argument("--seconds", type=float, default=90, help="how long faults go on")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--readers", type=int, default=4)
    parser.add_argument(
        "--drop-answers",
        type=float,
        default=0.1,
        help="share of successful answers the client throws away and retries (as if the "
        "connection broke after the commit)",
    )
    args = parser.parse_args()

    root = Path(tempfile.mkdtemp(prefix="kizuna-faults-"))
    cluster = None
    try:
        if args.engine == "postgresql":
            cluster = Cluster(root)
            cluster.init()
            cluster.start()
            url = cluster.create_database("kizuna_relload_faults")
        else:
            url = f"sqlite:///{root / 'kizuna.sqlite3'}"
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("KIZUNA_")},
            "KIZUNA_DATABASE_URL": url,
            "KIZUNA_DATA_DIR": str(root),
            "PYTHONPATH": str(ROOT / "src"),
            "DJANGO_SETTINGS_MODULE": "kizuna.settings",
            "LANG": "en_US.UTF-8",
            "KIZUNA_SECRET_KEY": secrets.token_urlsafe(40),
        }
        # The same settings here as in the servers: the reader's session must be theirs.
        os.environ.update({k: v for k, v in env.items() if k.startswith("KIZUNA_")})
        setup_django(url)
        from django.db import connection

        log(f"seeding ({args.engine})")
        data = seed()
        connection.close()
        procs = {p.name: p for p in processes(args.engine, env)}
        for proc in procs.values():
            proc.start()
        try:
            began = time.monotonic()
            outcome = asyncio.run(run(args, data, procs, cluster))
            seconds = time.monotonic() - began
        finally:
            for proc in procs.values():
                proc.kill()
        figures = check(outcome, data, env)
        api: Api = outcome["api"]
        injected: Counter[str] = outcome["injected"]
        emit(
            "faults",
            {
                "engine": args.engine,
                "seed": args.seed,
                "seconds": round(seconds, 1),
                "faults_injected": sum(injected.values()),
                "faults": dict(injected),
                "writes_acknowledged": api.tally.writes,
                "records_acknowledged": len(api.tally.acknowledged),
                "http_attempts": api.tally.attempts,
                "retries": api.tally.retries,
                "answers_dropped_by_client": api.tally.answers_dropped,
                "answered_from_stored_key": api.tally.replayed,
                "refused": len(api.tally.refused),
                "refused_samples": api.tally.refused[:3],
                **figures,
                "restarted_by_supervisor": {p.name: p.restarts for p in procs.values()},
                "peak_rss_mb": {p.name: round(p.peak_rss_mb, 1) for p in procs.values()}
                | {"bench": round(peak_rss_mb(), 1)},
            },
        )
    finally:
        if cluster is not None:
            with contextlib.suppress(subprocess.CalledProcessError):
                cluster.crash()
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
