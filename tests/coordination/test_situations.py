"""Situations, their legal designations over time, and closing with a formal entry."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from kizuna.acsa.models import SituationType
from kizuna.coordination import selectors, services
from kizuna.coordination.models import LogEntry, Situation

from .conftest import Cast, hours_ago, org

pytestmark = pytest.mark.django_db


def situation_type(code: str) -> SituationType:
    return SituationType.objects.get(code=code)


def test_designating_then_ending_changes_the_designation_in_force(cast: Cast) -> None:
    start, end = hours_ago(30), hours_ago(5)
    services.designation_add(
        actor=cast.jp_coordinator,
        situation=cast.situation,
        situation_type=situation_type("disaster-relief"),
        starts_at=start,
    )
    services.designation_end(actor=cast.jp_coordinator, situation=cast.situation, at=end)

    assert selectors.designation_in_force(cast.situation, start - timedelta(minutes=1)) is None
    assert selectors.designation_in_force(cast.situation, start).code == "disaster-relief"
    assert selectors.designation_in_force(cast.situation, hours_ago(6)).code == "disaster-relief"
    assert selectors.designation_in_force(cast.situation, end) is None
    assert selectors.designation_in_force(cast.situation, timezone.now()) is None


def test_every_designation_is_a_decision_entry_in_both_languages(cast: Cast) -> None:
    designation = services.designation_add(
        actor=cast.jp_coordinator,
        situation=cast.situation,
        situation_type=situation_type("disaster-relief"),
        starts_at=hours_ago(3),
    )
    decision = designation.decision
    assert decision.kind == LogEntry.Kind.DECISION
    assert decision.body is None
    assert "災害派遣" in decision.text
    assert "Disaster relief dispatch" in decision.translation
    assert decision.on_board  # a coordinator's own decision reaches the board


def test_an_overlapping_designation_is_refused_and_changes_nothing(cast: Cast) -> None:
    services.designation_add(
        actor=cast.jp_coordinator,
        situation=cast.situation,
        situation_type=situation_type("disaster-relief"),
        starts_at=hours_ago(10),
    )
    entries = LogEntry.objects.count()
    with pytest.raises(ValidationError) as refused:
        services.designation_add(
            actor=cast.jp_coordinator,
            situation=cast.situation,
            situation_type=situation_type("armed-attack"),
            starts_at=hours_ago(2),
        )
    assert "starts_at" in refused.value.message_dict
    assert "災害派遣" in refused.value.message_dict["starts_at"][0]
    assert cast.situation.designations.count() == 1
    assert LogEntry.objects.count() == entries


def test_an_ended_designation_may_be_followed_but_not_overlapped_backwards(cast: Cast) -> None:
    services.designation_add(
        actor=cast.jp_coordinator,
        situation=cast.situation,
        situation_type=situation_type("disaster-relief"),
        starts_at=hours_ago(10),
    )
    services.designation_end(actor=cast.jp_coordinator, situation=cast.situation, at=hours_ago(5))
    with pytest.raises(ValidationError):
        services.designation_add(
            actor=cast.jp_coordinator,
            situation=cast.situation,
            situation_type=situation_type("armed-attack"),
            starts_at=hours_ago(6),
        )
    services.designation_add(
        actor=cast.jp_coordinator,
        situation=cast.situation,
        situation_type=situation_type("armed-attack"),
        starts_at=hours_ago(4),
    )
    assert selectors.designation_in_force(cast.situation, hours_ago(1)).code == "armed-attack"


def test_re_designation_ends_one_and_starts_the_next_at_the_same_moment(cast: Cast) -> None:
    services.designation_add(
        actor=cast.jp_coordinator,
        situation=cast.situation,
        situation_type=situation_type("anticipated-armed-attack"),
        starts_at=hours_ago(10),
    )
    at = hours_ago(2)
    services.designation_change(
        actor=cast.jp_coordinator,
        situation=cast.situation,
        situation_type=situation_type("armed-attack"),
        at=at,
    )
    first, second = selectors.designations_of(cast.situation)
    assert first.ends_at == second.starts_at == at
    assert first.ending_decision == second.decision
    assert selectors.designation_in_force(cast.situation, at).code == "armed-attack"


def test_only_a_japanese_coordinator_designates(cast: Cast) -> None:
    for person in (cast.us_coordinator, cast.jp_liaison, cast.outsider, cast.auditor):
        with pytest.raises(PermissionDenied):
            services.designation_add(
                actor=person,
                situation=cast.situation,
                situation_type=situation_type("disaster-relief"),
                starts_at=hours_ago(1),
            )
    assert not cast.situation.designations.exists()


def test_a_designation_in_the_future_is_refused(cast: Cast) -> None:
    with pytest.raises(ValidationError) as refused:
        services.designation_add(
            actor=cast.jp_coordinator,
            situation=cast.situation,
            situation_type=situation_type("disaster-relief"),
            starts_at=timezone.now() + timedelta(hours=1),
        )
    assert "starts_at" in refused.value.message_dict


def test_closing_with_open_requests_is_refused_naming_them(cast: Cast) -> None:
    request = services.request_create(
        actor=cast.wa_officer,
        body=cast.ccc,
        requesting_organization=org("western-army"),
        supporting_organization=org("iii-mef"),
        summary="MV-22 airlift of relief supplies",
        language="en",
        place_name="Minamiaso",
        needed_by=timezone.now() + timedelta(hours=6),
        priority="immediate",
        lines=[services.LineInput("transportation", "airlift", Decimal("20"), "tonnes")],
    )
    with pytest.raises(ValidationError) as refused:
        services.situation_close(
            actor=cast.jp_coordinator, situation=cast.situation, text="活動終了"
        )
    message = refused.value.message_dict["requests"][0]
    assert f"#{request.reference}" in message
    assert "MV-22" in message
    cast.situation.refresh_from_db()
    assert cast.situation.is_open


def test_closing_writes_the_formal_closing_entry_and_stands_bodies_down(cast: Cast) -> None:
    services.designation_add(
        actor=cast.jp_coordinator,
        situation=cast.situation,
        situation_type=situation_type("disaster-relief"),
        starts_at=hours_ago(10),
    )
    situation = services.situation_close(
        actor=cast.jp_coordinator, situation=cast.situation, text="災害派遣終了。"
    )
    situation.refresh_from_db()
    assert situation.status == Situation.Status.CLOSED
    assert situation.closing_entry.text == "災害派遣終了。"
    assert situation.closing_entry.kind == LogEntry.Kind.DECISION
    assert not situation.bodies.filter(stood_down_at__isnull=True).exists()
    assert selectors.designation_in_force(situation, timezone.now()) is None
    with pytest.raises(ValidationError):
        services.entry_post(
            actor=cast.wa_officer, body=cast.ccc, kind="report", text="late", language="en"
        )


def test_a_situation_needs_a_title_and_a_place_in_range(cast: Cast) -> None:
    with pytest.raises(ValidationError):
        services.situation_open(
            actor=cast.jp_coordinator,
            organization=org("joint-staff"),
            title_ja="",
            title_en=" ",
            kind="disaster",
            starts_at=timezone.now(),
        )
    with pytest.raises(ValidationError):
        services.situation_open(
            actor=cast.jp_coordinator,
            organization=org("joint-staff"),
            title_ja="x",
            title_en="",
            kind="disaster",
            starts_at=timezone.now(),
            latitude=Decimal("91"),
        )
    with pytest.raises(PermissionDenied):
        services.situation_open(
            actor=cast.wa_officer,
            organization=org("western-army"),
            title_ja="x",
            title_en="",
            kind="disaster",
            starts_at=timezone.now(),
        )
