"""The order page's step forms (sign, deliver, receive, settle): a refusal shows beside its
field, or above its step's button, in the reader's language, with what was typed kept and
nothing written; on the page again (422) and, from HTMX, as the card the form is in."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from kizuna.acsa import services
from kizuna.acsa.models import Delivery, Order, Settlement
from kizuna.core.models import Person

from .factories import Cast, accepted, deliver, draft, make_cast

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


@pytest.fixture
def cast() -> Cast:
    return make_cast()


def _as(client: Client, person: Person, language: str) -> None:
    person.language = language
    person.save()
    client.force_login(person)


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("en", "A delivery cannot be recorded before it happens."),
        ("ja", "未来の引渡しは記録できません。"),
    ],
)
def test_a_delivery_in_the_future_is_refused_beside_its_date(
    client: Client, cast: Cast, language: str, said: str
) -> None:
    order = accepted(cast)
    line = order.lines.get()
    _as(client, cast.jp_logistics, language)
    tomorrow = (timezone.localdate() + timedelta(days=2)).isoformat()
    url = f"/acsa/orders/{order.public_id}/lines/{line.public_id}/deliveries/"
    for headers, status, template in (
        ({}, 422, "acsa/order_detail.html"),
        (HTMX, 200, "acsa/_order_lines.html"),
    ):
        slip = SimpleUploadedFile("slip.pdf", b"%PDF slip")
        data = {"version": order.version, "quantity": "250", "delivered_on": tomorrow}
        response = client.post(url, {**data, "documents": slip}, headers=headers)
        assert response.status_code == status
        assert response.templates[0].name == template
        form = next(f for row in response.context["lines"] for f in [row[1]] if f.is_bound)
        assert form.errors["delivered_on"] == [said]
        page = response.content.decode()
        assert said in page
        assert 'value="250"' in page
        assert f'value="{tomorrow}"' in page
        assert f'id="deliver-{line.public_id}-quantity"' in page
    assert not Delivery.objects.filter(line=line).exists()


def test_a_delivery_without_its_documents_is_refused_beside_them(
    client: Client, cast: Cast
) -> None:
    order = accepted(cast)
    line = order.lines.get()
    _as(client, cast.jp_logistics, "ja")
    response = client.post(
        f"/acsa/orders/{order.public_id}/lines/{line.public_id}/deliveries/",
        {"version": order.version, "quantity": "abc", "delivered_on": "2024-05-01"},
    )
    assert response.status_code == 422
    form = response.context["lines"][0][1]
    assert form.errors["quantity"] == ["数値を入力してください。"]
    assert 'value="abc"' in response.content.decode()
    fixed = client.post(
        f"/acsa/orders/{order.public_id}/lines/{line.public_id}/deliveries/",
        {"version": order.version, "quantity": "10", "delivered_on": timezone.localdate()},
    )
    assert fixed.status_code == 422
    assert fixed.context["lines"][0][1].errors["documents"] == [
        "引渡しの証拠書類を添付してください。"
    ]
    assert not Delivery.objects.filter(line=line).exists()


@pytest.mark.parametrize(
    ("language", "said"),
    [("en", "never with a service"), ("ja", "役務では決済できません")],
)
def test_goods_settled_with_a_service_are_refused_beside_the_method(
    client: Client, cast: Cast, language: str, said: str
) -> None:
    order = accepted(cast)
    delivery = deliver(cast, order, "1000")
    services.receipt_sign(order=order, delivery=delivery, actor=cast.us_logistics)
    order.refresh_from_db()
    _as(client, cast.us_approving, language)
    today = timezone.localdate().isoformat()
    typed = {
        "version": order.version,
        "method": "equal_value_services",
        "amount": "777",
        "settled_on": today,
    }
    url = f"/acsa/orders/{order.public_id}/deliveries/{delivery.public_id}/settle/"
    for headers, status in (({}, 422), (HTMX, 200)):
        response = client.post(url, typed, headers=headers)
        assert response.status_code == status
        settle_form = response.context["lines"][0][2][0][1]
        assert said in settle_form.errors["method"][0]
        page = response.content.decode()
        assert said in page
        assert 'value="777"' in page
        assert '<option value="equal_value_services" selected>' in page
    assert not Settlement.objects.filter(delivery=delivery).exists()
    done = client.post(url, typed | {"method": "currency"}, headers=HTMX)
    assert done["HX-Redirect"] == f"/acsa/orders/{order.public_id}/"
    assert Settlement.objects.filter(delivery=delivery).count() == 1


@pytest.mark.parametrize(
    ("language", "said"), [("en", "Someone else changed this order first"), ("ja", "他の人が先に")]
)
def test_a_stale_signature_says_so_above_the_steps(
    client: Client, cast: Cast, language: str, said: str
) -> None:
    order = draft(cast)
    _as(client, cast.us_ordering, language)
    url = f"/acsa/orders/{order.public_id}/request/"
    for headers, status, template in (
        ({}, 422, "acsa/order_detail.html"),
        (HTMX, 200, "acsa/_order_steps.html"),
    ):
        response = client.post(url, {"version": order.version - 1}, headers=headers)
        assert response.status_code == status
        assert response.templates[0].name == template
        errors = response.context["steps_form"].non_field_errors()
        assert said in errors[0]
        assert said in response.content.decode()
    order.refresh_from_db()
    assert order.status == Order.Status.DRAFT


def test_a_receipt_signed_twice_says_so_beside_its_delivery(client: Client, cast: Cast) -> None:
    order = accepted(cast)
    delivery = deliver(cast, order, "400")
    order.refresh_from_db()
    client.force_login(cast.us_logistics)
    url = f"/acsa/orders/{order.public_id}/deliveries/{delivery.public_id}/receipt/"
    assert client.post(url, {"version": order.version}).status_code == 302
    order.refresh_from_db()
    again = client.post(url, {"version": order.version}, headers=HTMX)
    assert again.status_code == 200
    receipt_form = again.context["lines"][0][2][0][2]
    assert receipt_form.non_field_errors()
    assert receipt_form.non_field_errors()[0] in again.content.decode()
