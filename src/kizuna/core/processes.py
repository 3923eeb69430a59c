"""Child processes that start, stop and die as one service (what `kizuna serve` runs).

A service manager (systemd, a container runtime, a shell's Ctrl-C) signals only the process
it started. `supervise` starts each child in a process group of its own, so that a terminal's
Ctrl-C reaches the children once, through it (uvicorn takes a second SIGINT as "quit now"):

- SIGTERM or SIGINT is forwarded to every child, which finishes what it is doing (requests,
  streams, the task at hand); whatever is still running `stop_seconds` plus `KILL_GRACE`
  later is killed, process group and all, so nothing is left behind;
- when a child dies unbidden the others are stopped the same way and `supervise` returns
  non-zero, so the service manager restarts the whole service;
- should `supervise` itself be killed outright (SIGKILL), the kernel sends each child
  SIGTERM (Linux's parent-death signal), so the children still stop.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from types import FrameType

from django.utils.translation import gettext as _

# How long after the drain bound a child that did not stop is killed: time to write its logs.
KILL_GRACE = 5.0
FORWARDED = (signal.SIGTERM, signal.SIGINT)
_PR_SET_PDEATHSIG = 1


@dataclass(frozen=True)
class Child:
    name: str
    argv: Sequence[str]


@dataclass(frozen=True)
class Outcome:
    """How the service ended: asked to stop (`signal_name`), or a child died (`died`)."""

    exit_code: int
    signal_name: str | None = None
    died: str | None = None
    died_code: int | None = None
    killed: tuple[str, ...] = ()


def _stop_with_parent(parent_pid: int) -> Callable[[], None]:
    """Runs in the child between fork and exec: ask the kernel for SIGTERM when the parent
    dies (Linux only), and stop at once if it already has."""
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)

    def arrange() -> None:
        if sys.platform.startswith("linux"):
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != parent_pid:
            os.kill(os.getpid(), signal.SIGTERM)

    return arrange


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextlib.contextmanager
def _signals_to(event: threading.Event, received: list[int]) -> Iterator[None]:
    def note(signum: int, frame: FrameType | None) -> None:
        received.append(signum)
        event.set()

    def child_changed(signum: int, frame: FrameType | None) -> None:
        event.set()

    handled = (*FORWARDED, signal.SIGCHLD)
    previous = {sig: signal.getsignal(sig) for sig in handled}
    for sig in FORWARDED:
        signal.signal(sig, note)
    signal.signal(signal.SIGCHLD, child_changed)
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def supervise(
    children: Sequence[Child],
    *,
    stop_seconds: float,
    kill_grace: float = KILL_GRACE,
    announce: Callable[[str], None] = print,
    env: dict[str, str] | None = None,
) -> Outcome:
    """Run the children until a signal or a child's death; stop all of them; say how it
    ended. The caller exits with `Outcome.exit_code`."""
    wake = threading.Event()
    received: list[int] = []
    running: dict[str, subprocess.Popen[bytes]] = {}
    with _signals_to(wake, received):
        for child in children:
            process = subprocess.Popen(
                list(child.argv),
                process_group=0,
                preexec_fn=_stop_with_parent(os.getpid()),
                env=env,
            )
            running[child.name] = process
            announce(_("%(name)s: pid %(pid)s") % {"name": child.name, "pid": process.pid})
        died: tuple[str, int] | None = None
        while not received and died is None:
            wake.wait(1.0)
            wake.clear()
            died = next(
                ((name, p.returncode) for name, p in running.items() if p.poll() is not None),
                None,
            )
        if received:
            signum = received[0]
            announce(
                _("%(signal)s: stopping within %(bound)s s")
                % {"signal": signal.Signals(signum).name, "bound": f"{stop_seconds:g}"}
            )
        else:
            assert died is not None
            signum = signal.SIGTERM
            announce(
                _("%(name)s exited with code %(code)s: stopping the service")
                % {"name": died[0], "code": died[1]}
            )
        killed = _stop_all(running, signum, stop_seconds + kill_grace, received, announce)
    if died is not None:
        return Outcome(exit_code=1, died=died[0], died_code=died[1], killed=killed)
    return Outcome(exit_code=0, signal_name=signal.Signals(signum).name, killed=killed)


def _stop_all(
    running: dict[str, subprocess.Popen[bytes]],
    signum: int,
    bound: float,
    received: list[int],
    announce: Callable[[str], None],
) -> tuple[str, ...]:
    """Signal each living child, wait until all are gone or `bound` has passed, then kill
    whatever is left of each child's process group (a child that ignored the signal, or
    processes it left behind). A signal arriving meanwhile is passed on too: a second
    Ctrl-C means "quit now" to uvicorn and to the task worker."""
    for process in running.values():
        if process.poll() is None:
            process.send_signal(signum)
    forwarded = len(received)
    deadline = time.monotonic() + bound
    while time.monotonic() < deadline and any(p.poll() is None for p in running.values()):
        time.sleep(0.1)
        for extra in received[forwarded:]:
            for process in running.values():
                if process.poll() is None:
                    process.send_signal(extra)
        forwarded = len(received)
    killed = []
    for name, process in running.items():
        if process.poll() is None or _group_alive(process.pid):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            killed.append(name)
            announce(
                _("%(name)s: still running after %(bound)s s, killed")
                % {"name": name, "bound": f"{bound:g}"}
            )
        process.wait()
        # Killed processes are gone only once the kernel has ended them: wait, so that what
        # comes next (a restart on the same port) finds them gone.
        settled = time.monotonic() + KILL_GRACE
        while _group_alive(process.pid) and time.monotonic() < settled:
            time.sleep(0.05)
    return tuple(killed)
