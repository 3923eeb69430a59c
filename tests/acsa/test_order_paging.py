"""The orders' list pages by a sealed keyset with its filters in the URL: over two pages
every visible order shows once, a hidden one never, and the exports take what is filtered."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from kizuna.acsa import services
from kizuna.acsa.models import Order
from kizuna.core.models import Role
from kizuna.sharing.marking import Marking
from kizuna.sharing.services import clearance_grant

from .factories import draft, make_cast, official

pytestmark = pytest.mark.django_db

LISTED = re.compile(r'<a href="/acsa/orders/([a-z0-9]+)/">')


def test_the_orders_page_through_what_is_filtered_once_each(client: Client) -> None:
    cast = make_cast()
    drafts = {draft(cast).public_id for _ in range(52)}
    for _ in range(2):  # requested: filtered out
        services.order_request(order=draft(cast), actor=cast.us_ordering)
    cleared = official("us-ordering-hi", nation="USA", org="usfj", role=Role.ORDERING_OFFICIAL)
    clearance_grant(actor=None, person=cleared, level="usa-u3")
    hidden = draft(cast, actor=cleared, marking=Marking("usa-u2", ("JPN", "USA")))
    client.force_login(cast.us_ordering)

    first = client.get("/acsa/orders/", {"status": "draft"}).content.decode()
    on_first = LISTED.findall(first)
    assert len(on_first) == 50
    found = re.search(r'href="\?status=draft&amp;after=([A-Za-z0-9_-]+)" rel="next"', first)
    assert found is not None  # the filter kept beside the sealed cursor
    assert found.group(1) not in {str(pk) for pk in Order.objects.values_list("pk", flat=True)}
    second = client.get("/acsa/orders/", {"status": "draft", "after": found.group(1)})
    on_second = LISTED.findall(second.content.decode())
    assert len(on_second) == 2
    assert 'rel="next"' not in second.content.decode()
    assert len(set(on_first + on_second)) == 52  # none twice
    assert set(on_first + on_second) == drafts  # none missing, none hidden or filtered out
    assert hidden.public_id not in first + second.content.decode()

    # The exports are of what is filtered, every page of it, never the hidden one.
    assert 'href="/acsa/orders.csv?status=draft"' in first
    export = client.get("/acsa/orders.csv", {"status": "draft"})
    lines = b"".join(export.streaming_content).decode().splitlines()  # type: ignore[attr-defined]
    assert len(lines) == 1 + 52
    assert hidden.number not in "\n".join(lines)
