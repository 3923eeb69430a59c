"""Live updates: every change to a situation's log reaches each open stream once.

Each change gives an entry a new revision number (`LogEntry.rev`, per situation, handed out
under the situation's row lock so revisions commit in order). The writer announces the
revision inside its transaction; each server process has one `Broker` that hears the
announcement after commit, reads the new revisions once, and hands them to the streams of
that situation, which keep only what their reader may see (the bodies they sit in and the
markings sharing's policy lets them read, decided when the stream opens and again whenever
the access token read with a batch says access changed). A stream sends
each entry with its revision sealed for its reader as the event id (stream.py,
core.cursors), never the revision itself; a reconnecting browser sends Last-Event-ID and
gets everything after it.

A reader that stops reading does not hold the others up, nor the server's memory: each
stream keeps at most `KIZUNA_STREAM_QUEUE` batches waiting, and a batch waits at most
`KIZUNA_STREAM_SEND_SECONDS`; past either bound the broker drops the stream (its response is
cancelled, the connection closed; what the server still buffers for it is bounded by the web
server's flow control) and the browser, if it is only slow, reconnects with Last-Event-ID.

Announcements travel by PostgreSQL NOTIFY (delivered only on commit, to every process), or,
on SQLite, stay in process through `transaction.on_commit`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import connection, transaction

from .policy import LogReach
from .selectors import ACCESS

logger = logging.getLogger(__name__)

CHANNEL = "kizuna_coordination"


def announce(situation_id: int) -> None:
    """Tell every process that a situation's log changed. Call inside the writing
    transaction: the news leaves only if the change commits."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_notify(%s, %s)", [CHANNEL, str(situation_id)])
    else:
        transaction.on_commit(lambda: broker.wake(situation_id))


@dataclass(eq=False)
class Batch:
    """Entry payloads of one situation with revisions after `after`, in revision order, and
    the access token read after them (core.access): a stream whose reach was decided under
    another token decides it again before sending any of them."""

    after: int
    payloads: list[dict[str, Any]]
    token: str | None
    # Each event as sent but its id (sealed per reader), encoded once for all the streams of
    # the process (by revision, and the corrected entry's id when a reader may see it).
    frames: dict[tuple[int, Any], bytes] = field(default_factory=dict)


@dataclass(eq=False)
class Subscription:
    situation_id: int
    last: int
    loop: asyncio.AbstractEventLoop
    # None: the server is stopping, the stream ends after what it has sent.
    batches: asyncio.Queue[Batch | None] = field(
        default_factory=lambda: asyncio.Queue(maxsize=settings.STREAM_QUEUE)
    )
    # The task sending this stream's response, cancelled to drop a reader that fell behind.
    task: asyncio.Task[Any] | None = None
    # Since when batches have waited without the stream taking one (None while none waits).
    waiting_since: float | None = None

    def offer(self, batch: Batch) -> bool:
        """Queue a batch; False when the reader has fallen past a bound (then drop it)."""
        now = time.monotonic()
        late = self.waiting_since is not None and now - self.waiting_since > (
            settings.STREAM_SEND_SECONDS
        )
        if late or self.batches.full():
            return False
        if self.waiting_since is None:
            self.waiting_since = now
        self.batches.put_nowait(batch)
        return True

    async def take(self) -> Batch | None:
        batch = await self.batches.get()
        self.waiting_since = time.monotonic() if not self.batches.empty() else None
        return batch


Fetch = Callable[[int, int], Batch]


class Broker:
    """One per process: fans a situation's new revisions out to its open streams."""

    def __init__(self) -> None:
        self._subscriptions: dict[int, set[Subscription]] = {}
        self._last: dict[int, int] = {}
        self._locks: dict[int, asyncio.Lock] = {}
        self._listener: asyncio.Task[None] | None = None
        self.fetch: Fetch | None = None
        self.stopping = False

    def subscribe(self, situation_id: int, last: int) -> Subscription:
        loop = asyncio.get_running_loop()
        self._ensure_listener(loop)
        subscription = Subscription(situation_id=situation_id, last=last, loop=loop)
        self._subscriptions.setdefault(situation_id, set()).add(subscription)
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        streams = self._subscriptions.get(subscription.situation_id, set())
        streams.discard(subscription)
        if not streams:
            self._subscriptions.pop(subscription.situation_id, None)
            self._last.pop(subscription.situation_id, None)
        if not self._subscriptions and self._listener is not None:
            self._listener.cancel()  # no one to tell: free the connection until someone comes

    def stop_streams(self) -> None:
        """The server is stopping (core.stopping): every open stream ends, and any opened
        from now on ends at once; readers reconnect to a server that is up."""
        self.stopping = True
        for streams in list(self._subscriptions.values()):
            for subscription in list(streams):
                if subscription.loop.is_closed():
                    # Its event loop ended without it leaving: nothing is left to end.
                    self.unsubscribe(subscription)
                    continue
                subscription.loop.call_soon_threadsafe(self._end, subscription)

    def _end(self, subscription: Subscription) -> None:
        try:
            subscription.batches.put_nowait(None)
        except asyncio.QueueFull:
            self.drop(subscription)  # it was not reading anyway

    async def stopped(self) -> None:
        """Wait until the listener has let its connection go (after the last stream)."""
        if self._listener is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._listener

    def wake(self, situation_id: int) -> None:
        """Thread-safe: called after a commit, from any thread."""
        for loop in {s.loop for s in self._subscriptions.get(situation_id, ())}:
            loop.call_soon_threadsafe(self._schedule, loop, situation_id)

    def _schedule(self, loop: asyncio.AbstractEventLoop, situation_id: int) -> None:
        loop.create_task(self._deliver(situation_id))

    async def _deliver(self, situation_id: int) -> None:
        assert self.fetch is not None
        lock = self._locks.setdefault(situation_id, asyncio.Lock())
        async with lock:  # one read per wake-up, never two racing for the same revisions
            streams = self._subscriptions.get(situation_id)
            if not streams:
                return
            after = self._last.get(situation_id, min(s.last for s in streams))
            batch = await sync_to_async(self.fetch, thread_sensitive=False)(situation_id, after)
            if not batch.payloads:
                return
            self._last[situation_id] = batch.payloads[-1]["rev"]
            for subscription in list(self._subscriptions.get(situation_id, ())):
                if not subscription.offer(batch):
                    self.drop(subscription)

    def drop(self, subscription: Subscription) -> None:
        """Let go of a stream whose reader stopped reading: its response is cancelled where
        it waits to send, and nothing more is queued for it."""
        logger.info("live updates: a reader fell behind and was dropped")
        self.unsubscribe(subscription)
        if subscription.task is not None:
            subscription.task.cancel()

    def _ensure_listener(self, loop: asyncio.AbstractEventLoop) -> None:
        postgresql = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
        if postgresql and (self._listener is None or self._listener.done()):
            self._listener = loop.create_task(self._listen())

    async def _listen(self) -> None:
        """Hear NOTIFY on one connection of this process; reconnect when it drops."""
        import psycopg
        from psycopg.conninfo import make_conninfo

        db = settings.DATABASES["default"]
        conninfo = make_conninfo(
            dbname=db["NAME"],
            user=db.get("USER") or None,
            password=db.get("PASSWORD") or None,
            host=db.get("HOST") or None,
            port=db.get("PORT") or None,
        )
        while self._subscriptions:
            try:
                async with await psycopg.AsyncConnection.connect(
                    conninfo, autocommit=True
                ) as listener:
                    await listener.execute(f"LISTEN {CHANNEL}")
                    # Anything committed while no one listened is read now.
                    for situation_id in list(self._subscriptions):
                        self.wake(situation_id)
                    async for notify in listener.notifies():
                        with contextlib.suppress(ValueError):
                            self.wake(int(notify.payload))
            except psycopg.OperationalError:
                logger.warning("live updates: listener connection lost; reconnecting")
                await asyncio.sleep(1)


broker = Broker()


def visible(
    payloads: Iterable[dict[str, Any]], after: int, reach: LogReach
) -> list[tuple[int, dict[str, Any]]]:
    """Payloads after a revision that a reader may see (body and marking), each with its
    revision, as the reader gets them: the access data and the revision stripped (it counts
    hidden entries too; the stream seals it into the event id), and the corrected entry
    named only when the reader may see it too. Hidden entries are dropped whole, id and all."""
    shown = []
    for payload in payloads:
        body_id, marking_id, corrected = payload[ACCESS]
        if payload["rev"] <= after or not reach.sees(body_id, marking_id):
            continue
        public = {k: v for k, v in payload.items() if k not in (ACCESS, "rev")}
        if corrected is not None and not reach.sees(*corrected):
            public["corrects"] = None
        shown.append((payload["rev"], public))
    return shown
