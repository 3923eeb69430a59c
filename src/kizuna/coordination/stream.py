"""The server-sent event stream of a situation's log: `GET /coordination/situations/<id>/events`.

An async view under ASGI. The reader's access is decided when the stream opens (which
situation, which bodies, which markings), and again whenever a batch of entries comes with a
new access token (core.access): a membership or clearance revoked while the stream is open
counts from the next entry, and a reader who lost the situation is let go. Between batches
the stream waits on the process's broker (see live.py). The browser's
EventSource reconnects by itself and sends Last-Event-ID; a first connection names the last
revision its page showed with `?after=`.

Neither is a revision: revisions count every entry of the situation, hidden ones too, so an
event's id is the revision sealed for its reader (core.cursors, `cursor_for`): opaque,
different every time, good only for that reader and situation. A cursor that does not
unseal (forged, altered, another reader's) is refused with 400 and no stream.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIRequest
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext

from kizuna.core import access, cursors
from kizuna.core.models import Person

from . import policy, selectors
from .live import Batch, Subscription, broker, visible
from .policy import LogReach

# A comment line this often keeps proxies from closing an idle stream.
KEEPALIVE_SECONDS = 15.0


CURSOR = "coordination.live"


def cursor_for(person: Person, situation: str, rev: int) -> str:
    """The opaque event id a reader gets for a revision of a situation's log (the situation
    by its public id)."""
    return cursors.seal(CURSOR, reader=person.pk, scope=situation, position=rev)


def _frame(batch: Batch, rev: int, payload: dict[str, Any], event_id: str) -> bytes:
    """The event as sent. A payload differs between readers only in `corrects` (visible()),
    so its encoding is shared by every stream of the process (at thousands of streams,
    encoding each entry once per stream repeats the same work thousands of times); only the
    event id, sealed for each reader, is not."""
    key = (rev, payload.get("corrects"))
    data = batch.frames.get(key)
    if data is None:
        encoded = json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False)
        data = batch.frames[key] = f"event: entry\ndata: {encoded}\n\n".encode()
    return f"id: {event_id}\n".encode() + data


def _resume_point(request: HttpRequest, person: Person, situation: str) -> int | None:
    """Where the reader left off, unsealed; InvalidCursor when it is not theirs."""
    raw = request.headers.get("Last-Event-ID") or request.GET.get("after")
    if not raw:
        return None
    return cursors.unseal(CURSOR, raw, reader=person.pk, scope=situation)


def _decide(person: Person) -> tuple[LogReach, str | None]:
    """The reader's reach, and the access token it was decided against (read first, so a
    change committed meanwhile makes the stream decide again; core.access)."""
    token = access.current_token()
    return policy.log_reach(person), token


def _open(
    person: Person, situation_id: str, resume: int | None
) -> tuple[int, int, LogReach, str | None]:
    """Access and starting point: a reader never gets a hidden entry, even as a bare id, live
    or on replay. Runs in the request's own thread, whose database connection is then
    closed: an open stream holds none."""
    try:
        situation = selectors.situation_get(person=person, public_id=situation_id)
        start = situation.last_seq if resume is None else resume
        return situation.pk, start, *_decide(person)
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
    subscription: Subscription, situation: str, person: Person, reach: LogReach, token: str | None
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
                _frame(batch, rev, payload, cursor_for(person, situation, rev))
                for rev, payload in visible(batch.payloads, subscription.last, reach)
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
    request: HttpRequest, situation_id: str
) -> HttpResponse | StreamingHttpResponse:
    user = await request.auser()
    if not isinstance(user, Person) or not user.is_active:
        return HttpResponse(status=401)
    if not isinstance(request, ASGIRequest):
        # Under WSGI Django reads an async stream to its end before sending any of it: an
        # endless one would hold its thread for good. 204 tells the browser not to retry;
        # the page works without live updates (`kizuna serve` runs ASGI).
        return HttpResponse(status=204)
    try:
        resume = _resume_point(request, user, situation_id)
    except cursors.InvalidCursor:
        message = gettext(
            "This position in the live log is not valid for you. Reload the page to follow it."
        )
        return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
    try:
        pk, start, reach, token = await sync_to_async(_open)(user, situation_id, resume)
    except Http404:
        return HttpResponse(status=404)
    subscription = broker.subscribe(pk, start)
    response = StreamingHttpResponse(_events(subscription, situation_id, user, reach, token))
    response["Content-Type"] = "text/event-stream; charset=utf-8"
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"
    return response
