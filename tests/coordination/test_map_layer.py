"""The shared map's situations layer: open situations with a position, each shown only to
the people coordination's own rule lets see it."""

from __future__ import annotations

from decimal import Decimal

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kizuna.coordination import services
from kizuna.coordination.models import Situation

from .conftest import Cast, org


def test_an_open_situation_with_a_position_is_on_the_map_of_those_who_see_it(
    cast: Cast, client: Client
) -> None:
    launch = services.situation_open(
        actor=cast.jp_coordinator,
        organization=org("joint-staff"),
        title_ja="弾道ミサイル発射",
        title_en="Ballistic missile launch",
        kind=Situation.Kind.MISSILE_LAUNCH,
        starts_at=timezone.now(),
        place_name="日本海",
        latitude=Decimal("40.0"),
        longitude=Decimal("134.0"),
    )
    launch_url = reverse("coordination:situation", args=[launch.public_id])
    unplaced_url = reverse("coordination:situation", args=[cast.situation.public_id])

    client.force_login(cast.jp_coordinator)
    page = client.get(reverse("sharing:map")).content.decode()
    assert page.count('data-testid="map-situation"') == 1
    assert f'href="{launch_url}"' in page
    assert f'href="{unplaced_url}"' not in page  # no position, no place on the map
    assert client.get("/api/sharing/map/places").json() == [
        {
            "layer": "situation",
            "url": launch_url,
            "title": "弾道ミサイル発射",
            "latitude": 40.0,
            "longitude": 134.0,
            "note": "ミサイル発射 · 日本海",
        }
    ]

    client.force_login(cast.outsider)  # sits in no body of it and is not on the lead's staff
    assert 'data-testid="map-situation"' not in client.get(reverse("sharing:map")).content.decode()
    assert client.get("/api/sharing/map/places").json() == []
