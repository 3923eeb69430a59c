"""The live stream, driven as a browser would, through the ASGI application itself.

A small ASGI client reads the event stream as it arrives (httpx's ASGI transport would wait
for the end of a stream that never ends). The writes happen in another thread, committed,
as a second browser's would.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import Callable
from http.cookies import SimpleCookie
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from django.db import connection, transaction
from django.test import Client

from kizuna.asgi import application
from kizuna.coordination import services
from kizuna.coordination.live import broker
from kizuna.coordination.models import LogEntry, Situation
from kizuna.coordination.stream import CURSOR, cursor_for
from kizuna.core import cursors
from kizuna.core.models import Person
from kizuna.core.public_ids import new_public_id

from .conftest import Cast, org

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("audited_transactional_db"),
    pytest.mark.anyio,
]


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def session_cookie(person: Person) -> str:
    client = Client()
    client.force_login(person)
    return client.cookies["sessionid"].value


class EventStream:
    """One open GET of an event stream against the ASGI app; events parsed as they come."""

    def __init__(self, path: str, cookie: str, headers: dict[str, str] | None = None) -> None:
        raw = [(b"cookie", SimpleCookie({"sessionid": cookie}).output(header="").strip().encode())]
        raw += [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
        path, _, query = path.partition("?")
        self.scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": query.encode(),
            "headers": [(b"host", b"testserver"), *raw],
            "client": ("127.0.0.1", 50000),
            "server": ("testserver", 80),
        }
        self.status: int | None = None
        self._first_line = False
        self.events: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self._disconnect = asyncio.Event()
        self._buffer = ""

    async def _receive(self) -> dict[str, Any]:
        if not getattr(self, "_sent_request", False):
            self._sent_request = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await self._disconnect.wait()
        return {"type": "http.disconnect"}

    async def _send(self, message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
        elif message["type"] == "http.response.body":
            self._first_line = True
            self._buffer += message.get("body", b"").decode()
            while "\n\n" in self._buffer:
                frame, self._buffer = self._buffer.split("\n\n", 1)
                fields = dict(line.split(": ", 1) for line in frame.splitlines() if ": " in line)
                if "data" in fields:
                    self.events.put_nowait({**json.loads(fields["data"]), "event_id": fields["id"]})

    async def __aenter__(self) -> EventStream:
        self._task = asyncio.create_task(application(self.scope, self._receive, self._send))
        # Until the first line: the stream has then read what it missed and listens, so a
        # write from the test cannot race its first read (the in-memory SQLite test database
        # locks whole tables between threads).
        for _ in range(1000):  # generous: the machine running the suite may be busy
            if self._first_line:
                break
            await asyncio.sleep(0.02)
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._disconnect.set()
        try:
            await asyncio.wait_for(self._task, 5)
        except (TimeoutError, asyncio.CancelledError):
            self._task.cancel()
        await broker.stopped()

    async def next(self) -> dict[str, Any]:
        return await asyncio.wait_for(self.events.get(), 20)

    async def nothing_more(self) -> bool:
        await asyncio.sleep(0.3)
        return self.events.empty()

    async def ended(self) -> bool:
        """Whether the server ends the stream by itself (within a few seconds)."""
        try:
            await asyncio.wait_for(asyncio.shield(self._task), 5)
        except TimeoutError:
            return False
        return True


def position(person: Person, situation: Situation, event_id: str) -> int:
    """The revision sealed in an event id, as only the server can read it."""
    return cursors.unseal(CURSOR, event_id, reader=person.pk, scope=situation.public_id)


def in_thread(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Run a write as another browser's request would: in its own thread, committed, and
    without keeping that thread's connection (the test database is dropped at the end)."""

    def call(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        finally:
            connection.close()

    return sync_to_async(call, thread_sensitive=False)


async def test_an_entry_reaches_an_open_stream_live_then_its_translation(cast: Cast) -> None:
    cookie = await in_thread(session_cookie)(cast.mef_officer)
    path = f"/coordination/situations/{cast.situation.public_id}/events"
    async with EventStream(path, cookie) as stream:
        assert stream.status == 200
        entry = await in_thread(services.entry_post)(
            actor=cast.wa_officer, body=cast.ccc, kind="report", text="道路寸断", language="ja"
        )
        arrived = await stream.next()
        assert (
            position(cast.mef_officer, cast.situation, arrived["event_id"]),
            arrived["id"],
        ) == (
            entry.rev,
            entry.public_id,
        )
        assert arrived["text"] == "道路寸断"
        # Neither the revision nor the order of creation goes out: both count hidden entries.
        assert not {"rev", "seq"} & set(arrived)
        assert arrived["event_dtg"].endswith(entry.event_at.strftime("%y"))
        await in_thread(services.entry_translate)(
            actor=cast.jp_liaison,
            entry=entry,
            text="Road cut",
            language="en",
        )
        revised = await stream.next()
        assert revised["id"] == entry.public_id
        assert revised["translation"] == "Road cut"
        assert revised["translated_by"] == "jp-li"
        await in_thread(entry.refresh_from_db)()
        assert position(cast.mef_officer, cast.situation, revised["event_id"]) == entry.rev
        assert entry.rev > position(cast.mef_officer, cast.situation, arrived["event_id"])


async def test_a_reader_gets_nothing_from_bodies_they_do_not_sit_in(cast: Cast) -> None:
    cookie = await in_thread(session_cookie)(cast.mef_officer)
    path = f"/coordination/situations/{cast.situation.public_id}/events"

    def two_posts() -> LogEntry:
        # One transaction, so the stream reads once after both (the in-memory SQLite test
        # database locks whole tables between threads; a file database in WAL mode does not).
        with transaction.atomic():
            services.entry_post(
                actor=cast.us_coordinator,
                body=cast.bocc,
                kind="report",
                text="BOCC only",
                language="en",
            )
            return services.entry_post(
                actor=cast.wa_officer, body=cast.ccc, kind="report", text="CCC", language="en"
            )

    async with EventStream(path, cookie) as stream:
        visible = await in_thread(two_posts)()
        event_id = (await stream.next())["event_id"]
        assert position(cast.mef_officer, cast.situation, event_id) == visible.rev
        assert await stream.nothing_more()


def leave(body_id: int, organization_code: str) -> None:
    """An organization leaves a body in plain SQL, as a script or another process would."""
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM coordination_body_organizations WHERE body_id = %s "
            "AND organization_id = %s",
            [body_id, org(organization_code).pk],
        )


async def test_access_revoked_while_a_stream_is_open_counts_from_the_next_entry(
    cast: Cast,
) -> None:
    cookie = await in_thread(session_cookie)(cast.us_coordinator)  # USFJ: the ACG and BOCC
    path = f"/coordination/situations/{cast.situation.public_id}/events"
    post = in_thread(services.entry_post)
    async with EventStream(path, cookie) as stream:
        before = await post(
            actor=cast.us_coordinator, body=cast.bocc, kind="report", text="1", language="en"
        )
        event_id = (await stream.next())["event_id"]
        assert position(cast.us_coordinator, cast.situation, event_id) == before.rev
        await in_thread(leave)(cast.bocc.pk, "usfj")

        def two_posts() -> LogEntry:
            # One transaction, so the stream reads once after both (the in-memory SQLite
            # test database locks whole tables between threads, see above).
            with transaction.atomic():
                services.entry_post(
                    actor=cast.jp_coordinator,
                    body=cast.bocc,
                    kind="report",
                    text="2",
                    language="ja",
                )
                return services.entry_post(
                    actor=cast.jp_coordinator, body=cast.acg, kind="report", text="3", language="ja"
                )

        still = await in_thread(two_posts)()
        event_id = (await stream.next())["event_id"]
        # the BOCC entry never came
        assert position(cast.us_coordinator, cast.situation, event_id) == still.rev
        assert await stream.nothing_more()


async def test_a_stream_ends_when_its_reader_no_longer_sees_the_situation(cast: Cast) -> None:
    cookie = await in_thread(session_cookie)(cast.mef_officer)  # III MEF: the CCC only
    path = f"/coordination/situations/{cast.situation.public_id}/events"
    async with EventStream(path, cookie) as stream:
        await in_thread(leave)(cast.ccc.pk, "iii-mef")
        await in_thread(services.entry_post)(
            actor=cast.wa_officer, body=cast.ccc, kind="report", text="after", language="ja"
        )
        assert await stream.ended()
        assert stream.events.empty()


async def test_a_reconnecting_reader_gets_what_it_missed_and_nothing_twice(cast: Cast) -> None:
    cookie = await in_thread(session_cookie)(cast.wa_officer)
    path = f"/coordination/situations/{cast.situation.public_id}/events"
    post = in_thread(services.entry_post)
    async with EventStream(path, cookie) as stream:
        first = await post(
            actor=cast.wa_officer, body=cast.ccc, kind="report", text="1", language="ja"
        )
        seen = await stream.next()
        assert position(cast.wa_officer, cast.situation, seen["event_id"]) == first.rev
    missed = [
        await post(actor=cast.wa_officer, body=cast.ccc, kind="report", text=t, language="ja")
        for t in ("2", "3")
    ]
    async with EventStream(path, cookie, {"Last-Event-ID": seen["event_id"]}) as again:
        got = [await again.next(), await again.next()]
        assert [e["text"] for e in got] == ["2", "3"]
        assert [position(cast.wa_officer, cast.situation, e["event_id"]) for e in got] == [
            m.rev for m in missed
        ]
        assert await again.nothing_more()


async def test_the_stream_refuses_strangers_and_hidden_situations(cast: Cast) -> None:
    path = f"/coordination/situations/{cast.situation.public_id}/events"
    async with EventStream(path, "no-such-session") as anonymous:
        assert anonymous.status == 401
    cookie = await in_thread(session_cookie)(cast.outsider)
    async with EventStream(path, cookie) as outsider:
        assert outsider.status == 404
    count = await in_thread(LogEntry.objects.count)()
    assert count > 0


async def test_a_reader_never_receives_an_entry_its_marking_hides_live_or_on_replay(
    cast: Cast,
) -> None:
    from kizuna.sharing.marking import Marking
    from kizuna.sharing.services import clearance_grant

    await in_thread(clearance_grant)(
        actor=None, person=cast.jp_coordinator, level="jpn-j3", communities=("bmd",)
    )
    cookie = await in_thread(session_cookie)(cast.us_coordinator)  # usa-u2, no communities
    path = f"/coordination/situations/{cast.situation.public_id}/events"
    start = await in_thread(lambda: Situation.objects.get(pk=cast.situation.pk).last_seq)()

    def post(text: str, marking: Marking, **extra: Any) -> LogEntry:
        return services.entry_post(
            actor=cast.jp_coordinator,
            body=cast.bocc,
            kind="report",
            text=text,
            language="ja",
            marking=marking,
            **extra,
        )

    def posts() -> tuple[LogEntry, LogEntry]:
        with transaction.atomic():
            hidden = post("national", Marking("jpn-j1", ("JPN",)))
            post("above", Marking("jpn-j3", ("JPN", "USA")))
            post("community", Marking("jpn-j1", ("JPN", "USA"), communities=("bmd",)))
            # A marking no entry had when the stream opened: the stream decides it anew.
            shown = post("shown", Marking("jpn-j2", ("JPN", "USA")), corrects=hidden)
            return hidden, shown

    async with EventStream(path, cookie) as stream:
        hidden, shown = await in_thread(posts)()
        arrived = await stream.next()
        assert arrived["text"] == "shown"
        assert position(cast.us_coordinator, cast.situation, arrived["event_id"]) == shown.rev
        assert arrived["corrects"] is None  # not even the hidden entry's id
        assert arrived["marking"]["level"] == "jpn-j2"
        assert "_access" not in arrived
        assert await stream.nothing_more()
    resume = cursor_for(cast.us_coordinator, cast.situation.public_id, start)
    async with EventStream(path, cookie, {"Last-Event-ID": resume}) as again:
        event_id = (await again.next())["event_id"]
        assert position(cast.us_coordinator, cast.situation, event_id) == shown.rev
        assert await again.nothing_more()
    # The writer, cleared for all of them, gets each, and the correction names its entry.
    writer = await in_thread(session_cookie)(cast.jp_coordinator)
    resume = cursor_for(cast.jp_coordinator, cast.situation.public_id, start)
    async with EventStream(path, writer, {"Last-Event-ID": resume}) as own:
        got = [await own.next() for _ in range(4)]
        assert [e["text"] for e in got] == ["national", "above", "community", "shown"]
        assert got[-1]["corrects"] == hidden.public_id


def reader_decoding(event_ids: list[str]) -> list[object]:
    """All a reader can make of a run of event ids: numbers and their steps where ids read
    as numbers (or as base64 of one), else only their shape."""
    decoded: list[object] = []
    for event_id in event_ids:
        if event_id.isdigit():
            decoded.append(int(event_id))
        else:
            decoded.append(("opaque", len(event_id)))
    steps = [
        b - a for a, b in itertools.pairwise(decoded) if isinstance(a, int) and isinstance(b, int)
    ]
    return [*[d for d in decoded if not isinstance(d, int)], *steps]


async def test_event_ids_show_no_gap_where_a_hidden_entry_was_written(cast: Cast) -> None:
    from kizuna.sharing.marking import Marking
    from kizuna.sharing.services import clearance_grant

    await in_thread(clearance_grant)(actor=None, person=cast.jp_coordinator, level="jpn-j3")
    reader = await in_thread(session_cookie)(cast.us_coordinator)  # usa-u2: not JPN-only
    writer = await in_thread(session_cookie)(cast.jp_coordinator)
    path = f"/coordination/situations/{cast.situation.public_id}/events"

    def post(text: str, releasable: tuple[str, ...] = ("JPN", "USA")) -> LogEntry:
        return services.entry_post(
            actor=cast.jp_coordinator,
            body=cast.bocc,
            kind="report",
            text=text,
            language="ja",
            marking=Marking("jpn-j1", releasable),
        )

    def worlds() -> None:
        # Both worlds in one transaction, so the stream reads once after them (the in-memory
        # SQLite test database locks whole tables between threads, see above): first two
        # entries with nothing between them, then two with a hidden one between.
        with transaction.atomic():
            post("before")
            post("after")
            post("before")
            post("national", ("JPN",))
            post("after")

    start = await in_thread(lambda: Situation.objects.get(pk=cast.situation.pk).last_seq)()
    async with EventStream(path, reader) as seen:
        await in_thread(worlds)()
        got = [await seen.next() for _ in range(4)]
        assert await seen.nothing_more()
    without, around = got[:2], got[2:]
    assert [e["text"] for e in around] == ["before", "after"]
    # The cleared reader, resuming from before both, gets all five, the hidden one too.
    resume = cursor_for(cast.jp_coordinator, cast.situation.public_id, start)
    async with EventStream(path, writer, {"Last-Event-ID": resume}) as cleared:
        everything = [await cleared.next() for _ in range(5)]
    assert [e["text"] for e in everything][2:] == ["before", "national", "after"]
    # The reader's two ids around the hidden entry read exactly as two ids with nothing
    # between them...
    assert reader_decoding([e["event_id"] for e in around]) == reader_decoding(
        [e["event_id"] for e in without]
    )
    # ...though the server knows the gap is there.
    revs = [position(cast.us_coordinator, cast.situation, e["event_id"]) for e in got]
    assert [b - a for a, b in itertools.pairwise(revs)] == [1, 1, 2]
    # And the ids are each reader's own: the cleared reader's id of the same entry differs
    # and does not open as the other reader's.
    assert everything[2]["event_id"] != around[0]["event_id"]
    with pytest.raises(cursors.InvalidCursor):
        position(cast.us_coordinator, cast.situation, everything[2]["event_id"])


def test_a_position_sealed_twice_gives_two_unrelated_ids(cast: Cast) -> None:
    first, second = (cursor_for(cast.wa_officer, cast.situation.public_id, 7) for _ in range(2))
    assert first != second
    assert not first.isdigit()
    assert position(cast.wa_officer, cast.situation, first) == 7
    assert position(cast.wa_officer, cast.situation, second) == 7


async def test_a_forged_or_borrowed_cursor_is_refused_and_says_nothing(cast: Cast) -> None:
    cookie = await in_thread(session_cookie)(cast.wa_officer)
    path = f"/coordination/situations/{cast.situation.public_id}/events"
    own = cursor_for(cast.wa_officer, cast.situation.public_id, 1)
    flipped = own[:-3] + ("A" if own[-3] != "A" else "B") + own[-2:]
    borrowed = cursor_for(cast.mef_officer, cast.situation.public_id, 1)
    elsewhere = cursor_for(cast.wa_officer, new_public_id(), 1)
    answers = []
    for forged in (flipped, borrowed, elsewhere, "1", "!!"):
        async with EventStream(path, cookie, {"Last-Event-ID": forged}) as stream:
            assert stream.status == 400
            answers.append(stream._buffer)
            assert stream.events.empty()
    assert len(set(answers)) == 1
    assert answers[0].strip()
    async with EventStream(f"{path}?after={flipped}", cookie) as stream:
        assert stream.status == 400
    async with EventStream(path, cookie, {"Last-Event-ID": own}) as stream:
        assert stream.status == 200


class StalledStream(EventStream):
    """A reader that takes the first line and then stops reading: every later send waits,
    as a server's write waits on a client whose buffers are full."""

    async def _send(self, message: dict[str, Any]) -> None:
        if self._first_line and message["type"] == "http.response.body":
            await asyncio.Event().wait()  # never set
        await super()._send(message)


async def test_a_reader_that_stops_reading_is_dropped_and_the_others_still_receive(
    cast: Cast, settings: Any
) -> None:
    settings.STREAM_QUEUE = 3
    cookie = await in_thread(session_cookie)(cast.mef_officer)
    path = f"/coordination/situations/{cast.situation.public_id}/events"
    post = in_thread(services.entry_post)
    async with EventStream(path, cookie) as reader:
        # Not a context of its own: leaving one waits for the broker's listener, which serves
        # the reader still open (PostgreSQL). The server ends it below, or the finally does.
        stalled = await StalledStream(path, cookie).__aenter__()
        try:
            for n in range(8):
                entry = await post(
                    actor=cast.wa_officer,
                    body=cast.ccc,
                    kind="report",
                    text=f"報告 {n}",
                    language="ja",
                )
                # The reader has each entry before the next is written: one batch per entry.
                assert (await reader.next())["text"] == entry.text
            assert await stalled.ended()  # dropped by the server, not by its reader
            assert stalled.events.empty()
            assert len(broker._subscriptions[cast.situation.pk]) == 1  # the reader's alone
            # The reader who kept reading is still served after the other was let go.
            await post(
                actor=cast.wa_officer, body=cast.ccc, kind="report", text="最後", language="ja"
            )
            assert (await reader.next())["text"] == "最後"
            assert await reader.nothing_more()
        finally:
            stalled._task.cancel()
