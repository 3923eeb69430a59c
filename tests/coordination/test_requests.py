"""Requests for support: lines, the lifecycle, partial acceptance, progress, escalation."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from kizuna.coordination import selectors, services
from kizuna.coordination.models import LogEntry, RequestEvent, SupportRequest

from ..core.test_charts import texts
from .conftest import Cast, org

pytestmark = pytest.mark.django_db
S = SupportRequest.Status


def create(cast: Cast, lines: list[services.LineInput] | None = None) -> SupportRequest:
    return services.request_create(
        actor=cast.wa_officer,
        body=cast.ccc,
        requesting_organization=org("western-army"),
        supporting_organization=org("iii-mef"),
        summary="救援物資の空輸",
        language="ja",
        place_name="南阿蘇村",
        needed_by=timezone.now() + timedelta(hours=12),
        priority="immediate",
        lines=lines
        or [
            services.LineInput("transportation", "MV-22 airlift", Decimal("20"), "tonnes"),
            services.LineInput("water", "drinking water", Decimal("5000"), "litres"),
        ],
    )


def submitted_and_acknowledged(cast: Cast) -> SupportRequest:
    request = create(cast)
    services.request_submit(actor=cast.wa_officer, request=request)
    return services.request_acknowledge(actor=cast.mef_officer, request=request)


def test_a_request_line_with_no_quantity_is_refused(cast: Cast) -> None:
    for quantity in (None, Decimal(0), Decimal(-1)):
        with pytest.raises(ValidationError) as refused:
            create(cast, [services.LineInput("water", "water", quantity, "litres")])
        assert "lines.0.quantity" in refused.value.message_dict
    with pytest.raises(ValidationError) as no_unit:
        create(cast, [services.LineInput("water", "water", Decimal(1), " ")])
    assert "lines.0.unit" in no_unit.value.message_dict
    with pytest.raises(ValidationError) as weapons:
        create(cast, [services.LineInput("weapons", "rifles", Decimal(1), "each")])
    assert "lines.0.category" in weapons.value.message_dict
    assert not SupportRequest.objects.exists()


def test_the_full_lifecycle_writes_history_and_log_entries(cast: Cast) -> None:
    request = submitted_and_acknowledged(cast)
    services.request_accept(actor=cast.mef_officer, request=request)
    lines = list(request.lines.all())
    for line in lines:
        services.request_progress(
            actor=cast.mef_officer,
            request=request,
            line_id=line.pk,
            committed=line.quantity,
            in_transit=Decimal(0),
            fulfilled=line.quantity,
        )
    services.request_complete(actor=cast.mef_officer, request=request)
    request.refresh_from_db()
    assert request.status == S.COMPLETED
    actions = list(request.events.values_list("action", flat=True))
    assert actions == [
        "created",
        "submitted",
        "acknowledged",
        "accepted",
        "started",
        "progress",
        "completed",
    ]
    assert LogEntry.objects.filter(support_request=request, kind="request").count() == 6


def test_accepting_more_than_requested_is_refused(cast: Cast) -> None:
    request = submitted_and_acknowledged(cast)
    airlift = request.lines.get(unit="tonnes")
    with pytest.raises(ValidationError) as refused:
        services.request_accept(
            actor=cast.mef_officer, request=request, accepted={airlift.pk: Decimal("25")}
        )
    assert "20" in next(iter(refused.value.message_dict.values()))[0]
    request.refresh_from_db()
    assert request.status == S.ACKNOWLEDGED
    assert all(line.accepted == 0 for line in request.lines.all())


def test_partial_acceptance_and_progress_stay_within_what_was_accepted(cast: Cast) -> None:
    request = submitted_and_acknowledged(cast)
    airlift = request.lines.get(unit="tonnes")
    services.request_accept(
        actor=cast.mef_officer, request=request, accepted={airlift.pk: Decimal("12")}
    )
    request.refresh_from_db()
    assert request.status == S.PARTLY_ACCEPTED
    with pytest.raises(ValidationError):
        services.request_progress(
            actor=cast.mef_officer,
            request=request,
            line_id=airlift.pk,
            committed=Decimal(13),
            in_transit=Decimal(0),
            fulfilled=Decimal(0),
        )
    services.request_progress(
        actor=cast.mef_officer,
        request=request,
        line_id=airlift.pk,
        committed=Decimal(12),
        in_transit=Decimal(4),
        fulfilled=Decimal(8),
    )
    with pytest.raises(ValidationError) as short:
        services.request_complete(actor=cast.mef_officer, request=request)
    assert "MV-22" in short.value.messages[0]


def test_declining_needs_a_reason_and_only_the_asked_organization_answers(cast: Cast) -> None:
    request = create(cast)
    services.request_submit(actor=cast.wa_officer, request=request)
    with pytest.raises(PermissionDenied):
        services.request_acknowledge(actor=cast.wa_officer, request=request)
    with pytest.raises(ValidationError):
        services.request_decline(actor=cast.mef_officer, request=request, reason=" ")
    services.request_decline(actor=cast.mef_officer, request=request, reason="機材整備中")
    request.refresh_from_db()
    assert request.status == S.DECLINED
    assert request.decline_reason == "機材整備中"
    with pytest.raises(ValidationError):
        services.request_accept(actor=cast.mef_officer, request=request)


def test_escalation_goes_ccc_to_bocc_to_acg_keeping_the_history(cast: Cast) -> None:
    request = create(cast)
    services.request_submit(actor=cast.wa_officer, request=request)
    with pytest.raises(PermissionDenied):
        services.request_escalate(actor=cast.wa_officer, request=request, note="x")
    services.request_escalate(actor=cast.jp_coordinator, request=request, note="部隊間で調整不能")
    services.request_escalate(actor=cast.jp_coordinator, request=request, note="政策判断が必要")
    request.refresh_from_db()
    assert request.body == cast.acg
    assert request.status == S.SUBMITTED
    hops = [
        (e.from_body.code, e.to_body.code)
        for e in request.events.filter(action=RequestEvent.Action.ESCALATED)
    ]
    assert hops == [("t-ccc", "t-bocc"), ("t-bocc", "t-acg")]
    with pytest.raises(ValidationError):
        services.request_escalate(actor=cast.jp_coordinator, request=request, note="x")
    # The requesting officer still follows their request after it left their body.
    assert selectors.request_get(person=cast.wa_officer, public_id=request.public_id) == request


def test_resources_total_per_nation_from_each_organizations_latest_report(cast: Cast) -> None:
    now = timezone.now()
    for hours, organization, personnel in ((5, "usfj", 100), (3, "iii-mef", 50), (1, "usfj", 400)):
        services.resources_report(
            actor=cast.us_coordinator if organization == "usfj" else cast.mef_officer,
            situation=cast.situation,
            organization=org(organization),
            as_of=now - timedelta(hours=hours),
            personnel=personnel,
            ships=1,
            aircraft=2,
        )
    totals = selectors.resource_totals(selectors.resource_series(cast.situation))
    assert totals["USA"].personnel == 450
    assert totals["USA"].ships == 2
    series = selectors.resource_series(cast.situation)["USA"]
    assert [t.personnel for _, t in series] == [100, 150, 450]
    with pytest.raises(PermissionDenied):
        services.resources_report(
            actor=cast.wa_officer,
            situation=cast.situation,
            organization=org("usfj"),
            as_of=now,
            personnel=1,
            ships=0,
            aircraft=0,
        )


def test_committed_resources_are_one_readable_chart_per_measure_with_its_numbers(
    client: Client, cast: Cast
) -> None:
    now = timezone.now()
    for hours, personnel in ((30, 5000), (2, 16000)):
        services.resources_report(
            actor=cast.us_coordinator,
            situation=cast.situation,
            organization=org("usfj"),
            as_of=now - timedelta(hours=hours),
            personnel=personnel,
            ships=15,
            aircraft=140,
        )
    cast.us_coordinator.language = "ja"
    cast.us_coordinator.save(update_fields=["language"])
    client.force_login(cast.us_coordinator)
    base = f"/coordination/situations/{cast.situation.public_id}"
    page = client.get(f"{base}/").content.decode()
    ships = client.get(f"{base}/resources/ships.svg").content.decode()
    for measure in ("personnel", "ships", "aircraft"):
        assert f"{base}/resources/{measure}.svg" in page
    assert page.count('class="chart-data"') == 3  # each chart's numbers, one click away
    assert "16,000" in page  # with separators, in the totals and the table
    assert "艦艇（隻）" in ships  # the axis in the reader's language, with its unit
    assert "艦艇" in ships
    words = [text for text, _size in texts(ships.encode())]
    assert not any(re.search(r"1e\d|\d[eE][+-]?\d|×\s*10", text) for text in words)
    assert client.get(f"{base}/resources/tanks.svg").status_code == 404


def test_progress_per_line_is_recorded_from_the_requests_page(client: Client, cast: Cast) -> None:
    request = submitted_and_acknowledged(cast)
    services.request_accept(actor=cast.mef_officer, request=request)
    airlift = request.lines.get(unit="tonnes")
    url = f"/coordination/requests/{request.public_id}/lines/{airlift.public_id}/progress/"
    prefix = f"line-{airlift.public_id}"
    client.force_login(cast.wa_officer)  # the asking side sees the lines, records nothing
    assert url not in client.get(f"/coordination/requests/{request.public_id}/").content.decode()
    client.force_login(cast.mef_officer)
    page = client.get(f"/coordination/requests/{request.public_id}/").content.decode()
    assert "<small>Accepted</small>" in page  # the status as a word, not "accepted" as keyed
    assert f'hx-post="{url}"' in page
    assert f'id="id_{prefix}-committed"' in page
    too_much = {
        f"{prefix}-committed": "25",
        f"{prefix}-in_transit": "0",
        f"{prefix}-fulfilled": "0",
    }
    refused = client.post(url, too_much, HTTP_HX_REQUEST="true")
    assert refused.status_code == 200  # htmx swaps it in: the card with the error
    body = refused.content.decode()
    assert 'id="request-lines"' in body
    assert "<html" not in body
    assert "errorlist" in body
    assert 'value="25"' in body
    airlift.refresh_from_db()
    assert airlift.committed == 0
    done = client.post(
        url,
        {f"{prefix}-committed": "20", f"{prefix}-in_transit": "5", f"{prefix}-fulfilled": "15"},
        HTTP_HX_REQUEST="true",
    )
    assert done.status_code == 200
    airlift.refresh_from_db()
    assert (airlift.committed, airlift.in_transit, airlift.fulfilled) == (20, 5, 15)
    request.refresh_from_db()
    assert request.status == S.IN_PROGRESS
    assert "15 tonnes" in done.content.decode()
    plain = client.post(
        url, {f"{prefix}-committed": "20", f"{prefix}-in_transit": "0", f"{prefix}-fulfilled": "20"}
    )
    assert plain.status_code == 302
    without_htmx = client.post(url, too_much)
    assert without_htmx.status_code == 422
    assert "<html" in without_htmx.content.decode()  # the whole page, the error beside
    airlift.refresh_from_db()
    assert airlift.fulfilled == 20
    assert request.events.filter(action="progress").exists()


def test_the_language_of_a_text_defaults_to_the_writers(client: Client, cast: Cast) -> None:
    base = f"/coordination/situations/{cast.situation.public_id}/"
    for person, language in ((cast.us_coordinator, "en"), (cast.jp_coordinator, "ja")):
        client.force_login(person)
        page = client.get(base).content.decode()
        assert page.count(f'<option value="{language}" selected>') >= 2  # entry and request
        item_form = client.get("/sharing/new/").content.decode()
        assert f'<option value="{language}" selected>' in item_form
