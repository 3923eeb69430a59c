"""The scenario: an inject's lifecycle, the clock, delivery by the worker (driven with a
fake "now", never by sleeping), and every refusal in both languages with nothing written."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from kizuna.coordination.models import LogEntry
from kizuna.core.audit import AuditEvent
from kizuna.exercises import policy, services
from kizuna.exercises.models import Inject

from .scenario_helpers import Run

pytestmark = pytest.mark.django_db
S = Inject.Status
T0 = datetime(2026, 11, 1, 6, 0, tzinfo=UTC)  # scenario start: 23:00 PDT, 15:00 JST, 20:00 HST


def _actions(inject: Inject) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_type="exercises.inject", object_id=str(inject.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )


def test_lifecycle_draft_to_responded(run: Run) -> None:
    inject = run.add(T0 + timedelta(minutes=30), "1")
    assert inject.status == S.DRAFT
    assert inject.number == 1
    # Not yet delivered: the controller reads it, the players do not.
    assert policy.injects_visible(run.controller).filter(pk=inject.pk).exists()
    assert not policy.injects_visible(run.player).filter(pk=inject.pk).exists()
    services.inject_approve(actor=run.controller, inject=inject)
    inject.refresh_from_db()
    assert inject.status == S.APPROVED  # no clock yet
    real = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)
    services.clock_start(actor=run.controller, exercise=run.exercise, scenario_at=T0, now=real)
    inject.refresh_from_db()
    assert inject.status == S.SCHEDULED
    # 29 real minutes at 1×: not due; 30 minutes: due.
    assert services.deliver_due(now=real + timedelta(minutes=29)) == 0
    assert services.deliver_due(now=real + timedelta(minutes=30)) == 1
    inject.refresh_from_db()
    assert inject.status == S.DELIVERED
    assert not inject.late
    assert inject.due_at == real + timedelta(minutes=30)
    entry = inject.entry
    assert entry.body == run.body
    assert entry.situation == run.situation
    assert entry.text.startswith("EXERCISE EXERCISE EXERCISE\n状況付与 1: 状況1")
    assert entry.translation.startswith("EXERCISE EXERCISE EXERCISE\nInject 1: Situation 1")
    assert entry.event_at == T0 + timedelta(minutes=30)  # the scenario's time of the event
    assert entry.marking_id == run.exercise.marking_id == inject.marking_id
    assert policy.injects_visible(run.player).filter(pk=inject.pk).exists()
    services.inject_acknowledge(actor=run.us_player, inject=inject)
    inject.refresh_from_db()
    assert inject.status == S.ACKNOWLEDGED
    assert inject.acknowledged_by == run.us_player
    services.inject_respond(actor=run.player, inject=inject, response="BOCCに報告した")
    inject.refresh_from_db()
    assert inject.status == S.RESPONDED
    assert inject.response == "BOCCに報告した"
    assert _actions(inject) == [
        "exercises.inject.add",
        "exercises.inject.approve",
        "exercises.inject.deliver",
        "exercises.inject.acknowledge",
        "exercises.inject.respond",
    ]


def test_hold_edit_reschedule_and_fire_now(run: Run) -> None:
    real = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)
    services.clock_start(actor=run.controller, exercise=run.exercise, scenario_at=T0, now=real)
    inject = run.add(T0 + timedelta(hours=1), "2")
    services.inject_approve(actor=run.controller, inject=inject)
    inject.refresh_from_db()
    assert inject.status == S.SCHEDULED  # the clock runs
    services.inject_hold(actor=run.controller, inject=inject)
    assert services.deliver_due(now=real + timedelta(hours=2)) == 0  # held: passed over
    inject.refresh_from_db()
    assert inject.status == S.HELD
    services.inject_approve(actor=run.controller, inject=inject)
    services.inject_edit(
        actor=run.controller,
        inject=inject,
        method="phone",
        text_ja="新しい状況",
        text_en="New situation",
        expected_action_ja="対処せよ",
        expected_action_en="Respond",
    )
    inject.refresh_from_db()
    assert inject.status == S.DRAFT
    assert inject.approved_by is None  # approve what goes out
    services.inject_reschedule(
        actor=run.controller, inject=inject, scheduled_at=T0 + timedelta(hours=5)
    )
    services.inject_approve(actor=run.controller, inject=inject)
    fired = services.inject_fire_now(
        actor=run.controller, inject=inject, now=real + timedelta(minutes=10)
    )
    assert fired.status == S.DELIVERED
    assert not fired.late
    assert fired.entry.text.endswith("新しい状況")
    assert fired.entry.event_at == T0 + timedelta(minutes=10)  # scenario now, not its time
    # Gone out: no more edits, holds or reschedules; no second delivery.
    for change in (
        lambda: services.inject_hold(actor=run.controller, inject=inject),
        lambda: services.inject_reschedule(
            actor=run.controller, inject=inject, scheduled_at=T0 + timedelta(hours=6)
        ),
        lambda: services.inject_fire_now(actor=run.controller, inject=inject),
    ):
        with pytest.raises(ValidationError):
            change()
    assert LogEntry.objects.filter(inject=inject).count() == 1
    assert "exercises.inject.fire" in _actions(inject)


def test_a_draft_is_not_fired(run: Run) -> None:
    inject = run.add(T0, "3")
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.inject_fire_now(actor=run.controller, inject=inject)
    assert "Approve inject 1 before it goes out." in refused.value.messages
    assert Inject.objects.get(pk=inject.pk).status == S.DRAFT


@pytest.mark.parametrize(
    ("language", "words"),
    [("ja", "演習の状況付与期間外"), ("en", "outside the exercise's scenario period")],
)
def test_an_inject_outside_the_scenario_period_is_refused(
    run: Run, language: str, words: str
) -> None:
    with translation.override(language), pytest.raises(ValidationError) as refused:
        run.add(datetime(2026, 11, 3, 12, 0, tzinfo=UTC))  # after Hawaii's Nov 2 ends
    assert words in refused.value.message_dict["scheduled_at"][0]
    assert not Inject.objects.exists()


def test_the_scenario_period_spans_the_three_zones(run: Run) -> None:
    start, end = services.scenario_period(run.exercise)
    assert start == datetime(2026, 10, 30, 15, 0, tzinfo=UTC)  # Oct 31 00:00 JST
    assert end == datetime(2026, 11, 3, 10, 0, tzinfo=UTC)  # Nov 3 00:00 HST
    run.add(start)
    with pytest.raises(ValidationError):
        run.add(end)
    with pytest.raises(ValidationError):
        run.add(start - timedelta(seconds=1))


@pytest.mark.parametrize(
    ("language", "words"), [("ja", "タイムゾーン"), ("en", "with its time zone")]
)
def test_a_bare_local_time_is_refused(run: Run, language: str, words: str) -> None:
    with translation.override(language), pytest.raises(ValidationError) as refused:
        run.add(datetime(2026, 11, 1, 9, 0))  # noqa: DTZ001 (the point)
    assert words in refused.value.message_dict["scheduled_at"][0]
    inject = run.add(T0)
    with pytest.raises(ValidationError):
        services.inject_reschedule(
            actor=run.controller,
            inject=inject,
            scheduled_at=datetime(2026, 11, 1, 9, 0),  # noqa: DTZ001
        )
    assert Inject.objects.get().scheduled_at == T0


def test_a_cell_that_takes_no_part_is_refused(run: Run) -> None:
    from kizuna.core.models import Organization

    joint_staff = Organization.objects.get(code="joint-staff")
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        run.add(T0, target_body=None, target_organization=joint_staff)
    assert "takes no part in this exercise" in refused.value.message_dict["target"][0]
    with translation.override("ja"), pytest.raises(ValidationError) as refused:
        run.add(T0, target_body=None, target_organization=joint_staff)
    assert "この演習に参加していません" in refused.value.message_dict["target"][0]
    # A participating organization sitting in the situation's body is a cell.
    inject = run.add(T0, target_body=None, target_organization=run.usfj)
    assert services.delivery_body(run.exercise, inject) == run.body
    assert Inject.objects.count() == 1


@pytest.mark.parametrize("who", ["player", "uncelled", "outsider"])
def test_only_a_controller_of_the_control_cell_writes_the_scenario(run: Run, who: str) -> None:
    person = getattr(run, who)
    inject = run.add(T0)
    writes = (
        lambda: services.inject_add(
            actor=person,
            exercise=run.exercise,
            scheduled_at=T0,
            method="log",
            text_ja="あ",
            text_en="a",
            expected_action_ja="あ",
            expected_action_en="a",
            target_body=run.body,
        ),
        lambda: services.inject_approve(actor=person, inject=inject),
        lambda: services.inject_hold(actor=person, inject=inject),
        lambda: services.inject_reschedule(actor=person, inject=inject, scheduled_at=T0),
        lambda: services.inject_fire_now(actor=person, inject=inject),
        lambda: services.clock_start(actor=person, exercise=run.exercise, scenario_at=T0),
    )
    for write in writes:
        with translation.override("en"), pytest.raises(PermissionDenied) as refused:
            write()
        assert "Only an exercise controller" in str(refused.value)
    assert Inject.objects.get().status == S.DRAFT
    assert not hasattr(run.exercise, "clock") or run.exercise.clock is None


def test_only_the_target_cell_answers(run: Run) -> None:
    inject = run.add(T0, "x")
    services.inject_approve(actor=run.controller, inject=inject)
    services.inject_fire_now(actor=run.controller, inject=inject)
    for person in (run.outsider, run.controller):
        with pytest.raises(PermissionDenied):
            services.inject_acknowledge(actor=person, inject=inject)
        with pytest.raises(PermissionDenied):
            services.inject_respond(actor=person, inject=inject, response="x")
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.inject_respond(actor=run.player, inject=inject, response="  ")
    assert refused.value.message_dict["response"] == ["Write what your cell did."]
    assert Inject.objects.get().status == S.DELIVERED


def test_the_clock_pauses_resumes_jumps_and_runs_faster(run: Run) -> None:
    real = datetime(2026, 11, 30, 0, 0, tzinfo=UTC)
    c = services.clock_start(
        actor=run.controller, exercise=run.exercise, scenario_at=T0, speed=60, now=real
    )
    assert c.scenario_now(real + timedelta(minutes=1)) == T0 + timedelta(hours=1)
    c = services.clock_pause(
        actor=run.controller, exercise=run.exercise, now=real + timedelta(minutes=2)
    )
    assert c.scenario_now(real + timedelta(hours=5)) == T0 + timedelta(hours=2)
    c = services.clock_resume(
        actor=run.controller, exercise=run.exercise, now=real + timedelta(minutes=10)
    )
    assert c.scenario_now(real + timedelta(minutes=11)) == T0 + timedelta(hours=3)
    c = services.clock_jump(
        actor=run.controller,
        exercise=run.exercise,
        scenario_at=T0 + timedelta(hours=20),
        now=real + timedelta(minutes=12),
    )
    c = services.clock_speed(
        actor=run.controller, exercise=run.exercise, speed=1, now=real + timedelta(minutes=12)
    )
    assert c.scenario_now(real + timedelta(minutes=13)) == T0 + timedelta(hours=20, minutes=1)
    actions = list(
        AuditEvent.objects.filter(action__startswith="exercises.clock.").values_list(
            "action", flat=True
        )
    )
    assert actions == [
        "exercises.clock.start",
        "exercises.clock.pause",
        "exercises.clock.resume",
        "exercises.clock.jump",
        "exercises.clock.speed",
    ]


@pytest.mark.parametrize("speed", [0, -2, 10_001, "fast"])
def test_a_speed_beyond_belief_is_refused(run: Run, speed: object) -> None:
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.clock_start(
            actor=run.controller, exercise=run.exercise, scenario_at=T0, speed=speed
        )
    assert "above 0 and at most 10,000" in refused.value.message_dict["speed"][0]
    assert not AuditEvent.objects.filter(action__startswith="exercises.clock.").exists()


def test_a_clock_jump_outside_the_period_is_refused(run: Run) -> None:
    services.clock_start(actor=run.controller, exercise=run.exercise, scenario_at=T0)
    with pytest.raises(ValidationError) as refused:
        services.clock_jump(
            actor=run.controller, exercise=run.exercise, scenario_at=T0 + timedelta(days=9)
        )
    assert "scenario_at" in refused.value.message_dict


def test_a_worker_that_was_down_delivers_what_fell_due_once_in_order_late(run: Run) -> None:
    """Twelve injects, one every ten scenario minutes, at 60× (one real ten seconds each).
    The worker runs for the first three, stops for a real minute, comes back: the ones due
    meanwhile go out once each, in order, marked late; then it keeps time again."""
    real = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)
    injects = [run.add(T0 + timedelta(minutes=10 * (n + 1)), str(n + 1)) for n in range(12)]
    for inject in injects:
        services.inject_approve(actor=run.controller, inject=inject)
    services.clock_start(
        actor=run.controller, exercise=run.exercise, scenario_at=T0, speed=60, now=real
    )
    for tick in range(1, 32):  # the worker looks every second for 31 seconds
        services.deliver_due(now=real + timedelta(seconds=tick))
    back = real + timedelta(seconds=100)  # down from 31 s to 100 s
    assert services.deliver_due(now=back) == 7  # due at 40, 50, … 100 s
    # A second worker starting at the same moment finds nothing left to deliver.
    assert services.deliver_due(now=back) == 0
    for tick in range(101, 130):
        services.deliver_due(now=real + timedelta(seconds=tick))
    delivered = list(Inject.objects.order_by("delivered_at", "entry__seq"))
    assert [i.number for i in delivered] == list(range(1, 13))
    assert all(i.status == S.DELIVERED for i in delivered)
    assert LogEntry.objects.filter(inject__isnull=False).count() == 12
    seqs = [i.entry.seq for i in delivered]
    assert seqs == sorted(seqs)
    for inject in delivered:
        due = real + timedelta(seconds=10 * inject.number)
        assert inject.due_at == due
        expected_late = 31 < 10 * inject.number < 100  # 100 s went out on time
        assert inject.late is expected_late, inject.number
        assert inject.delivered_at == (back if 31 < 10 * inject.number <= 100 else due)


def test_the_delivery_guard_lets_only_one_worker_post(run: Run) -> None:
    """Two workers that both read the inject as scheduled: the second's guarded update
    finds it delivered and posts nothing."""
    from kizuna.exercises.services import scenario

    inject = run.add(T0, "g")
    services.inject_approve(actor=run.controller, inject=inject)
    services.clock_start(actor=run.controller, exercise=run.exercise, scenario_at=T0)
    stale = Inject.objects.select_related("exercise__marking", "approved_by").get(pk=inject.pk)
    now = datetime(2026, 11, 30, 3, 0, tzinfo=UTC)
    assert scenario._deliver(stale, now=now, due_at=now) == 1
    assert scenario._deliver(stale, now=now, due_at=now) == 0
    assert LogEntry.objects.filter(inject__isnull=False).count() == 1


def test_the_task_worker_delivers_injects_twice_a_second() -> None:
    from kizuna.core.management.commands.worker import jobs

    assert ("exercise-delivery", 0.5, services.deliver_due) in jobs()


def test_an_inject_text_beyond_its_bound_is_refused_on_pages_and_api_alike(run: Run) -> None:
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        run.add(T0 + timedelta(minutes=30), text_en="x" * 5_001)
    assert refused.value.message_dict["text_en"] == ["Keep it to 5000 characters (this has 5001)."]
    assert not Inject.objects.filter(exercise=run.exercise).exists()
