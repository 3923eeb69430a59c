"""Two people of different nations watch one situation's log live; a liaison translates.

Server-sent events need the ASGI server the product runs on (`kizuna serve` runs uvicorn):
the WSGI live server would buffer an endless stream. So this test serves the same
application with uvicorn in a thread, on a loopback port of the coordination range, over
the test database.
"""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

import pytest
import uvicorn
from django.db import connections
from django.utils import timezone
from playwright.sync_api import Page, expect

from kizuna.asgi import application
from kizuna.coordination import services
from kizuna.coordination.models import Body, LogEntry, Situation
from kizuna.core.models import Organization, Role

from .conftest import sign_in as sign_in_through_pages
from .conftest import watch_policy


def _free_port() -> int:
    for port in range(8250, 8300):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise RuntimeError("no free port in 8250-8299")


@pytest.fixture
def asgi_url(audited_transactional_db: None) -> Iterator[str]:
    # Under ASGI each request's synchronous work has a thread of its own; a connection kept
    # for reuse there would outlive the test and block dropping the test database.
    database = connections.settings["default"]
    kept_for = database["CONN_MAX_AGE"]
    database["CONN_MAX_AGE"] = 0
    port = _free_port()
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
def open_as(
    browser: object, asgi_url: str, policy_refusals: list[str]
) -> Iterator[Callable[[str, str], Page]]:
    contexts = []

    def sign_in(username: str, locale: str) -> Page:
        context = browser.new_context(locale=locale, base_url=asgi_url)  # type: ignore[attr-defined]
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        watch_policy(page, policy_refusals)
        sign_in_through_pages(page, username)
        expect(page.get_by_test_id("whoami")).to_be_visible()
        return page

    yield sign_in
    for context in contexts:
        context.close()


def test_a_japanese_post_reaches_the_us_reader_live_and_its_translation_both(
    open_as: Callable[[str, str], Page], make_person: Callable
) -> None:
    coordinator = make_person("jp-co", role=Role.COORDINATOR, org="joint-staff", clearance="jpn-j1")
    make_person(
        "wa-officer", role=Role.LOGISTICS_OFFICER, org="gsdf-western-army", clearance="jpn-j1"
    )
    make_person(
        "mef-officer",
        nation="USA",
        role=Role.LOGISTICS_OFFICER,
        org="iii-mef",
        language="en",
        clearance="usa-u1",
    )
    make_person("liaison", role=Role.INFORMATION_MANAGER, org="joint-staff", clearance="jpn-j1")
    situation = services.situation_open(
        actor=coordinator,
        organization=Organization.objects.get(code="joint-staff"),
        title_ja="熊本地震",
        title_en="Kumamoto earthquake",
        kind=Situation.Kind.DISASTER,
        starts_at=situation_start(),
    )
    services.body_stand_up(
        actor=coordinator,
        situation=situation,
        kind=Body.Kind.BILATERAL_CENTRE,
        code="bcc",
        name_ja="日米共同調整所",
        name_en="Bilateral coordination centre",
        organizations=list(
            Organization.objects.filter(code__in=["gsdf-western-army", "iii-mef", "joint-staff"])
        ),
    )
    url = f"/coordination/situations/{situation.public_id}/"

    japanese = open_as("wa-officer", "ja-JP")
    american = open_as("mef-officer", "en-US")
    for page in (japanese, american):
        page.goto(url)
        expect(page.get_by_test_id("live-status")).to_have_text("●")

    form = japanese.get_by_test_id("entry-form")
    form.locator("select[name=language]").select_option("ja")
    form.locator("textarea[name=text]").fill("南阿蘇村で道路寸断、孤立集落あり")
    form.locator("button[type=submit]").click()

    # The American reader never reloads: the entry arrives over the event stream.
    arrived = american.get_by_test_id("log").get_by_test_id("entry").filter(has_text="南阿蘇村")
    expect(arrived).to_have_count(1)
    expect(arrived.get_by_test_id("original")).to_contain_text("Original (Japanese)")
    expect(arrived.get_by_test_id("entry-marking")).to_have_text(
        "Level-J1 (Caution) · Releasable to JPN, USA"
    )
    expect(arrived.get_by_test_id("event-time").locator(".dtg")).to_have_text(
        re.compile(r"^\d{6}Z[A-Z]{3}\d\d$")
    )
    entry = LogEntry.objects.get(text__startswith="南阿蘇村")

    liaison = open_as("liaison", "ja-JP")
    liaison.goto("/coordination/translations/")
    queued = liaison.locator(f"#entry-{entry.public_id}")
    queued.locator("textarea[name=text]").fill("Road cut in Minamiaso; isolated hamlets")
    queued.locator("form button[type=submit]").click()
    expect(liaison.get_by_test_id("translation-queue")).not_to_contain_text("南阿蘇村")

    for page in (american, japanese):
        row = page.locator(f"#entry-{entry.public_id}")
        expect(row.get_by_test_id("translation")).to_contain_text("Road cut in Minamiaso")
        expect(row.get_by_test_id("translation")).to_contain_text("liaison")
        expect(row.get_by_test_id("original")).to_contain_text("南阿蘇村で道路寸断")
    # Nothing came twice: one row for the entry on each page.
    expect(american.locator(f"#entry-{entry.public_id}")).to_have_count(1)


def situation_start() -> datetime:
    return timezone.now() - timedelta(hours=6)
