"""A line-level mistake on a new order is shown beside its field, with what was typed kept,
and nothing is made (these once answered 500)."""

from __future__ import annotations

import pytest
from django.test import Client

from kizuna.acsa.models import Order

from .factories import Cast, make_cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast() -> Cast:
    return make_cast()


def _order(cast: Cast, **change: str) -> dict[str, str]:
    return {
        "supplying_org": str(cast.jp_unit.pk),
        "receiving_org": str(cast.us_unit.pk),
        "situation_type": "warning-and-surveillance",
        "legal_basis": "SDF Act Art. 100-6",
        "currency": "JPY",
        "settlement_method": "currency",
        "category": "petroleum",
        "description": "JP-5 aviation fuel",
        "quantity": "1000",
        "unit": "L",
        "unit_price": "120",
        "delivery_place": "Misawa Air Base",
        "delivery_date": "2024-05-01",
        **change,
    }


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"quantity": "0"}, "quantity", "more than 0"),
        ({"quantity": "-5"}, "quantity", "more than 0"),
        ({"delivery_date": "1995-12-31"}, "delivery_date", "1996-01-01"),
        ({"delivery_date": "0001-01-01"}, "delivery_date", "1996-01-01"),
        ({"category": "weapons"}, "category", "eapons"),
    ],
)
def test_a_bad_line_is_refused_beside_its_field(
    client: Client, cast: Cast, change: dict[str, str], field: str, words: str
) -> None:
    cast.us_ordering.language = "en"
    cast.us_ordering.save()
    client.force_login(cast.us_ordering)
    before = Order.objects.count()
    response = client.post("/acsa/orders/new/", _order(cast, **change))
    assert response.status_code == 200
    form = response.context["form"]
    assert words in " ".join(form.errors[field])
    # What was typed is still in the form.
    assert response.content.decode().count("Misawa Air Base") >= 1
    assert Order.objects.count() == before


def test_the_error_is_in_the_persons_language(client: Client, cast: Cast) -> None:
    cast.us_ordering.language = "ja"
    cast.us_ordering.save()
    client.force_login(cast.us_ordering)
    response = client.post("/acsa/orders/new/", _order(cast, quantity="0"))
    assert "数量" in " ".join(response.context["form"].errors["quantity"])


def test_the_live_check_says_a_delivery_date_out_of_range(client: Client, cast: Cast) -> None:
    cast.us_ordering.language = "en"
    cast.us_ordering.save()
    client.force_login(cast.us_ordering)
    answer = client.get(
        "/acsa/check/",
        {
            "situation_type": "warning-and-surveillance",
            "category": "petroleum",
            "delivery_date": "0001-01-01",
        },
    )
    assert answer.status_code == 200
    assert "The delivery date is before 1996-01-01" in answer.content.decode()
