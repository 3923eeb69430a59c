"""The situation page's designation and closing forms: a refusal shows beside the field on
the page again (422), with what was typed kept, and changes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from kizuna.acsa.models import SituationType
from kizuna.coordination import services
from kizuna.coordination.models import Designation

from .conftest import Cast

pytestmark = pytest.mark.django_db


def _english(client: Client, person: object) -> None:
    person.language = "en"  # type: ignore[attr-defined]
    person.save()  # type: ignore[attr-defined]
    client.force_login(person)  # type: ignore[arg-type]


def test_a_designation_in_the_future_is_refused_beside_the_time(client: Client, cast: Cast) -> None:
    _english(client, cast.jp_coordinator)
    kind = SituationType.objects.get(code="disaster-relief")
    response = client.post(
        f"/coordination/situations/{cast.situation.public_id}/designations/add/",
        {"situation_type": kind.pk, "at": "2999-01-01T00:00"},
    )
    assert response.status_code == 422
    assert "in the future" in response.context["designation_form"].errors["at"][0]
    page = response.content.decode()
    assert f'<option value="{kind.pk}" selected>' in page  # what was chosen is kept
    assert 'value="2999-01-01T00:00"' in page
    assert not Designation.objects.filter(situation=cast.situation).exists()


def test_an_overlapping_designation_names_the_one_in_force(client: Client, cast: Cast) -> None:
    kind = SituationType.objects.get(code="disaster-relief")
    services.designation_add(
        actor=cast.jp_coordinator,
        situation=cast.situation,
        situation_type=kind,
        starts_at=timezone.now() - timedelta(days=2),
    )
    _english(client, cast.jp_coordinator)
    at = (timezone.now() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        f"/coordination/situations/{cast.situation.public_id}/designations/add/",
        {"situation_type": kind.pk, "at": at},
    )
    assert response.status_code == 422
    assert "overlaps" in response.context["designation_form"].errors["at"][0]
    assert Designation.objects.filter(situation=cast.situation).count() == 1


def test_closing_without_a_closing_entry_is_refused_beside_it(client: Client, cast: Cast) -> None:
    client.force_login(cast.jp_coordinator)
    response = client.post(
        f"/coordination/situations/{cast.situation.public_id}/close/", {"text": " "}
    )
    assert response.status_code == 422
    assert response.context["close_form"].errors["text"]
    cast.situation.refresh_from_db()
    assert cast.situation.is_open
    closed = client.post(
        f"/coordination/situations/{cast.situation.public_id}/close/", {"text": "終了"}
    )
    assert closed.status_code == 302
    cast.situation.refresh_from_db()
    assert not cast.situation.is_open
