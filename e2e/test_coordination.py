"""Two people of different nations watch one situation's log live; a liaison translates.

Server-sent events need the ASGI server the product runs on (`kizuna serve` runs uvicorn):
the WSGI live server would buffer an endless stream. So this test opens its pages with
`open_as`, which serves the same application with uvicorn in a thread over the test database
(e2e/conftest.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta

from django.utils import timezone
from playwright.sync_api import Page, expect

from kizuna.coordination import services
from kizuna.coordination.models import Body, LogEntry, Situation
from kizuna.core.models import Organization, Role


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
