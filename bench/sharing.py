"""Search, list and map latency over many shared items for a reader who may see a third.

Loads N items (default 1,000,000) with COPY on PostgreSQL (bulk_create elsewhere), with
marking mixes that hide two thirds from the reader for different reasons (national only,
a level above their clearance, a community they lack). Then measures, side by side in one
run: ranked search with the access filter against the same search without it, the search
page as people see it (ranked first page and its count, the glossary's translations
included) with the count each query showed, the list page (first page and the visible
count), and the map's data. One JSON line on stdout.

    .venv/bin/python bench/sharing.py --database-url postgres://postgres@127.0.0.1:5432/kizuna_sharing_bench
    .venv/bin/python bench/sharing.py --size 20000        # a quick run
"""

from __future__ import annotations

import argparse
import random
import sys
from datetime import UTC, datetime, timedelta

from tqdm import tqdm

from harness import Latencies, emit, measured, setup_django

JA_PARTS = [
    "警戒",
    "監視",
    "共同",
    "訓練",
    "輸送",
    "宿泊",
    "通信",
    "衛生",
    "整備",
    "港湾",
    "情報",
    "状況",
    "報告",
    "迎撃",
    "探知",
    "追尾",
    "演習",
    "災害",
    "派遣",
    "調整",
    "支援",
    "要請",
    "偵察",
    "軌道",
    "航空",
    "艦艇",
    "部隊",
    "司令",
    "計画",
    "評価",
]
EN_WORDS = [
    "missile",
    "space",
    "fuel",
    "surveillance",
    "exercise",
    "maritime",
    "vessel",
    "aircraft",
    "transport",
    "intercept",
    "phishing",
    "contact",
    "report",
    "patrol",
    "harbor",
    "alliance",
    "logistics",
    "warning",
    "sensor",
    "orbit",
    "convoy",
    "airlift",
    "briefing",
    "liaison",
]
# Words searched for, placed at fixed ranks of a Zipf vocabulary: common, middling, rare.
QUERY_RANKS = {"弾道ミサイル": 30, "cyber": 50, "宇宙": 60, "燃料": 100, "デブリ": 200}
QUERIES = ["弾道ミサイル", "宇宙", "燃料 追尾", "cyber", "デブリ"]
DISTINCT_TEXTS = 20000
WORDS_PER_TEXT = 8
BATCH = 20000


def _vocabulary() -> list[str]:
    """About 900 words: two-part Japanese compounds and English words, the query words
    at their ranks."""
    words = [a + b for a in JA_PARTS for b in JA_PARTS if a != b] + EN_WORDS
    random.Random(7).shuffle(words)
    for word, rank in sorted(QUERY_RANKS.items(), key=lambda pair: pair[1]):
        words.insert(rank - 1, word)
    return words


def _texts(rng: random.Random) -> list[tuple[str, str, str, str]]:
    """A pool of distinct texts with their grams, words drawn by Zipf's law (s = 1);
    items reuse the pool round-robin."""
    from kizuna.sharing.search import grams

    vocabulary = _vocabulary()
    weights = [1 / rank for rank in range(1, len(vocabulary) + 1)]
    pool = []
    for _ in range(DISTINCT_TEXTS):
        words = rng.choices(vocabulary, weights, k=WORDS_PER_TEXT)
        title, body = "・".join(words[:3]), "、".join(words) + "について報告する。"
        pool.append((title, "", body, grams(f"{title} {body}")))
    return pool


def _reference() -> dict[str, object]:
    """Two organizations, the reader (JPN, Level-J2, community SCWG) and the four markings."""
    from kizuna.core.models import Membership, Organization, Person, Role
    from kizuna.sharing.marking import Marking
    from kizuna.sharing.models import ClassificationLevel, Clearance, Community
    from kizuna.sharing.services import marking_set, resolve_marking

    jp, _ = Organization.objects.get_or_create(
        code="bench-jp",
        defaults={"name_ja": "ベンチ", "name_en": "Bench JP", "kind": "other", "nation_id": "JPN"},
    )
    us, _ = Organization.objects.get_or_create(
        code="bench-us",
        defaults={
            "name_ja": "ベンチ米",
            "name_en": "Bench US",
            "kind": "other",
            "nation_id": "USA",
        },
    )
    reader, created = Person.objects.get_or_create(username="bench-reader")
    if created:
        Membership.objects.create(person=reader, organization=jp, role=Role.COORDINATOR)
        clearance = Clearance.objects.create(
            person=reader, level=ClassificationLevel.objects.get(code="jpn-j2")
        )
        clearance.communities.set([Community.objects.get(code="scwg")])

    def marking(organization: object, *codes: object) -> int:
        resolved = resolve_marking(Marking(*codes), originator=organization)  # type: ignore[arg-type]
        return marking_set(resolved).pk

    return {
        "jp": jp.pk,
        "us": us.pk,
        "reader": reader,
        "shared": marking(jp, "jpn-j1", ("JPN", "USA")),  # visible
        "us_only": marking(us, "usa-u1", ("USA",)),  # another nation's national only
        "too_high": marking(jp, "jpn-j3", ("JPN", "USA")),  # above the reader's level
        "bmd": marking(jp, "jpn-j1", ("JPN", "USA"), (), ("bmd",)),  # a community not held
    }


def _load(size: int, ref: dict[str, object], vendor: str) -> None:
    """Insert `size` items, a third visible to the reader: by i % 6, 0 and 3 shared,
    1 and 4 US national only, 2 above the reader's level, 5 in a community they lack."""
    from django.db import connection

    from kizuna.sharing.models import SharedItem

    rng = random.Random(5)
    pool = _texts(rng)
    markings = {
        0: ref["shared"],
        3: ref["shared"],
        1: ref["us_only"],
        4: ref["us_only"],
        2: ref["too_high"],
        5: ref["bmd"],
    }
    reader = ref["reader"].pk  # type: ignore[attr-defined]
    start = datetime(2020, 1, 1, tzinfo=UTC)
    from kizuna.core.public_ids import new_public_id

    next_id = (SharedItem.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    with connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute("DROP INDEX IF EXISTS sharing_item_search_gin")
    columns = (
        "id, public_id, marking_id, kind, domain, originator_id, created_by_id, created_at, "
        "original_language, title_ja, title_en, body_ja, body_en, latitude, longitude, "
        "observed_at, observation, search_grams"
    )
    for offset in tqdm(range(0, size, BATCH), desc="items", unit="batch", file=sys.stderr):
        rows = []
        for n in range(offset, min(size, offset + BATCH)):
            title_ja, title_en, body, search_grams = pool[n % DISTINCT_TEXTS]
            positioned = n % 10 == 0
            at = start + timedelta(seconds=30 * n)
            rows.append(
                (
                    next_id + n,
                    new_public_id(),
                    markings[n % 6],
                    "report",
                    "space",
                    ref["us"] if n % 6 in (1, 4) else ref["jp"],
                    reader,
                    at,
                    "ja",
                    title_ja,
                    title_en,
                    body,
                    "",
                    30 + (n % 20) if positioned else None,
                    125 + (n % 30) if positioned else None,
                    at if positioned else None,
                    "",
                    search_grams,
                )
            )
        _insert(vendor, "sharing_shareditem", columns, rows)
    with connection.cursor() as cursor:
        if vendor == "postgresql":
            from importlib import import_module

            index = import_module("kizuna.sharing.migrations.0008_search_vector_marking")
            print("building the GIN index", file=sys.stderr)
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # settle the deferred FK checks
            cursor.execute(index.INDEX)
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('sharing_shareditem', 'id'), "
                "(SELECT max(id) FROM sharing_shareditem))"
            )
            cursor.execute("ANALYZE")


def _insert(vendor: str, table: str, columns: str, rows: list[tuple[object, ...]]) -> None:
    from django.db import connection

    if not rows:
        return
    with connection.cursor() as cursor:
        if vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(rows[0]))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=60)
    args = parser.parse_args()
    vendor = setup_django(args.database_url)

    from django.core.management import call_command
    from django.db import transaction

    from kizuna.sharing import policy, search, selectors
    from kizuna.sharing.models import SharedItem

    call_command("migrate", verbosity=0)
    with transaction.atomic():
        ref = _reference()
    present = SharedItem.objects.count()
    if present < args.size:
        with measured() as load, transaction.atomic():
            _load(args.size - present, ref, vendor)
        load_seconds = round(load.seconds, 1)
    else:
        load_seconds = 0.0
    reader = ref["reader"]
    total = SharedItem.objects.count()
    visible = policy.visible(reader).count()  # type: ignore[arg-type]

    markings = policy.visible_marking_keys(reader)  # type: ignore[arg-type]

    def first_page(queryset: object, q: str, markings: object = None) -> list[int]:
        query = selectors.search_query(q)
        ranked = search.ranked(queryset, query, markings)  # type: ignore[arg-type]
        return list(ranked.values_list("id", flat=True)[:20])

    def search_page(q: str) -> int:
        filters = selectors.ItemFilters(q=q)
        return selectors.item_page(person=reader, filters=filters).count  # type: ignore[arg-type]

    for q in QUERIES:  # warm the caches once, unmeasured, so neither side pays cold reads
        first_page(policy.visible(reader), q, markings)  # type: ignore[arg-type]
        first_page(SharedItem.objects.all(), q)
    shown = {q: search_page(q) for q in QUERIES}  # what the page says it found
    filtered, unfiltered, pages, lists, maps = (Latencies() for _ in range(5))
    with measured() as phase:
        for run in tqdm(range(args.runs), desc="measure", file=sys.stderr):
            q = QUERIES[run % len(QUERIES)]
            # Side by side, alternating which goes first, so caches favour neither.
            pair = [
                (filtered, lambda q=q: first_page(policy.visible(reader), q, markings)),  # type: ignore[arg-type]
                (unfiltered, lambda q=q: first_page(SharedItem.objects.all(), q)),
            ]
            for latencies, call in pair if run % 2 else pair[::-1]:
                latencies.time(call)
            pages.time(lambda q=q: search_page(q))
            lists.time(
                lambda: selectors.item_page(person=reader, filters=selectors.ItemFilters())  # type: ignore[arg-type]
            )
            maps.time(lambda: selectors.map_points(person=reader))  # type: ignore[arg-type]
    f, u = filtered.summary(), unfiltered.summary()
    emit(
        "sharing",
        {
            "engine": vendor,
            "items": total,
            "visible_to_reader": visible,
            "load_seconds": load_seconds,
            "runs": args.runs,
            "search_filtered": f,
            "search_unfiltered": u,
            "ratio_unfiltered_over_filtered_p50": round(u["p50_ms"] / f["p50_ms"], 2),
            "ratio_unfiltered_over_filtered_p95": round(u["p95_ms"] / f["p95_ms"], 2),
            "search_page_with_count": pages.summary(),
            "search_page_counts": shown,
            "list_page_with_count": lists.summary(),
            "map_data": maps.summary(),
            "peak_rss_mb": phase.peak_rss_mb,
        },
    )


if __name__ == "__main__":
    main()
