"""A refused form on a log entry comes back in place (HTMX), its error beside the field and
what was typed kept; and a request's step refused says why above its buttons."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page, expect

from kizuna.coordination import services
from kizuna.coordination.models import EventTimeEdit, SupportRequest
from kizuna.core.models import Person

from .conftest import sign_in
from .test_requests import _accepted_request


def test_a_refused_event_time_comes_back_on_its_entry(
    new_page: Callable[..., Page], make_person: Callable
) -> None:
    request = SupportRequest.objects.select_related("body", "situation").get(
        public_id=_accepted_request(make_person)
    )
    author = Person.objects.get(username="mef-lo")
    entry = services.entry_post(
        actor=author, body=request.body, kind="report", text="Road cut", language="en"
    )
    page = new_page("en-US")
    sign_in(page, "mef-lo")
    page.goto(f"/coordination/situations/{request.situation.public_id}/")
    card = page.locator(f"#log #entry-{entry.public_id}")
    card.get_by_text("Change the event time").click()
    page.evaluate("window.kizunaMarker = 'same page'")  # gone if the page reloads

    card.get_by_label("Event time (UTC)").fill("2999-01-01T00:00")
    card.get_by_label("Reason").fill("typed in the wrong year")
    card.get_by_role("button", name="Change", exact=True).click()
    expect(card.locator(".errorlist")).to_contain_text("The event time is in the future")
    expect(card.get_by_label("Event time (UTC)")).to_have_value("2999-01-01T00:00")
    expect(card.get_by_label("Reason")).to_have_value("typed in the wrong year")
    assert page.evaluate("window.kizunaMarker") == "same page"
    assert not EventTimeEdit.objects.filter(entry=entry).exists()
