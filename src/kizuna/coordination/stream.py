"""The server-sent event stream of a situation's log: `GET /coordination/situations/<id>/events`.

An async view under ASGI. The reader's access is decided once, when the stream opens (which
situation, which bodies); then it waits on the process's broker (see live.py). The browser's
EventSource reconnects by itself and sends Last-Event-ID; a first connection names the last
revision its page showed with `?after=`.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

from asgiref.sync import sync_to_async
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.db.models import Max
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse

from kizuna.core.models import Person
from kizuna.sharing.models import MarkingSet

from . import policy, selectors
from .live import Subscription, broker, visible
from .policy import LogReach
from .selectors import ACCESS

# A comment line this often keeps proxies from closing an idle stream.
KEEPALIVE_SECONDS = 15.0


def _frame(payload: dict[str, Any]) -> bytes:
    data = json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False)
    return f"id: {payload['rev']}\nevent: entry\ndata: {data}\n\n".encode()


def _resume_point(request: HttpRequest) -> int | None:
    raw = request.headers.get("Last-Event-ID") or request.GET.get("after")
    return int(raw) if raw and raw.isdigit() else None


def _decide(person: Person) -> tuple[LogReach, int]:
    """The reader's reach, and the newest marking row it was decided against (read first, so
    a marking made meanwhile counts as undecided)."""
    newest = MarkingSet.objects.aggregate(newest=Max("pk"))["newest"] or 0
    return policy.log_reach(person), newest


def _open(person: Person, situation_id: int, resume: int | None) -> tuple[int, LogReach, int]:
    """Access and starting point, decided once (bodies and markings): a reader never gets a
    hidden entry, even as a bare id, live or on replay. Runs in the request's own thread,
    whose database connection is then closed: an open stream holds none."""
    try:
        situation = selectors.situation_get(person=person, pk=situation_id)
        return (situation.last_seq if resume is None else resume), *_decide(person)
    finally:
        connection.close()


def _redecide(person: Person) -> tuple[LogReach, int]:
    try:
        return _decide(person)
    finally:
        connection.close()


def _read_after(situation_id: int, after: int) -> list[dict[str, Any]]:
    """Everything after a revision, however much a long-absent reader missed. Runs in a
    shared worker thread, which keeps no connection between reads: streams may number
    thousands, database connections may not."""
    payloads: list[dict[str, Any]] = []
    try:
        while chunk := selectors.live_payloads(situation_id, after):
            payloads.extend(chunk)
            after = chunk[-1]["rev"]
    finally:
        connection.close()
    return payloads


broker.fetch = _read_after


async def _events(
    subscription: Subscription, person: Person, reach: LogReach, newest: int
) -> AsyncIterator[bytes]:
    read = sync_to_async(_read_after, thread_sensitive=False)
    try:
        yield b"retry: 2000\n\n"
        pending = await read(subscription.situation_id, subscription.last)
        while True:
            if any(p[ACCESS][1] > newest for p in pending):
                # An entry bears a marking made after the reach was decided: decide again.
                reach, newest = await sync_to_async(_redecide, thread_sensitive=False)(person)
            for payload in visible(pending, subscription.last, reach):
                yield _frame(payload)
            if pending:
                subscription.last = max(subscription.last, pending[-1]["rev"])
            try:
                batch = await asyncio.wait_for(subscription.batches.get(), KEEPALIVE_SECONDS)
            except TimeoutError:
                pending = []
                yield b": keep-alive\n\n"
                continue
            if batch.after > subscription.last:
                # The broker's read began after what this stream has sent: fill the gap.
                pending = await read(subscription.situation_id, subscription.last)
            else:
                pending = batch.payloads
    finally:
        broker.unsubscribe(subscription)


async def situation_events(
    request: HttpRequest, situation_id: int
) -> HttpResponse | StreamingHttpResponse:
    user = await request.auser()
    if not isinstance(user, Person) or not user.is_active:
        return HttpResponse(status=401)
    try:
        start, reach, newest = await sync_to_async(_open)(
            user, situation_id, _resume_point(request)
        )
    except Http404:
        return HttpResponse(status=404)
    subscription = broker.subscribe(situation_id, start)
    response = StreamingHttpResponse(_events(subscription, user, reach, newest))
    response["Content-Type"] = "text/event-stream; charset=utf-8"
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"
    return response
