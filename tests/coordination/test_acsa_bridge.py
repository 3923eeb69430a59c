"""A legal designation governs ACSA eligibility, and a request for support to the other
nation's forces becomes an ACSA order in one step, linked both ways."""

from __future__ import annotations

import json
import zoneinfo
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.test import Client
from django.utils import timezone, translation

from kizuna.acsa import rules
from kizuna.acsa import services as acsa_services
from kizuna.acsa.models import Order, SituationType
from kizuna.coordination import services
from kizuna.coordination.models import LogEntry, SupportRequest
from kizuna.core.models import Person, Role
from kizuna.core.services import token_issue

from .conftest import Cast, org

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_english() -> Iterator[None]:
    """The refusals are read in English here; their Japanese is checked by the catalogue."""
    with translation.override("en"):
        yield


@pytest.fixture
def officials(cast: Cast, make_person: Callable[..., Person]) -> tuple[Person, Person]:
    """The western army's ordering official (who may also post to the CCC) and USFJ's
    approving official, each cleared at their nation's lowest level (orders are marked)."""
    ordering = make_person(
        "wa-ord", role=Role.ORDERING_OFFICIAL, org="western-army", clearance="jpn-j1"
    )
    approving = make_person(
        "us-appr",
        nation="USA",
        role=Role.APPROVING_OFFICIAL,
        org="usfj",
        language="en",
        clearance="usa-u1",
    )
    return ordering, approving


def _request(cast: Cast, actor: Person) -> SupportRequest:
    return services.request_create(
        actor=actor,
        body=cast.ccc,
        requesting_organization=org("western-army"),
        supporting_organization=org("iii-mef"),
        summary="救援物資の空輸",
        language="ja",
        place_name="南阿蘇村",
        needed_by=timezone.now() + timedelta(days=1),
        priority="immediate",
        lines=[
            services.LineInput("transportation", "MV-22 airlift", Decimal("20"), "tonnes"),
            services.LineInput("water", "drinking water", Decimal("5000"), "litres"),
        ],
    )


def _to_order(request: SupportRequest, actor: Person) -> Order:
    return services.request_to_order(
        actor=actor,
        request=request,
        currency="JPY",
        settlement_method=Order.SettlementMethod.CURRENCY,
        unit_prices={line.pk: Decimal("1000") for line in request.lines.all()},
    )


def _designate(cast: Cast, code: str, hours_ago: float) -> None:
    services.designation_add(
        actor=cast.jp_coordinator,
        situation=cast.situation,
        situation_type=SituationType.objects.get(code=code),
        starts_at=timezone.now() - timedelta(hours=hours_ago),
    )


def test_a_request_becomes_a_prefilled_order_linked_both_ways(
    cast: Cast, officials: tuple[Person, Person]
) -> None:
    ordering, _ = officials
    _designate(cast, "disaster-relief", hours_ago=2)
    request = _request(cast, ordering)
    order = _to_order(request, ordering)
    request.refresh_from_db()
    assert request.acsa_order == order
    assert order.support_request == request
    assert (order.receiving_org.code, order.supplying_org.code) == ("western-army", "iii-mef")
    assert order.situation_type.code == "disaster-relief"
    assert sorted(order.lines.values_list("category__code", "quantity")) == [
        ("transportation", Decimal("20")),
        ("water", Decimal("5000")),
    ]
    assert order.lines.first().delivery_place == "南阿蘇村"  # type: ignore[union-attr]
    entry = LogEntry.objects.get(support_request=request, kind=LogEntry.Kind.REQUEST)
    assert f"#{request.reference}" in entry.text
    assert order.number not in entry.text  # the log's readers may not see the order
    with pytest.raises(ValidationError, match="already become"):
        _to_order(request, ordering)


def test_ending_the_designation_changes_the_answer_for_later_orders(
    cast: Cast, officials: tuple[Person, Person]
) -> None:
    ordering, approving = officials
    _designate(cast, "disaster-relief", hours_ago=3)
    first = _to_order(_request(cast, ordering), ordering)
    acsa_services.order_request(order=first, actor=ordering)
    assert rules.situation_type_for(first, timezone.localdate()).code == "disaster-relief"

    services.designation_end(
        actor=cast.jp_coordinator, situation=cast.situation, at=timezone.now() - timedelta(hours=1)
    )
    with pytest.raises(ValidationError, match="Designate the situation first"):
        _to_order(_request(cast, ordering), ordering)
    # The order already made is now refused at acceptance: nothing is in force to allow it.
    with pytest.raises(ValidationError, match="no legal designation in force"):
        acsa_services.order_accept(order=first, actor=approving)

    _designate(cast, "important-influence", hours_ago=0.5)
    later = _to_order(_request(cast, ordering), ordering)
    assert later.situation_type.code == "important-influence"
    assert rules.situation_type_for(first, timezone.localdate()).code == "important-influence"


def test_only_the_requesting_side_turns_a_request_into_an_order(
    cast: Cast, officials: tuple[Person, Person]
) -> None:
    ordering, _ = officials
    _designate(cast, "disaster-relief", hours_ago=2)
    request = _request(cast, ordering)
    with pytest.raises(PermissionDenied):
        _to_order(request, cast.mef_officer)
    # A member of the requesting unit without the ordering role is refused by the ACSA rules.
    with pytest.raises(PermissionDenied):
        _to_order(request, cast.wa_officer)
    request.refresh_from_db()
    assert request.acsa_order is None
    assert Order.objects.count() == 0


def test_a_request_within_one_nation_is_not_an_acsa_matter(
    cast: Cast, officials: tuple[Person, Person]
) -> None:
    ordering, _ = officials
    _designate(cast, "disaster-relief", hours_ago=2)
    request = services.request_create(
        actor=ordering,
        body=cast.ccc,
        requesting_organization=org("western-army"),
        supporting_organization=org("joint-staff"),
        summary="燃料",
        language="ja",
        place_name="熊本",
        needed_by=timezone.now() + timedelta(days=1),
        priority="routine",
        lines=[services.LineInput("petroleum", "JP-8", Decimal("10"), "kl")],
    )
    with pytest.raises(ValidationError, match="between the two nations"):
        _to_order(request, ordering)


def test_the_request_page_turns_a_request_into_an_order(
    client: Client, cast: Cast, officials: tuple[Person, Person]
) -> None:
    ordering, _ = officials
    _designate(cast, "disaster-relief", hours_ago=2)
    request = _request(cast, ordering)
    client.force_login(ordering)
    page = client.get(f"/coordination/requests/{request.public_id}/").content.decode()
    assert "物品役務の提供要請にする" in page
    prices = {f"price_{line.public_id}": "1500" for line in request.lines.all()}
    response = client.post(
        f"/coordination/requests/{request.public_id}/acsa-order/",
        {"currency": "jpy", "settlement_method": "currency", **prices},
    )
    request.refresh_from_db()
    assert request.acsa_order is not None
    assert response["Location"] == f"/acsa/orders/{request.acsa_order.public_id}/"
    assert request.acsa_order.currency == "JPY"
    number = request.acsa_order.number
    assert number in client.get(f"/coordination/requests/{request.public_id}/").content.decode()
    # A reader of the request who may not see the order is told it exists, not its number
    # (which would count the orders of its series hidden from them).
    client.force_login(cast.jp_coordinator)
    page = client.get(f"/coordination/requests/{request.public_id}/").content.decode()
    assert 'data-testid="acsa-order-unseen"' in page
    assert number not in page


def test_the_api_turns_a_request_into_an_order_and_refuses_a_second_time(
    client: Client, cast: Cast, officials: tuple[Person, Person]
) -> None:
    ordering, approving = officials
    _designate(cast, "disaster-relief", hours_ago=2)
    request = _request(cast, ordering)
    body = json.dumps(
        {
            "currency": "JPY",
            "settlement_method": "currency",
            "unit_prices": {line.public_id: "1000" for line in request.lines.all()},
        }
    )
    url = f"/api/coordination/requests/{request.public_id}/acsa-order"

    def post(person: Person) -> HttpResponse:
        secret = token_issue(person=person, label="t").secret
        return client.post(
            url, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {secret}"
        )

    refused = post(approving)
    assert refused.status_code in (403, 404)
    made = post(ordering)
    assert made.status_code == 201
    assert made.json()["situation_type"] == "disaster-relief"
    again = post(ordering)
    assert again.status_code == 422
    assert Order.objects.count() == 1


def test_a_request_needed_early_in_the_morning_in_tokyo_is_dated_in_japan(
    cast: Cast, officials: tuple[Person, Person]
) -> None:
    """05:32 on 2 December in Tokyo is 20:32 on 1 December in UTC: the line says 2 December."""
    ordering, _ = officials
    _designate(cast, "disaster-relief", hours_ago=2)
    year = timezone.now().year + 1
    needed = datetime(year, 12, 2, 5, 32, tzinfo=zoneinfo.ZoneInfo("Asia/Tokyo"))
    assert needed.astimezone(UTC).date() == date(year, 12, 1)
    request = _request(cast, ordering)
    SupportRequest.objects.filter(pk=request.pk).update(needed_by=needed)
    request.refresh_from_db()
    order = _to_order(request, ordering)
    assert set(order.lines.values_list("delivery_date", flat=True)) == {date(year, 12, 2)}


def test_a_type_no_longer_in_force_is_refused_naming_its_replacement(cast: Cast) -> None:
    with pytest.raises(ValidationError) as refused:
        _designate(cast, "areas-surrounding-japan", hours_ago=1)
    message = refused.value.message_dict["situation_type"][0]
    assert "Situations in areas surrounding Japan" in message
    assert "Important influence situations" in message
    assert "2017-04-25" in message
    assert not cast.situation.designations.exists()
    with translation.override("ja"), pytest.raises(ValidationError) as in_japanese:
        _designate(cast, "areas-surrounding-japan", hours_ago=1)
    assert "重要影響事態" in in_japanese.value.message_dict["situation_type"][0]
    with pytest.raises(ValidationError, match="lapsed"):
        _designate(cast, "iraq-sml", hours_ago=1)
    _designate(cast, "important-influence", hours_ago=1)
    assert cast.situation.designations.get().situation_type.code == "important-influence"
