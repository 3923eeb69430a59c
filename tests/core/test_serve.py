"""`kizuna serve` as a service manager drives it: it stops cleanly on SIGTERM with nothing
left running, it stops when one of its children dies, and it refuses what would quietly
break live updates. `supervise` itself kills what ignores the stop."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import translation

from kizuna.core.processes import Child, supervise

from .conftest import command_env, free_port


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the guard is SQLite's")
def test_several_processes_on_sqlite_are_refused_before_anything_starts() -> None:
    with pytest.raises(CommandError, match="--workers 1"):
        call_command("serve", workers=2)


# --- processes, as /proc shows them ---------------------------------------------------------


def _stat(pid: int) -> tuple[str, int] | None:
    """(state, parent pid), or None once the process is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return None
    return fields[0], int(fields[1])


def descendants(pid: int) -> set[int]:
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (stat := _stat(int(entry.name))):
            parents[int(entry.name)] = stat[1]
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier}
        found |= frontier
    return found


def running(pids: set[int]) -> set[int]:
    """Those still running (a zombie has stopped; it only waits to be reaped)."""
    return {pid for pid in pids if (stat := _stat(pid)) is not None and stat[0] != "Z"}


# --- the real service -------------------------------------------------------------------------


class Service:
    """`kizuna serve` in a process of its own, with the pids it announced."""

    def __init__(self, database_url: str, data_dir: Path) -> None:
        self.port = free_port()
        workers = "1" if database_url.startswith("sqlite") else "2"
        env = command_env(database_url, data_dir)
        env["KIZUNA_STOP_SECONDS"] = "5"
        argv = [sys.executable, "-m", "kizuna.cli", "serve", "--port", str(self.port)]
        self.process = subprocess.Popen(
            [*argv, "--workers", workers],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.output: list[str] = []
        self.pids: dict[str, int] = {}
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.output.append(line)
            name, _, pid = line.strip().partition(": pid ")
            if pid.isdigit():
                self.pids[name] = int(pid)
            if len(self.pids) == 2:
                break
        # The rest of the output is read as it comes, so that the service never blocks on a
        # full pipe.
        self.reader = threading.Thread(target=self._read_rest, daemon=True)
        self.reader.start()

    def _read_rest(self) -> None:
        assert self.process.stdout is not None
        self.output.extend(self.process.stdout)

    def healthz(self) -> dict[str, object]:
        """/healthz once the web server answers (it may take a while to start)."""
        for _ in range(600):
            try:
                return httpx.get(f"http://127.0.0.1:{self.port}/healthz", timeout=5).json()
            except httpx.TransportError:
                assert self.process.poll() is None, "".join(self.output)
                time.sleep(0.2)
        raise AssertionError("the web server never answered:\n" + "".join(self.output))

    def wait(self) -> int:
        code = self.process.wait(timeout=120)
        self.reader.join(timeout=10)
        return code


@pytest.fixture
def service(served_database: str, tmp_path: Path) -> Iterator[Service]:
    started = Service(served_database, tmp_path / "var")
    yield started
    # A failed test leaves nothing running either.
    for pid in running(descendants(started.process.pid) | {started.process.pid}):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    started.process.wait()


@pytest.mark.django_db
def test_sigterm_stops_the_web_server_and_the_worker_and_leaves_nothing(service: Service) -> None:
    assert service.healthz()["status"] == "ok"
    # The worker's heartbeat shows on /healthz once it has taken its first task.
    for _ in range(300):
        worker = service.healthz()["worker"]
        if worker["alive"]:  # type: ignore[index]
            break
        time.sleep(0.2)
    assert worker["last_seen"] is not None  # type: ignore[index]
    children = descendants(service.process.pid)
    # The web server and the worker; on PostgreSQL also uvicorn's two serving processes.
    assert {service.pids["web server"], service.pids["task worker"]} <= children
    service.process.send_signal(signal.SIGTERM)
    assert service.wait() == 0, "".join(service.output)
    assert running(children) == set(), "".join(service.output)
    assert "Kizuna stopped" in "".join(service.output)


@pytest.mark.django_db
def test_a_dead_worker_stops_the_service_so_its_supervisor_restarts_it(service: Service) -> None:
    service.healthz()
    children = descendants(service.process.pid)
    os.kill(service.pids["task worker"], signal.SIGKILL)
    assert service.wait() != 0
    assert running(children) == set()
    assert "task worker stopped unexpectedly" in "".join(service.output)


# --- the supervisor alone, with children that misbehave ---------------------------------------

STUBBORN = """
import signal, sys, time
signal.signal(signal.SIGTERM, signal.SIG_IGN)
open(sys.argv[1], "w").write("ready")
time.sleep(120)
"""

LEAVES_A_STUBBORN_CHILD = """
import subprocess, sys
child = subprocess.Popen([sys.executable, "-c", sys.argv[1], sys.argv[2]])
while True:
    try:
        if open(sys.argv[2]).read() == "ready":
            break
    except FileNotFoundError:
        pass
open(sys.argv[3], "w").write(str(child.pid))
sys.exit(3)
"""


SLEEPS = "import time; time.sleep(120)"


def _python(code: str, *args: object) -> list[str]:
    return [sys.executable, "-c", code, *map(str, args)]


def _when_file(path: Path, then: Callable[[], None]) -> threading.Thread:
    def watch() -> None:
        while not path.exists() or not path.read_text():
            time.sleep(0.05)
        then()

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    return thread


def test_a_child_that_ignores_sigterm_is_killed_after_the_bound(tmp_path: Path) -> None:
    ready = tmp_path / "ready"
    _when_file(ready, lambda: os.kill(os.getpid(), signal.SIGTERM))
    outcome = supervise(
        [Child("stubborn", _python(STUBBORN, ready)), Child("polite", _python(SLEEPS))],
        stop_seconds=0.5,
        kill_grace=0.5,
        announce=lambda line: None,
    )
    assert outcome.exit_code == 0
    assert outcome.signal_name == "SIGTERM"
    assert outcome.killed == ("stubborn",)


def test_a_dead_child_stops_the_others_and_what_it_left_behind(tmp_path: Path) -> None:
    ready, orphan = tmp_path / "ready", tmp_path / "orphan"
    said: list[str] = []
    with translation.override("en"):  # the supervisor's announcements, read in English
        outcome = supervise(
            [
                Child("leaver", _python(LEAVES_A_STUBBORN_CHILD, STUBBORN, ready, orphan)),
                Child("polite", _python(SLEEPS)),
            ],
            stop_seconds=0.5,
            kill_grace=0.5,
            announce=said.append,
        )
    assert (outcome.exit_code, outcome.died, outcome.died_code) == (1, "leaver", 3)
    # Its child ignored SIGTERM in the leaver's process group: killed with the group.
    assert outcome.killed == ("leaver",)
    assert running({int(orphan.read_text())}) == set()
    assert "leaver exited with code 3: stopping the service" in said
