"""ACSA benchmark: eligibility checks per second in process; the full order lifecycle through
the services as a ratio to plain ORM bulk inserts of the same rows (two baselines: every
order's rows in one set of multi-row INSERTs, and each order's rows written step by step, one
transaction per lifecycle step), with the queries each step runs; the outstanding-balance
report over many delivery lines as a ratio to one hand-written SQL aggregate, and its time.

    python bench/acsa.py [--database-url URL] [--orders 200] [--lines 1000000] [--checks 500000]

The database is emptied first (a SQLite file under /tmp, or the PostgreSQL database named,
dropped and created again), so only use a database kept for benchmarks.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import emit, measured, setup_django

SQLITE_FILE = Path("/tmp/kizuna-acsa-bench.sqlite3")


def fresh_database(url: str | None) -> str:
    if not url:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{SQLITE_FILE}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{SQLITE_FILE}"
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    return url


def progress(total: int, desc: str) -> Any:
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, file=sys.stderr, unit="row", mininterval=1)


def cast() -> dict[str, Any]:
    """Each side's three ACSA officials and an auditor, cleared at their nation's lowest
    level (orders are marked), and the marking the services give the bench's orders."""
    from kizuna.acsa import services
    from kizuna.core.models import Membership, Nation, Organization, Person, Role
    from kizuna.sharing.services import clearance_grant, marking_set

    units = {
        nation: Organization.objects.create(
            code=f"bench-{nation.lower()}",
            name_ja=nation,
            name_en=nation,
            kind="other",
            nation=Nation.objects.get(code=nation),
        )
        for nation in ("JPN", "USA")
    }
    people: dict[str, Any] = {"units": units}
    for nation in ("JPN", "USA"):
        for role in (Role.ORDERING_OFFICIAL, Role.APPROVING_OFFICIAL, Role.LOGISTICS_OFFICER):
            person = Person.objects.create(username=f"{nation}-{role}")
            Membership.objects.create(person=person, organization=units[nation], role=role)
            clearance_grant(actor=None, person=person, level=LOWEST[nation])
            people[f"{nation}-{role}"] = person
    auditor = Person.objects.create(username="bench-auditor")
    Membership.objects.create(person=auditor, organization=units["JPN"], role=Role.AUDITOR)
    clearance_grant(actor=None, person=auditor, level=LOWEST["JPN"])
    people["auditor"] = auditor
    default = services.default_marking(supplying_org=units["JPN"], receiving_org=units["USA"])
    people["marking"] = marking_set(default)
    return people


LOWEST = {"JPN": "jpn-j1", "USA": "usa-u1"}


def bench_checks(count: int) -> dict[str, Any]:
    from kizuna.acsa import rules
    from kizuna.acsa.models import Category, SituationType

    situations = list(SituationType.objects.values_list("code", flat=True))
    categories = list(Category.objects.values_list("code", flat=True))
    rng = random.Random(7)
    start = date(1995, 1, 1).toordinal()
    cases = [
        (
            rng.choice(situations),
            rng.choice(categories),
            date.fromordinal(start + rng.randrange(12000)),
        )
        for _ in range(count)
    ]
    rules.check(*cases[0])  # build the index outside the measured loop
    check = rules.check
    with measured() as phase:
        for situation, category, on in cases:
            check(situation, category, on)
    return {
        "checks": count,
        "checks_per_s": round(count / phase.seconds),
        "peak_rss_mb": phase.peak_rss_mb,
    }


def bench_lifecycle(people: dict[str, Any], orders: int) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from kizuna.acsa import services
    from kizuna.acsa.models import (
        ClaimNotice,
        Delivery,
        LedgerEntry,
        Order,
        OrderLine,
        Settlement,
        SituationType,
        SourceDocument,
    )
    from kizuna.core.models import AuditEvent

    situation = SituationType.objects.get(code="warning-and-surveillance")
    jp, us = people["units"]["JPN"], people["units"]["USA"]
    today = timezone.localdate()
    line = services.LineInput(
        "petroleum", "JP-5", Decimal(1000), "L", Decimal("98.5"), "Misawa", today
    )
    document = [services.Document("slip.pdf", b"%PDF fuel slip")]

    def lifecycle(step: Callable[[str], AbstractContextManager[object]]) -> None:
        with step("create"):
            order = services.order_create(
                actor=people["USA-ordering_official"],
                supplying_org=jp,
                receiving_org=us,
                situation_type=situation,
                legal_basis="SDF Act Art. 100-6",
                currency="JPY",
                settlement_method="currency",
                lines=[line],
            )
        with step("request"):
            services.order_request(order=order, actor=people["USA-ordering_official"])
        with step("accept"):
            services.order_accept(order=order, actor=people["JPN-approving_official"])
        with step("deliver"):
            delivery = services.delivery_record(
                order=order,
                line=order.lines.get(),
                actor=people["JPN-logistics_officer"],
                quantity=Decimal(1000),
                delivered_on=today,
                documents=document,
            )
        with step("receive"):
            services.receipt_sign(
                order=order, delivery=delivery, actor=people["USA-logistics_officer"]
            )
        with step("settle"):
            services.settlement_record(
                order=order,
                delivery=delivery,
                actor=people["USA-approving_official"],
                method="currency",
                amount=delivery.amount,
                currency="JPY",
                settled_on=today,
            )

    audit_before = AuditEvent.objects.count()
    bar = progress(orders, "lifecycle via services")
    with measured() as through_services:
        for _ in range(orders):
            lifecycle(lambda name: nullcontext())
            bar.update()
    bar.close()
    events_per_order = (AuditEvent.objects.count() - audit_before) // orders

    # One more lifecycle, untimed, counting the queries of each step as the timed ones ran
    # them (each person's roles and clearance already read, as once per request).
    queries: dict[str, int] = {}

    @contextmanager
    def counted(name: str) -> Iterator[None]:
        with CaptureQueriesContext(connection) as captured:
            yield
        queries[name] = len(captured)

    lifecycle(counted)
    stepwise = bench_stepwise_bulk(people, orders)

    # The same rows, written with plain bulk inserts: no checks, no audit chain, no locks.
    now = timezone.now()
    bar = progress(orders, "same rows via bulk_create")
    with measured() as bulk:
        series, numbers = services.draw_numbers(people["marking"], jp, us, orders)
        made = Order.objects.bulk_create(
            Order(
                marking=people["marking"],
                series=series,
                number=number,
                supplying_org=jp,
                receiving_org=us,
                situation_type=situation,
                legal_basis="SDF Act Art. 100-6",
                currency="JPY",
                settlement_method="currency",
                status="settled",
                created_by=people["USA-ordering_official"],
                amount_ordered=Decimal(98500),
                amount_delivered=Decimal(98500),
                amount_settled=Decimal(98500),
            )
            for number in numbers
        )
        lines = OrderLine.objects.bulk_create(
            OrderLine(
                order=o,
                position=1,
                category_id=line_category(),
                description="JP-5",
                quantity=Decimal(1000),
                unit="L",
                unit_price=Decimal("98.5"),
                delivery_place="Misawa",
                delivery_date=today,
                quantity_delivered=Decimal(1000),
            )
            for o in made
        )
        deliveries = Delivery.objects.bulk_create(
            Delivery(
                line=ln,
                quantity=Decimal(1000),
                amount=Decimal(98500),
                amount_settled=Decimal(98500),
                delivered_on=today,
                due_on=today + timedelta(days=365),
                recorded_by=people["JPN-logistics_officer"],
                receipt_signed_by=people["USA-logistics_officer"],
                receipt_signed_at=now,
            )
            for ln in lines
        )
        SourceDocument.objects.bulk_create(
            SourceDocument(delivery=d, name="slip.pdf", content=b"%PDF", sha256="0" * 64, size=4)
            for d in deliveries
        )
        ClaimNotice.objects.bulk_create(
            ClaimNotice(delivery=d, amount=d.amount, currency="JPY", due_on=d.due_on)
            for d in deliveries
        )
        Settlement.objects.bulk_create(
            Settlement(
                delivery=d,
                method="currency",
                amount=d.amount,
                settled_on=today,
                recorded_by=people["USA-approving_official"],
            )
            for d in deliveries
        )
        LedgerEntry.objects.bulk_create(
            LedgerEntry(order=d.line.order, delivery=d, kind=kind, amount=amount, currency="JPY")
            for d in deliveries
            for kind, amount in (("delivery", d.amount), ("settlement", -d.amount))
        )
        AuditEvent.objects.bulk_create(
            AuditEvent(
                at=now,
                action="bench",
                object_type="acsa.order",
                object_id=str(o.pk),
                prev_hash="0" * 64,
                hash=f"{o.pk:064x}{i}"[-64:],
            )
            for o in made
            for i in range(events_per_order)
        )
        bar.update(orders)
    bar.close()
    return {
        "orders": orders,
        "services_s": round(through_services.seconds, 3),
        "orders_per_s": round(orders / through_services.seconds, 1),
        "queries_per_step": queries,
        "queries_per_order": sum(queries.values()),
        # Baseline 1: every order's rows at once, eight multi-row INSERTs for the whole run.
        "bulk_s": round(bulk.seconds, 4),
        "ratio_bulk_to_services": round(bulk.seconds / through_services.seconds, 3),
        # Baseline 2: each order's rows step by step, one transaction per lifecycle step.
        "stepwise_bulk_s": round(stepwise.seconds, 3),
        "ratio_stepwise_bulk_to_services": round(stepwise.seconds / through_services.seconds, 3),
        "peak_rss_mb": max(through_services.peak_rss_mb, bulk.peak_rss_mb, stepwise.peak_rss_mb),
    }


def bench_stepwise_bulk(people: dict[str, Any], orders: int) -> Any:
    """The rows the services write for one order, written for each order with plain ORM
    bulk_create per table (and update() where a step changes a row), one transaction per
    lifecycle step as five separate requests would: request (with the draft), accept,
    deliver, receive, settle. No checks, no locks, no audit chain: only the writes."""
    from django.db import transaction
    from django.utils import timezone

    from kizuna.acsa import services
    from kizuna.acsa.models import (
        ClaimNotice,
        Delivery,
        LedgerEntry,
        Order,
        OrderLine,
        Settlement,
        SituationType,
        SourceDocument,
    )
    from kizuna.core.models import AuditEvent

    situation = SituationType.objects.get(code="warning-and-surveillance")
    category = line_category()
    jp, us = people["units"]["JPN"], people["units"]["USA"]
    ordering, approving = people["USA-ordering_official"], people["JPN-approving_official"]
    supplier, receiver = people["JPN-logistics_officer"], people["USA-logistics_officer"]
    settler = people["USA-approving_official"]
    today, now = timezone.localdate(), timezone.now()
    amount = Decimal(98500)
    serial = iter(range(10**9))

    def audit(order: Any, action: str, actor: Any) -> None:
        AuditEvent.objects.bulk_create(
            [
                AuditEvent(
                    at=now,
                    actor=actor,
                    action=f"bench.{action}",
                    object_type="acsa.order",
                    object_id=str(order.pk),
                    prev_hash="0" * 64,
                    hash=f"s{next(serial):063x}",
                )
            ]
        )

    bar = progress(orders, "same rows step by step")
    with measured() as phase:
        for _ in range(orders):
            with transaction.atomic():
                series, [number] = services.draw_numbers(people["marking"], jp, us)
                [order] = Order.objects.bulk_create(
                    [
                        Order(
                            marking=people["marking"],
                            series=series,
                            number=number,
                            supplying_org=jp,
                            receiving_org=us,
                            situation_type=situation,
                            legal_basis="SDF Act Art. 100-6",
                            currency="JPY",
                            settlement_method="currency",
                            status="requested",
                            version=2,
                            created_by=ordering,
                            ordering_official=ordering,
                            requested_at=now,
                            amount_ordered=amount,
                        )
                    ]
                )
                [line] = OrderLine.objects.bulk_create(
                    [
                        OrderLine(
                            order=order,
                            position=1,
                            category_id=category,
                            description="JP-5",
                            quantity=Decimal(1000),
                            unit="L",
                            unit_price=Decimal("98.5"),
                            delivery_place="Misawa",
                            delivery_date=today,
                        )
                    ]
                )
                audit(order, "create", ordering)
                audit(order, "request", ordering)
            with transaction.atomic():
                Order.objects.filter(pk=order.pk).update(
                    status="accepted", approving_official=approving, accepted_at=now, version=3
                )
                audit(order, "accept", approving)
            with transaction.atomic():
                [delivery] = Delivery.objects.bulk_create(
                    [
                        Delivery(
                            line=line,
                            quantity=Decimal(1000),
                            amount=amount,
                            delivered_on=today,
                            due_on=today + timedelta(days=365),
                            recorded_by=supplier,
                        )
                    ]
                )
                SourceDocument.objects.bulk_create(
                    [
                        SourceDocument(
                            delivery=delivery,
                            name="slip.pdf",
                            content=b"%PDF",
                            sha256="0" * 64,
                            size=4,
                        )
                    ]
                )
                LedgerEntry.objects.bulk_create(
                    [
                        LedgerEntry(
                            order=order,
                            delivery=delivery,
                            kind="delivery",
                            amount=amount,
                            currency="JPY",
                            actor=supplier,
                        )
                    ]
                )
                OrderLine.objects.filter(pk=line.pk).update(quantity_delivered=Decimal(1000))
                Order.objects.filter(pk=order.pk).update(
                    status="delivered", amount_delivered=amount, version=4
                )
                audit(order, "deliver", supplier)
            with transaction.atomic():
                Delivery.objects.filter(pk=delivery.pk).update(
                    receipt_signed_by=receiver, receipt_signed_at=now
                )
                ClaimNotice.objects.bulk_create(
                    [
                        ClaimNotice(
                            delivery=delivery, amount=amount, currency="JPY", due_on=delivery.due_on
                        )
                    ]
                )
                Order.objects.filter(pk=order.pk).update(status="received", version=5)
                audit(order, "receipt", receiver)
            with transaction.atomic():
                Settlement.objects.bulk_create(
                    [
                        Settlement(
                            delivery=delivery,
                            method="currency",
                            amount=amount,
                            settled_on=today,
                            recorded_by=settler,
                        )
                    ]
                )
                LedgerEntry.objects.bulk_create(
                    [
                        LedgerEntry(
                            order=order,
                            delivery=delivery,
                            kind="settlement",
                            amount=-amount,
                            currency="JPY",
                            actor=settler,
                        )
                    ]
                )
                Delivery.objects.filter(pk=delivery.pk).update(amount_settled=amount)
                Order.objects.filter(pk=order.pk).update(
                    status="settled", amount_settled=amount, version=6
                )
                audit(order, "settle", settler)
            bar.update()
    bar.close()
    return phase


def line_category() -> int:
    from kizuna.acsa.models import Category

    return Category.objects.get(code="petroleum").pk


HAND_WRITTEN = """
SELECT org.nation_id, o.currency,
       SUM(CASE WHEN d.delivered_on > %(six)s THEN d.amount - d.amount_settled END),
       SUM(CASE WHEN d.delivered_on <= %(six)s AND d.due_on >= %(today)s
                THEN d.amount - d.amount_settled END),
       SUM(CASE WHEN d.due_on < %(today)s THEN d.amount - d.amount_settled END),
       SUM(d.amount - d.amount_settled)
FROM acsa_delivery d
JOIN acsa_orderline l ON l.id = d.line_id
JOIN acsa_order o ON o.id = l.order_id
JOIN core_organization org ON org.id = o.supplying_org_id
WHERE d.amount_settled < d.amount
GROUP BY org.nation_id, o.currency
ORDER BY org.nation_id, o.currency
"""


def bench_report(people: dict[str, Any], total: int) -> dict[str, Any]:
    from django.db import connection
    from django.utils import timezone

    from kizuna.acsa import selectors, services
    from kizuna.acsa.models import Category, Delivery, Order, OrderLine, SituationType

    situation = SituationType.objects.get(code="warning-and-surveillance")
    categories = list(Category.objects.filter(prohibited=False))
    orders_count = max(1, total // 1000)
    rng = random.Random(11)
    today = timezone.localdate()
    units = people["units"]
    series, numbers = services.draw_numbers(
        people["marking"], units["JPN"], units["USA"], orders_count
    )
    orders = Order.objects.bulk_create(
        Order(
            marking=people["marking"],
            series=series,
            number=numbers[i],
            supplying_org=units["JPN"] if i % 3 else units["USA"],
            receiving_org=units["USA"] if i % 3 else units["JPN"],
            situation_type=situation,
            legal_basis="bench",
            currency="JPY" if i % 3 else "USD",
            settlement_method="currency",
            status="received",
            created_by=people["USA-ordering_official"],
        )
        for i in range(orders_count)
    )
    lines = OrderLine.objects.bulk_create(
        OrderLine(
            order=o,
            position=1,
            category=rng.choice(categories),
            description="bench",
            quantity=Decimal(10**8),
            unit="u",
            unit_price=Decimal(1),
            delivery_place="x",
            delivery_date=today,
        )
        for o in orders
    )
    bar = progress(total, "delivery lines")
    batch = 20000
    for start in range(0, total, batch):
        rows = []
        for i in range(start, min(total, start + batch)):
            delivered = today - timedelta(days=rng.randrange(900))
            amount = Decimal(rng.randrange(1000, 100000))
            rows.append(
                Delivery(
                    line=lines[i % len(lines)],
                    quantity=Decimal(1),
                    amount=amount,
                    amount_settled=amount if rng.random() < 0.5 else Decimal(0),
                    delivered_on=delivered,
                    due_on=delivered + timedelta(days=365),
                    recorded_by=people["JPN-logistics_officer"],
                )
            )
        Delivery.objects.bulk_create(rows, batch_size=batch)
        bar.update(len(rows))
    bar.close()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    params = {"six": today - timedelta(days=182), "today": today}

    def hand_written() -> list[tuple[Any, ...]]:
        with connection.cursor() as cursor:
            cursor.execute(HAND_WRITTEN, params)
            return cursor.fetchall()

    def report() -> list[dict[str, Any]]:
        return selectors.outstanding_by(person=people["auditor"])

    hand_written()
    report()  # warm both equally
    runs = 3
    with measured() as raw:
        for _ in range(runs):
            expected = hand_written()
    with measured() as ours:
        for _ in range(runs):
            got = report()
    totals = sorted(float(r["total"]) for r in got)
    assert totals == sorted(float(r[5]) for r in expected), "report and SQL disagree"
    return {
        "delivery_lines": total,
        "report_ms": round(ours.seconds / runs * 1000, 1),
        "sql_ms": round(raw.seconds / runs * 1000, 1),
        "ratio_report_to_sql": round(ours.seconds / raw.seconds, 3),
        "peak_rss_mb": max(ours.peak_rss_mb, raw.peak_rss_mb),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("KIZUNA_BENCH_DATABASE_URL"))
    parser.add_argument("--orders", type=int, default=200)
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--checks", type=int, default=500_000)
    args = parser.parse_args()
    vendor = setup_django(fresh_database(args.database_url))
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    people = cast()
    started = time.perf_counter()
    figures = {
        "engine": vendor,
        "eligibility": bench_checks(args.checks),
        "lifecycle": bench_lifecycle(people, args.orders),
        "report": bench_report(people, args.lines),
    }
    figures["wall_s"] = round(time.perf_counter() - started, 1)
    emit("acsa", figures)


if __name__ == "__main__":
    main()
