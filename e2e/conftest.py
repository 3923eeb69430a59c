"""Browser tests: Playwright drives Debian's Chromium (never a downloaded browser) against a
live server. Without Chromium they are skipped and say so, unless KIZUNA_REQUIRE_BROWSER is
set (CI), where a missing browser fails the run."""

from __future__ import annotations

import os
import shutil
import time
import urllib.request
from base64 import b32decode
from collections.abc import Callable, Iterator

import pytest

# Playwright's sync API runs an event loop in this thread; the test body's ORM calls are
# still plain synchronous code, so Django's async guard does not apply here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("KIZUNA_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if "e2e" in item.nodeid.split("/")[0]:
            item.add_marker(pytest.mark.e2e)
            item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True))


@pytest.fixture(scope="session")
def browser(django_db_setup: None) -> Iterator[object]:
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        message = f"Chromium not found at {CHROMIUM}: apt-get install chromium"
        if os.environ.get("KIZUNA_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # Playwright's event loop gives this thread a new context, and with it new connection
    # objects that lack the snapshot serialized rollback restores reference data from.
    snapshots = {
        alias: connections[alias]._test_serialized_contents  # type: ignore[attr-defined]
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }
    with sync_playwright() as playwright:
        for alias, snapshot in snapshots.items():
            connections[alias]._test_serialized_contents = snapshot  # type: ignore[attr-defined]
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


PASSWORD = "correct horse battery staple"
# Sent by every browser test's pages: the Content-Security-Policy refused something.
CSP_REFUSAL = "Content Security Policy"


def watch_policy(page: object, refusals: list[str]) -> None:
    """Collect what the CSP refused on this page (the browser says so on its console)."""

    def on_console(message: object) -> None:
        text = message.text  # type: ignore[attr-defined]
        if message.type == "error" and CSP_REFUSAL in text:  # type: ignore[attr-defined]
            refusals.append(f"{page.url}: {text}")  # type: ignore[attr-defined]

    page.on("console", on_console)  # type: ignore[attr-defined]


def _authenticator_code(username: str) -> str:
    """What the person's authenticator app shows: the first time step not yet used."""
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user__username=username, confirmed=True)
    now_step = int(time.time()) // 30
    step = max(now_step, device.last_t + 1)
    assert step <= now_step + device.tolerance, "signed in too often within one minute"
    totp = TOTP(device.bin_key)
    totp.time = step * 30
    return f"{totp.token():06d}"


def totp_code_from_page(page: object) -> str:
    """Read the secret the enrolment page prints, and answer as an authenticator app would."""
    from django_otp.oath import TOTP

    secret = page.get_by_test_id("totp-secret").inner_text().replace(" ", "")  # type: ignore[attr-defined]
    totp = TOTP(b32decode(secret))
    totp.time = time.time()
    return f"{totp.token():06d}"


def sign_in(page: object, username: str, password: str = PASSWORD) -> None:
    """Sign in through the pages as a person does: the password, then the second factor when
    it is asked for. Someone whose role requires one and who has none sets up an
    authenticator app on the way, from the secret the page shows."""
    page.goto("/login/")  # type: ignore[attr-defined]
    page.locator("input[name=username]").fill(username)  # type: ignore[attr-defined]
    page.locator("input[name=password]").fill(password)  # type: ignore[attr-defined]
    page.locator("main form button[type=submit]").click()  # type: ignore[attr-defined]
    page.wait_for_url(lambda url: not url.endswith("/login/"))  # type: ignore[attr-defined]
    if "/settings/second-factor/" in page.url:  # type: ignore[attr-defined]
        page.locator("input[name=code]").fill(totp_code_from_page(page))  # type: ignore[attr-defined]
        page.locator("main form button[type=submit]").click()  # type: ignore[attr-defined]
        page.get_by_test_id("recovery-codes").wait_for()  # type: ignore[attr-defined]
        page.locator("main a.button").click()  # type: ignore[attr-defined]
    elif "/login/second-factor/" in page.url:  # type: ignore[attr-defined]
        page.locator("input[name=code]").fill(_authenticator_code(username))  # type: ignore[attr-defined]
        page.locator("main form button[type=submit]").click()  # type: ignore[attr-defined]
    page.wait_for_url(lambda url: "second-factor" not in url)  # type: ignore[attr-defined]


@pytest.fixture
def policy_refusals() -> Iterator[list[str]]:
    """Every browser test fails if a page it opened broke the Content-Security-Policy."""
    refusals: list[str] = []
    yield refusals
    assert refusals == [], "the Content-Security-Policy refused: " + "; ".join(refusals)


@pytest.fixture(scope="session")
def warm_live_server(live_server: object, django_db_blocker: object) -> object:
    """The first request imports every view and template: on a loaded machine that alone can
    take longer than a page is given to load, so it is made once here, without a browser.
    The database is opened for it: made after another test's, it runs outside any test."""
    url = f"{live_server.url}/login/"  # type: ignore[attr-defined]
    with (
        django_db_blocker.unblock(),  # type: ignore[attr-defined]
        urllib.request.urlopen(url, timeout=120) as response,
    ):
        assert response.status == 200
    return live_server


@pytest.fixture
def new_page(
    browser: object, warm_live_server: object, audited_transactional_db: None, policy_refusals: list
) -> Iterator:
    """A fresh browser context per person, in Japanese, pointed at the live server."""
    contexts = []

    def make(locale: str = "ja-JP") -> object:
        context = browser.new_context(locale=locale, base_url=warm_live_server.url)  # type: ignore[attr-defined]
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        watch_policy(page, policy_refusals)
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def asgi_url(audited_transactional_db: None) -> Iterator[str]:
    """The application served by uvicorn in a thread, as `kizuna serve` runs it, over the
    test database: server-sent events need it (the WSGI live server buffers an endless
    stream). Its port is one the system gives on the loopback, as the live server's is."""
    import socket
    import threading

    import uvicorn
    from django.db import connections

    from kizuna.asgi import application

    # Under ASGI each request's synchronous work has a thread of its own; a connection kept
    # for reuse there would outlive the test and block dropping the test database.
    database = connections.settings["default"]
    kept_for = database["CONN_MAX_AGE"]
    database["CONN_MAX_AGE"] = 0
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(
            application, host="127.0.0.1", port=port, log_level="warning", lifespan="off"
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(100):
        if server.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
    database["CONN_MAX_AGE"] = kept_for


@pytest.fixture
def open_as(browser: object, asgi_url: str, policy_refusals: list[str]) -> Iterator[Callable]:
    """A fresh browser context per person on the ASGI server, signed in through the pages:
    `open_as(username, locale)` gives their page."""
    from playwright.sync_api import expect

    contexts = []

    def open_page(username: str, locale: str) -> object:
        context = browser.new_context(locale=locale, base_url=asgi_url)  # type: ignore[attr-defined]
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        watch_policy(page, policy_refusals)
        sign_in(page, username)
        expect(page.get_by_test_id("whoami")).to_be_visible()
        return page

    yield open_page
    for context in contexts:
        context.close()
