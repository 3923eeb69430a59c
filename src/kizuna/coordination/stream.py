"""The server-sent event stream of a situation's log: `GET /coordination/situations/<id>/events`.

An async view under ASGI. The reader's access is decided when the stream opens (which
situation, which bodies, which markings), and again whenever a batch of entries comes with a
new access token (core.access): a membership or clearance revoked while the stream is open
counts from the next entry, and a reader who lost the situation is let go. Between batches
the stream waits on the process's broker (see live.py). The browser's
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
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse

from kizuna.core import access
from kizuna.core.models import Person

from . import policy, selectors
from .live import Batch, Subscription, broker, visible
from .policy import LogReach

# A comment line this often keeps proxies from closing an idle stream.
KEEPALIVE_SECONDS = 15.0


def _frame(batch: Batch, payload: dict[str, Any]) -> bytes:
    """The event as sent. A payload differs between readers only in `corrects` (visible()),
    so the encoding is shared by every stream of the process: at thousands of streams,
    encoding each entry once per stream repeats the same work thousands of times."""
    key = (payload["rev"], payload.get("corrects"))
    frame = batch.frames.get(key)
    if frame is None:
        data = json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False)
        frame = batch.frames[key] = f"id: {payload['rev']}\nevent: entry\ndata: {data}\n\n".encode()
    return frame


def _resume_point(request: HttpRequest) -> int | None:
    raw = request.headers.get("Last-Event-ID") or request.GET.get("after")
    return int(raw) if raw and raw.isdigit() else None


def _decide(person: Person) -> tuple[LogReach, str | None]:
    """The reader's reach, and the access token it was decided against (read first, so a
    change committed meanwhile makes the stream decide again; core.access)."""
    token = access.current_token()
    return policy.log_reach(person), token


def _open(
    person: Person, situation_id: int, resume: int | None
) -> tuple[int, LogReach, str | None]:
    """Access and starting point: a reader never gets a hidden entry, even as a bare id, live
    or on replay. Runs in the request's own thread, whose database connection is then
    closed: an open stream holds none."""
    try:
        situation = selectors.situation_get(person=person, pk=situation_id)
        return (situation.last_seq if resume is None else resume), *_decide(person)
    finally:
        connection.close()


def _redecide(person: Person) -> tuple[LogReach, str | None]:
    try:
        return _decide(person)
    finally:
        connection.close()


def _read_after(situation_id: int, after: int) -> Batch:
    """Everything after a revision, however much a long-absent reader missed, and then the
    access token: read after the entries, so any change of access committed before the
    newest of them shows as a new token. Runs in a shared worker thread, which keeps no
    connection between reads: streams may number thousands, database connections may not."""
    payloads: list[dict[str, Any]] = []
    newest = after
    try:
        while chunk := selectors.live_payloads(situation_id, newest):
            payloads.extend(chunk)
            newest = chunk[-1]["rev"]
        return Batch(after=after, payloads=payloads, token=access.current_token())
    finally:
        connection.close()


broker.fetch = _read_after


async def _events(
    subscription: Subscription, person: Person, reach: LogReach, token: str | None
) -> AsyncIterator[bytes]:
    read = sync_to_async(_read_after, thread_sensitive=False)
    subscription.task = asyncio.current_task()
    try:
        # What was missed is read before the first line goes out, so a client that has the
        # first line knows the stream is listening and caught up.
        batch = await read(subscription.situation_id, subscription.last)
        yield b"retry: 2000\n\n"
        while True:
            if batch.token != token or token is None:
                # Access changed since the reach was decided (a membership, a clearance, a
                # marking first used): decide again before sending anything of this batch.
                reach, token = await sync_to_async(_redecide, thread_sensitive=False)(person)
                if not reach.sees_situation(subscription.situation_id):
                    return  # the situation is hidden from them now: the stream ends
            # One write for the whole batch, not one per entry.
            frames = b"".join(
                _frame(batch, payload)
                for payload in visible(batch.payloads, subscription.last, reach)
            )
            if frames:
                yield frames
            if batch.payloads:
                subscription.last = max(subscription.last, batch.payloads[-1]["rev"])
            if broker.stopping:
                return
            try:
                next_batch = await asyncio.wait_for(subscription.take(), KEEPALIVE_SECONDS)
            except TimeoutError:
                batch = Batch(after=subscription.last, payloads=[], token=token)
                yield b": keep-alive\n\n"
                continue
            if next_batch is None:
                return  # the server is stopping; the browser reconnects elsewhere
            batch = next_batch
            if batch.after > subscription.last:
                # The broker's read began after what this stream has sent: fill the gap.
                batch = await read(subscription.situation_id, subscription.last)
    finally:
        broker.unsubscribe(subscription)


async def situation_events(
    request: HttpRequest, situation_id: int
) -> HttpResponse | StreamingHttpResponse:
    user = await request.auser()
    if not isinstance(user, Person) or not user.is_active:
        return HttpResponse(status=401)
    try:
        start, reach, token = await sync_to_async(_open)(user, situation_id, _resume_point(request))
    except Http404:
        return HttpResponse(status=404)
    subscription = broker.subscribe(situation_id, start)
    response = StreamingHttpResponse(_events(subscription, user, reach, token))
    response["Content-Type"] = "text/event-stream; charset=utf-8"
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"
    return response
