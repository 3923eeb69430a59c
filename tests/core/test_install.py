"""An installed Kizuna is whole: the wheel built from the repository's files holds every
template, static file and compiled catalogue, and installed into a fresh virtual environment
it migrates a database and serves the Japanese sign-in page with its static files.

Offline: the wheel is built with the build backend already installed (no build isolation),
and the fresh environment finds the dependencies in this one's site-packages (a path in a
.pth file, which adds the directory alone: this environment's editable Kizuna, hooked in by
a .pth file of its own, stays out).
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import sysconfig
import time
import zipfile
from pathlib import Path

import httpx
import pytest
from django.apps import apps as django_apps
from django.db import connection

from .conftest import command_env, free_port

REPOSITORY = Path(__file__).resolve().parents[2]


def tracked_files() -> list[str]:
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=REPOSITORY, capture_output=True, text=True, check=True
    )
    return [name for name in listed.stdout.split("\0") if name]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel of the repository's tracked files, as a fresh clone would build it."""
    source = tmp_path_factory.mktemp("source")
    for name in tracked_files():
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPOSITORY / name, source / name)
    out = tmp_path_factory.mktemp("wheel")
    pip = [sys.executable, "-m", "pip", "--quiet", "wheel", "--no-deps"]
    subprocess.run(
        [*pip, "--no-build-isolation", "--no-index", "--wheel-dir", str(out), str(source)],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("kizuna-*.whl")
    return built


def test_the_wheel_holds_every_template_static_file_and_catalogue(wheel: Path) -> None:
    data = {
        name.removeprefix("src/")
        for name in tracked_files()
        if name.startswith("src/kizuna/") and not name.endswith(".py")
    }
    with zipfile.ZipFile(wheel) as archive:
        inside = set(archive.namelist())
    assert data - inside == set()
    # The compiled Japanese catalogue of the project and of every app.
    catalogues = {name for name in inside if name.endswith("/ja/LC_MESSAGES/django.mo")}
    apps = {
        config.name.replace(".", "/")
        for config in django_apps.get_app_configs()
        if config.name.startswith("kizuna.") and config.name != "kizuna.core"
    }
    assert {name.split("/locale/")[0] for name in catalogues} == {"kizuna", *apps}


@pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="what is installed does not depend on the engine: the SQLite run installs it",
)
def test_an_installed_kizuna_serves_the_japanese_sign_in_page(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site_packages = Path(
        subprocess.run(
            [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    (site_packages / "kizuna-dependencies.pth").write_text(sysconfig.get_paths()["purelib"])
    pip = [sys.executable, "-m", "pip", "--quiet", "--python", str(python)]
    subprocess.run(
        [*pip, "install", "--no-deps", "--no-index", str(wheel)],
        check=True,
        capture_output=True,
    )
    env = command_env(f"sqlite:///{tmp_path / 'kizuna.sqlite3'}", tmp_path / "var")
    kizuna = str(venv / "bin" / "kizuna")
    where = subprocess.run(
        [python, "-c", "import kizuna; print(kizuna.__file__)"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    assert where.stdout.startswith(str(site_packages))
    subprocess.run([kizuna, "migrate", "--verbosity", "0"], env=env, cwd=tmp_path, check=True)

    port = free_port()
    server = subprocess.Popen(
        [kizuna, "serve", "--port", str(port), "--no-worker"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        page = _when_up(f"{base}/login/", server)
        assert page.status_code == 200
        assert "サインイン" in page.text  # the Japanese catalogue is there and compiled
        for asset in (
            "/static/kizuna/kizuna.css",
            "/static/coordination/coordination.js",
            "/static/sharing/sharing.css",
        ):
            assert httpx.get(base + asset).status_code == 200, asset
    finally:
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=60) == 0


def _when_up(url: str, server: subprocess.Popen[bytes]) -> httpx.Response:
    for _ in range(600):
        try:
            return httpx.get(url, headers={"Accept-Language": "ja"}, timeout=5)
        except httpx.TransportError:
            assert server.poll() is None, "the installed server stopped"
            time.sleep(0.2)
    raise AssertionError("the installed server never answered")
