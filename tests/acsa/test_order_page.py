"""The order page carries an order through every step, each form offered only to whoever
may use it, a refusal shown beside its field (or above its step's button) on the page again,
with what was typed and nothing changed."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from kizuna.acsa.models import ClaimNotice, Delivery, Order

from .factories import Cast, draft, make_cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast() -> Cast:
    return make_cast()


def _post(client: Client, person: object, path: str, data: dict, status: int = 200) -> str:
    client.force_login(person)  # type: ignore[arg-type]
    response = client.post(path, data, follow=True)
    assert response.status_code == status
    return response.content.decode()


def test_an_order_through_its_page(client: Client, cast: Cast) -> None:
    order = draft(cast)
    base = f"/acsa/orders/{order.public_id}"
    client.force_login(cast.us_ordering)
    assert "要請して署名" in client.get(f"{base}/").content.decode()
    refused = _post(client, cast.jp_ordering, f"{base}/request/", {"version": 1}, 422)
    assert 'class="errorlist nonfield"' in refused
    _post(client, cast.us_ordering, f"{base}/request/", {"version": 1})
    stale = _post(client, cast.jp_approving, f"{base}/accept/", {"version": 1}, 422)
    assert "他の人が先に" in stale
    _post(client, cast.jp_approving, f"{base}/accept/", {"version": 2})
    order.refresh_from_db()
    assert order.status == Order.Status.ACCEPTED

    client.force_login(cast.us_logistics)
    assert "引渡しを記録" not in client.get(f"{base}/").content.decode()
    client.force_login(cast.jp_logistics)
    assert "引渡しを記録" in client.get(f"{base}/").content.decode()
    line = order.lines.get()
    today = timezone.localdate().isoformat()
    _post(
        client,
        cast.jp_logistics,
        f"{base}/lines/{line.public_id}/deliveries/",
        {
            "version": 3,
            "quantity": "1000",
            "delivered_on": today,
            "documents": SimpleUploadedFile("伝票.pdf", b"%PDF slip"),
        },
    )
    delivery = Delivery.objects.get(line=line)
    assert delivery.documents.get().name == "伝票.pdf"
    _post(
        client,
        cast.us_logistics,
        f"{base}/deliveries/{delivery.public_id}/receipt/",
        {"version": 4},
    )
    assert ClaimNotice.objects.filter(delivery=delivery).exists()
    page = _post(
        client,
        cast.us_approving,
        f"{base}/deliveries/{delivery.public_id}/settle/",
        {"version": 5, "method": "equal_value_services", "amount": "100", "settled_on": today},
        422,
    )
    assert "役務では決済できません" in page
    _post(
        client,
        cast.us_approving,
        f"{base}/deliveries/{delivery.public_id}/settle/",
        {"version": 5, "method": "currency", "amount": "120000", "settled_on": today},
    )
    _post(client, cast.jp_approving, f"{base}/close/", {"version": 6})
    order.refresh_from_db()
    assert order.status == Order.Status.CLOSED
    client.force_login(cast.jp_approving)
    timeline = client.get(f"{base}/").content.decode()
    assert "acsa.order." not in timeline  # each step as words, not its audit code
    for step in ("起案", "要請・署名", "受諾", "引渡しの記録", "受領署名", "決済の記録", "完結"):
        assert f"<td>物品役務の提供要請の{step}</td>" in timeline or f"<td>{step}</td>" in timeline
