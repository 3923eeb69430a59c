"""Totals tell nothing of orders hidden from their reader: the liability-cap warning, which
the law makes over every order, names figures only to a reader who sees every order a cap
could count; every other answer about an order whose neighbour is hidden is the answer given
when that neighbour does not exist; and no reader meets a gap in the order numbers made by
an order hidden from them."""

from __future__ import annotations

import re
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.utils import timezone, translation

from kizuna.acsa import selectors, services
from kizuna.acsa.models import Order, SituationType
from kizuna.core.models import Person, Role
from kizuna.sharing.marking import Marking
from kizuna.sharing.models import Community
from kizuna.sharing.services import clearance_grant

from .factories import Cast, cleared_for_everything, deliver, draft, fuel_line, make_cast, official

pytestmark = pytest.mark.django_db

BOTH = ("JPN", "USA")
# Hidden from everyone of the cast: a higher US level and a community they do not hold.
HIGH = Marking(level="usa-u2", releasable_to=BOTH, communities=("bmd",))


@pytest.fixture
def cast() -> Cast:
    return make_cast()


def _usd_order(
    cast: Cast,
    quantity: str,
    price: str,
    *,
    actor: Person | None = None,
    marking: Marking | None = None,
) -> Order:
    """A requested order of supplies (fuel) for the US, paid in dollars."""
    actor = actor or cast.us_ordering
    order = services.order_create(
        actor=actor,
        supplying_org=cast.jp_unit,
        receiving_org=cast.us_unit,
        situation_type=SituationType.objects.get(code="bilateral-exercise"),
        legal_basis="x",
        currency="USD",
        settlement_method="currency",
        lines=[fuel_line(quantity, price)],
        marking=marking,
    )
    return services.order_request(order=order, actor=actor)


def _warnings(client: Client, person: Person, order: Order) -> tuple[str, list[str]]:
    client.force_login(person)
    page = client.get(f"/acsa/orders/{order.public_id}/").content.decode()
    shown = re.findall(r'data-testid="cap-warning">([^<]*)<', page)
    return " ".join(shown), client.get(f"/api/acsa/orders/{order.public_id}").json()["warnings"]


def test_the_cap_warning_names_its_figures_only_to_whoever_sees_every_counted_order(
    cast: Cast, client: Client
) -> None:
    earlier = _usd_order(cast, "1000", "15000")  # $15M of supplies accepted this year
    services.order_accept(order=earlier, actor=cast.jp_approving)
    order = _usd_order(cast, "1000", "6000")  # $6M more: $21M, over the $20M supplies cap
    everything = cleared_for_everything("us-approving-all", Role.APPROVING_OFFICIAL)
    with translation.override("en"):
        full = selectors.cap_warnings(order, everything)
        partial = selectors.cap_warnings(order, cast.jp_approving)
    assert len(full) == 1
    assert "$21,000,000.00" in full[0]
    assert "$20,000,000.00" in full[0]
    assert len(partial) == 1
    assert "cross" in partial[0]
    assert "supplies" in partial[0]
    assert not re.search(r"\d,\d{3}", partial[0]), partial
    # Both nations' readers of the order without such a clearance, on the page and the API.
    for person in (everything, cast.jp_approving, cast.us_approving, cast.us_ordering):
        page, api = _warnings(client, person, order)
        assert page
        assert len(api) == 1
        figures = "21,000,000" in page, "21,000,000" in api[0]
        assert figures == (person == everything,) * 2, person
        assert not re.search(r"\d,\d{3}", page + api[0]) or person == everything


def test_a_community_reserved_for_exercises_neither_marks_an_order_nor_hides_the_figures(
    cast: Cast,
) -> None:
    """The exercise control cell (reserved for the exercises' own records) exists in every
    database: an official cleared for every community an order may carry still reads the
    cap's figures without holding it, and no order may be marked with it."""
    assert Community.objects.filter(code="exercise-control").exclude(reserved_for="").exists()
    earlier = _usd_order(cast, "1000", "15000")
    services.order_accept(order=earlier, actor=cast.jp_approving)
    order = _usd_order(cast, "1000", "6000")
    everything = cleared_for_everything("us-approving-all", Role.APPROVING_OFFICIAL)
    with translation.override("en"):
        assert "$21,000,000.00" in selectors.cap_warnings(order, everything)[0]
        with pytest.raises(ValidationError) as refused:
            _usd_order(
                cast,
                "1",
                "1",
                marking=Marking(
                    level="usa-u1", releasable_to=BOTH, communities=("exercise-control",)
                ),
            )
    assert "exercise-control" in str(refused.value.message_dict["communities"])
    assert Order.objects.count() == 2


def _normalised(content: bytes) -> bytes:
    """What differs between two requests whatever the data: the CSRF token alone (masked
    anew for every response)."""
    content = re.sub(rb'(name="csrfmiddlewaretoken" value=")[^"]+"', rb'\1"', content)
    return re.sub(rb'("X-CSRFToken": ")[^"]+"', rb'\1"', content)


def _answers(client: Client, person: Person, order: Order) -> dict[str, tuple[int, bytes]]:
    client.force_login(person)
    paths = [
        "/",
        "/acsa/",
        "/acsa/orders/",
        "/acsa/orders.csv",
        "/acsa/netting/",
        "/acsa/balances.svg?currency=USD",
        "/acsa/balances.svg?currency=JPY",
        f"/acsa/orders/{order.public_id}/",
        "/api/acsa/orders",
        f"/api/acsa/orders/{order.public_id}",
        "/api/acsa/reports/outstanding",
        "/api/acsa/reports/outstanding?by=category",
        "/api/acsa/reports/overdue",
        "/api/acsa/netting",
    ]
    answers = {}
    for path in paths:
        response = client.get(path)
        content = (
            b"".join(response.streaming_content)  # type: ignore[attr-defined]
            if response.streaming
            else response.content
        )
        answers[path] = (response.status_code, _normalised(content))
    return answers


def _owed(person: Person) -> Decimal:
    return sum((row["total"] for row in selectors.outstanding_by(person=person)), Decimal(0))


def _received(cast: Cast, order: Order, quantity: str) -> None:
    services.order_accept(order=order, actor=cast.jp_approving)
    order.refresh_from_db()
    delivery = deliver(cast, order, quantity)
    services.receipt_sign(order=order, delivery=delivery, actor=cast.us_logistics)


def test_an_order_whose_neighbour_is_hidden_answers_as_if_there_were_no_neighbour(
    cast: Cast, client: Client
) -> None:
    # The clock stands still: pages show the time, which is not what is compared.
    with time_machine.travel(timezone.now(), tick=False):
        # A requested order that crosses the supplies cap on its own, and another, received and
        # owed, so balances, charts, netting and the home page all have something to add up.
        order = _usd_order(cast, "1000", "21000")
        owed = _usd_order(cast, "10", "100")
        _received(cast, owed, "10")
        everything = cleared_for_everything("us-approving-all", Role.APPROVING_OFFICIAL)
        readers = [cast.jp_approving, cast.us_approving, cast.us_logistics, cast.jp_ordering]
        before = {p.pk: _answers(client, p, order) for p in readers}
        with translation.override("en"):
            full_before = selectors.cap_warnings(order, everything)
        owed_before = _owed(everything)

        # The neighbour: the same parties, currency and fiscal year, marked above every reader.
        cleared = official("us-ordering-hi", nation="USA", org="usfj", role=Role.ORDERING_OFFICIAL)
        clearance_grant(actor=None, person=cleared, level="usa-u3", communities=("bmd",))
        neighbour = _usd_order(
            cast, "1000", "5000", actor=Person.objects.get(pk=cleared.pk), marking=HIGH
        )
        _received(cast, neighbour, "1000")

        # It is counted: a reader who sees everything sees the cap's total grow by its $5M ...
        with translation.override("en"):
            full_after = selectors.cap_warnings(order, everything)
        assert "$21,001,000.00" in full_before[0]
        assert "$26,001,000.00" in full_after[0]
        # ... and owed to Japan in the balances by its $5M delivered.
        assert _owed(everything) - owed_before == Decimal(5_000_000)
        # Everyone else's answers are the very same bytes.
        for person in readers:
            after = _answers(client, person, order)
            for path, answer in before[person.pk].items():
                assert after[path][0] == answer[0], (person, path)
                assert after[path][1].decode() == answer[1].decode(), (person, path)


def test_no_reader_meets_a_gap_in_the_numbers_made_by_a_hidden_order(
    cast: Cast, client: Client
) -> None:
    cleared = official("us-ordering-hi", nation="USA", org="usfj", role=Role.ORDERING_OFFICIAL)
    clearance_grant(actor=None, person=cleared, level="usa-u3", communities=("bmd",))
    cleared = Person.objects.get(pk=cleared.pk)
    auditor = cleared_for_everything("us-auditor-all", Role.AUDITOR)
    made = []
    for hidden in (False, True, True, False, True, False, False):
        made.append(draft(cast, actor=cleared, marking=HIGH if hidden else None))
    assert len({o.number for o in made}) == len(made)
    for person in [*cast.everyone(), cleared, auditor]:
        client.force_login(person)
        listed = client.get("/api/acsa/orders")
        numbers = [o["number"] for o in listed.json()] if listed.status_code == 200 else []
        series: dict[str, list[int]] = defaultdict(list)
        for number in numbers:
            prefix, serial = number.rsplit("-", 1)
            series[prefix].append(int(serial))
        for prefix, serials in series.items():
            assert sorted(serials) == list(range(1, len(serials) + 1)), (person, prefix)
        seen = len(numbers)
        assert seen in (0, 4, 7), person  # nobody, the four visible, or all
    assert len({o.number.rsplit("-", 1)[0] for o in made}) == 2


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite runs one writer at a time anyway"
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_orders_made_at_once_draw_distinct_numbers_without_gaps() -> None:
    """Eight creations at once in one series: the series' row lock hands out 1 to 8, none
    twice, none skipped."""
    cast = make_cast()

    def create(_n: int) -> str:
        try:
            return draft(cast).number
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=4) as pool:
        numbers = list(pool.map(create, range(8)))
    assert sorted(int(n.rsplit("-", 1)[1]) for n in numbers) == list(range(1, 9))
    assert len({n.rsplit("-", 1)[0] for n in numbers}) == 1
