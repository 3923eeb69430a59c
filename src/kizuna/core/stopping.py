"""What a web process does when it is told to stop.

uvicorn answers SIGTERM and SIGINT by taking no new connections and waiting, up to its
graceful timeout (`KIZUNA_STOP_SECONDS`), for open responses to end. A live stream never
ends by itself: every stop would last the whole bound and then cut the streams mid-line.
Apps register what ends their long responses (`on_stop`; coordination's broker ends each
stream after what it has sent, and the browser reconnects to a server that is up and resumes
from Last-Event-ID), and `kizuna.asgi` chains it onto uvicorn's own signal handler, which
uvicorn installs before it imports the application.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable
from types import FrameType

import uvicorn

Handler = Callable[[int, FrameType | None], None]

_on_stop: list[Callable[[], None]] = []


def on_stop(callback: Callable[[], None]) -> None:
    """Call `callback` when the server is told to stop (from the signal handler, in the
    event loop's thread: it must only schedule work, e.g. `call_soon_threadsafe`)."""
    _on_stop.append(callback)


def stopping() -> None:
    for callback in _on_stop:
        callback()


def _chained(server_handler: Callable[[int, FrameType | None], object]) -> Handler:
    def handler(signum: int, frame: FrameType | None) -> None:
        stopping()
        server_handler(signum, frame)

    return handler


def chain_server_signals() -> None:
    """Run the `on_stop` callbacks, then uvicorn's handler, on SIGTERM and SIGINT. Does
    nothing outside a uvicorn server process (tests, management commands)."""
    if threading.current_thread() is not threading.main_thread():
        return
    for signum in (signal.SIGTERM, signal.SIGINT):
        previous = signal.getsignal(signum)
        if callable(previous) and isinstance(getattr(previous, "__self__", None), uvicorn.Server):
            signal.signal(signum, _chained(previous))
