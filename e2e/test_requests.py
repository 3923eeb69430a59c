"""A US logistics officer records a line's progress from the request's page: the lines'
card redraws in place (HTMX), and a refused figure comes back beside its field, as typed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone
from playwright.sync_api import Page, expect

from kizuna.coordination import services
from kizuna.coordination.models import Body, RequestLine, Situation
from kizuna.core.models import Organization, Role

from .conftest import sign_in


def _accepted_request(make_person: Callable) -> str:
    coordinator = make_person("jp-co", role=Role.COORDINATOR, org="joint-staff", clearance="jpn-j2")
    asking = make_person(
        "wa-lo", role=Role.LOGISTICS_OFFICER, org="western-army", clearance="jpn-j2"
    )
    asked = make_person(
        "mef-lo",
        nation="USA",
        role=Role.LOGISTICS_OFFICER,
        org="iii-mef",
        language="en",
        clearance="usa-u2",
    )
    organizations = {o.code: o for o in Organization.objects.all()}
    situation = services.situation_open(
        actor=coordinator,
        organization=organizations["joint-staff"],
        title_ja="熊本地震",
        title_en="Kumamoto earthquake",
        kind=Situation.Kind.DISASTER,
        starts_at=timezone.now() - timedelta(days=1),
        place_name="熊本県 Kumamoto",
    )
    centre = services.body_stand_up(
        actor=coordinator,
        situation=situation,
        kind=Body.Kind.BILATERAL_CENTRE,
        code="e2e-bcc",
        name_ja="日米共同調整所",
        name_en="Bilateral coordination centre",
        short_name="BCC",
        organizations=[organizations[c] for c in ("joint-staff", "western-army", "iii-mef")],
    )
    request = services.request_create(
        actor=asking,
        body=centre,
        requesting_organization=organizations["western-army"],
        supporting_organization=organizations["iii-mef"],
        summary="救援物資の空輸",
        language="ja",
        place_name="南阿蘇村",
        needed_by=timezone.now() + timedelta(hours=12),
        priority="immediate",
        lines=[services.LineInput("transportation", "MV-22 airlift", Decimal(20), "tonnes")],
    )
    services.request_submit(actor=asking, request=request)
    services.request_acknowledge(actor=asked, request=request)
    services.request_accept(actor=asked, request=request)
    return request.public_id


def test_progress_per_line_is_recorded_from_the_requests_page(
    new_page: Callable[..., Page], make_person: Callable
) -> None:
    request_id = _accepted_request(make_person)
    line = RequestLine.objects.get(request__public_id=request_id)
    page = new_page("en-US")
    sign_in(page, "mef-lo")
    page.goto(f"/coordination/requests/{request_id}/")
    card = page.locator("#request-lines")
    expect(card.get_by_role("heading", name="Record progress")).to_be_visible()
    page.evaluate("window.kizunaMarker = 'same page'")  # gone if the page reloads

    card.get_by_label("Committed").fill("25")
    card.get_by_role("button", name="Record").click()
    expect(card.locator(".errorlist")).to_contain_text("Commit at most the 20 accepted")
    expect(card.get_by_label("Committed")).to_have_value("25")  # as typed

    card.get_by_label("Committed").fill("20")
    card.get_by_label("In transit").fill("5")
    card.get_by_label("Fulfilled").fill("15")
    card.get_by_role("button", name="Record").click()
    expect(card.locator("tbody")).to_contain_text("15 tonnes")
    expect(card.locator(".errorlist")).to_have_count(0)
    assert page.evaluate("window.kizunaMarker") == "same page"
    line.refresh_from_db()
    assert (line.committed, line.in_transit, line.fulfilled) == (20, 5, 15)
