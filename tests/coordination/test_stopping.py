"""A web process told to stop ends its open live streams at once (core.stopping chained onto
uvicorn's own signal handler), instead of holding the stop until its bound."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
import uvicorn

from kizuna.coordination.live import broker
from kizuna.core.stopping import chain_server_signals


@pytest.fixture
def uvicorn_handling_sigterm() -> Iterator[uvicorn.Server]:
    """SIGTERM handled as uvicorn handles it in a serving process; put back afterwards."""
    server = uvicorn.Server(uvicorn.Config(app="kizuna.asgi:application"))
    before = signal.signal(signal.SIGTERM, server.handle_exit)
    try:
        yield server
    finally:
        signal.signal(signal.SIGTERM, before)
        broker.stopping = False


def test_sigterm_ends_open_streams_and_still_stops_the_server(
    uvicorn_handling_sigterm: uvicorn.Server,
) -> None:
    chain_server_signals()
    handler = signal.getsignal(signal.SIGTERM)
    assert callable(handler)

    async def stream_then_stop() -> object:
        subscription = broker.subscribe(situation_id=1, last=0)
        try:
            handler(signal.SIGTERM, None)
            return await asyncio.wait_for(subscription.batches.get(), timeout=30)
        finally:
            broker.unsubscribe(subscription)

    # A loop of its own in a thread of its own: the suite may hold a running loop here.
    with ThreadPoolExecutor(max_workers=1) as thread:
        assert thread.submit(asyncio.run, stream_then_stop()).result() is None  # "stop"
    assert broker.stopping  # a stream opened from now on ends at once
    assert uvicorn_handling_sigterm.should_exit


def test_a_stream_whose_loop_ended_without_leaving_is_let_go_at_the_stop(
    uvicorn_handling_sigterm: uvicorn.Server,
) -> None:
    async def subscribe_and_vanish() -> object:
        return broker.subscribe(situation_id=2, last=0)

    with ThreadPoolExecutor(max_workers=1) as thread:
        left = thread.submit(asyncio.run, subscribe_and_vanish()).result()
    assert left.loop.is_closed()  # type: ignore[attr-defined]
    broker.stop_streams()
    assert left not in broker._subscriptions.get(2, set())


def test_outside_a_uvicorn_process_nothing_is_chained() -> None:
    before = signal.getsignal(signal.SIGTERM)
    chain_server_signals()
    assert signal.getsignal(signal.SIGTERM) is before
