"""Writes of the scenario: injects through their lifecycle (draft → approved → scheduled →
delivered → acknowledged → responded, or held), the exercise clock, and delivery into the
target cell's log. Each write one transaction, audited; controllers only, except that the
players of a delivered inject acknowledge and answer it, and the worker delivers.

"Approved" is an inject a controller has passed before the exercise's clock has started;
once it has, approved injects are "scheduled": the worker delivers them when scenario time
reaches them (`deliver_due`), and not while the clock is paused.
"""

from __future__ import annotations

import logging
import zoneinfo
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kizuna.coordination import services as coordination_services
from kizuna.coordination.models import Body, Situation
from kizuna.core import bounds, formats
from kizuna.core.audit import record_event
from kizuna.core.models import Organization, Person, Role
from kizuna.sharing import services as sharing_services
from kizuna.sharing.models import Community, MarkingSet

from .. import documents, policy
from ..models import (
    CONTROL_COMMUNITY,
    INJECT_TEXT_CHARS,
    LATE_GRACE,
    MAX_SPEED,
    Exercise,
    ExerciseClock,
    Inject,
    Objective,
)
from .review import checked_text

S = Inject.Status
logger = logging.getLogger(__name__)


def _require_controller(actor: Person, exercise: Exercise) -> None:
    if not policy.may_control(actor, exercise):
        raise PermissionDenied(
            _("Only an exercise controller of the exercise's control cell may do this.")
        )


def scenario_period(exercise: Exercise) -> tuple[datetime, datetime] | None:
    """The instants the exercise's dates cover in any of the zones it is run across: from
    its first day's midnight where that comes first (Japan) to its last day's end where
    that comes last (Hawaii). None when the source gives no dates."""
    if exercise.starts_on is None:
        return None
    last = exercise.ends_on or exercise.starts_on
    zones = [zoneinfo.ZoneInfo(z) for z in settings.DEFAULT_TIME_ZONES]
    start = min(datetime.combine(exercise.starts_on, time(), z) for z in zones)
    end = max(datetime.combine(last + timedelta(days=1), time(), z) for z in zones)
    return start, end


def _check_schedule(exercise: Exercise, at: datetime, field: str = "scheduled_at") -> datetime:
    """The scenario time as an instant in UTC, or refused: bare, or outside the period."""
    if timezone.is_naive(at):
        raise ValidationError(
            {
                field: _(
                    "Give the scenario time with its time zone: a bare local time reads "
                    "differently in Japan, Washington State and Hawaii."
                )
            }
        )
    period = scenario_period(exercise)
    if period is None:
        raise ValidationError(
            {field: _("The exercise has no dates yet, so it has no scenario period.")}
        )
    start, end = period
    if not start <= at < end:
        raise ValidationError(
            {
                field: _("%(at)s is outside the exercise's scenario period (%(start)s to %(end)s).")
                % {
                    "at": formats.instant(at, "UTC"),
                    "start": formats.instant(start, "UTC"),
                    "end": formats.instant(end, "UTC"),
                }
            }
        )
    return at.astimezone(UTC)


def delivery_body(exercise: Exercise, inject: Inject) -> Body:
    """The body whose log receives an inject: the target body, or for a target organization
    the first active body of the exercise's situation it sits in."""
    if inject.target_body is not None:
        return inject.target_body
    body = (
        Body.objects.filter(
            situation=exercise.situation_id,
            organizations=inject.target_organization,
            stood_down_at__isnull=True,
        )
        .order_by("kind", "code")
        .first()
    )
    if body is None:  # checked when aimed; a body stood down since
        raise ValidationError(
            {"target": _("The target cell sits in no active body of the exercise's situation.")}
        )
    return body


def _check_target(exercise: Exercise, body: Body | None, organization: Organization | None) -> None:
    if exercise.situation_id is None:
        raise ValidationError(
            {
                "target": _(
                    "The exercise is not run on a situation yet: link its situation first, so "
                    "injects have a log to go into."
                )
            }
        )
    if (body is None) == (organization is None):
        raise ValidationError(
            {"target": _("Aim the inject at one cell: an organization or a coordination body.")}
        )
    cell = body or organization
    takes_part = (
        body.situation_id == exercise.situation_id
        if body is not None
        else exercise.participations.filter(organization=organization).exists()
        and Body.objects.filter(
            situation=exercise.situation_id,
            organizations=organization,
            stood_down_at__isnull=True,
        ).exists()
    )
    if not takes_part:
        raise ValidationError(
            {"target": _("%(cell)s takes no part in this exercise.") % {"cell": cell}}
        )


def _check_content(
    *, method: str, text_ja: str, text_en: str, action_ja: str, action_en: str
) -> None:
    if method not in Inject.Method.values:
        raise ValidationError({"method": _("Unknown channel.")})
    if not (text_ja.strip() and text_en.strip()):
        raise ValidationError({"text_ja": _("Write the inject's text in both languages.")})
    if not (action_ja.strip() and action_en.strip()):
        raise ValidationError(
            {"expected_action_ja": _("Write the expected player action in both languages.")}
        )
    # Pages and the API alike: the review's one check of a text's length and characters.
    for field, value, limit in (
        ("text_ja", text_ja, INJECT_TEXT_CHARS),
        ("text_en", text_en, INJECT_TEXT_CHARS),
        ("expected_action_ja", action_ja, bounds.REASON_CHARS),
        ("expected_action_en", action_en, bounds.REASON_CHARS),
    ):
        checked_text(value, field, limit=limit)


def _check_objective(exercise: Exercise, objective: Objective | None) -> None:
    if objective is not None and objective.exercise_id != exercise.pk:
        raise ValidationError({"objective": _("Choose an objective of this exercise.")})


def _control_marking(exercise: Exercise) -> MarkingSet:
    """The exercise's marking with the controllers' community added: the scenario's, until
    an inject goes out."""
    marking = exercise.marking
    # Reference data (migration 0005); made here should a database lack it.
    community, _created = Community.objects.get_or_create(
        code=CONTROL_COMMUNITY,
        defaults={
            "name_ja": "統裁部",
            "name_en": "Exercise control cell",
            "reserved_for": "exercises",
        },
    )
    return sharing_services.marking_set(
        sharing_services.ResolvedMarking(
            marking.level,
            list(marking.releasable_to.all()),
            list(marking.caveats.all()),
            [*marking.communities.exclude(pk=community.pk), community],
        )
    )


def _locked(inject: Inject) -> Inject:
    """The inject read again under its row lock (only its own row: the joins may be null)."""
    return (
        Inject.objects.select_for_update(of=("self",))
        .select_related("exercise", "target_body", "target_organization")
        .get(pk=inject.pk)
    )


def _require_pending(inject: Inject) -> None:
    if not inject.is_pending:
        raise ValidationError(
            {"status": _("Inject %(number)s has already gone out.") % {"number": inject.number}}
        )


def _clock_started(exercise: Exercise) -> bool:
    return ExerciseClock.objects.filter(exercise=exercise).exists()


def _audit(actor: Person | None, action: str, inject: Inject, **after: object) -> None:
    record_event(
        actor=actor,
        action=f"exercises.inject.{action}",
        obj=inject,
        after={"number": inject.number, "status": inject.status, **after},
    )


@transaction.atomic
def inject_add(
    *,
    actor: Person,
    exercise: Exercise,
    scheduled_at: datetime,
    method: str,
    text_ja: str,
    text_en: str,
    expected_action_ja: str,
    expected_action_en: str,
    target_body: Body | None = None,
    target_organization: Organization | None = None,
    objective: Objective | None = None,
) -> Inject:
    """A new inject of the MSEL, a draft marked for the controllers' cell."""
    _require_controller(actor, exercise)
    scheduled_at = _check_schedule(exercise, scheduled_at)
    _check_target(exercise, target_body, target_organization)
    _check_content(
        method=method,
        text_ja=text_ja,
        text_en=text_en,
        action_ja=expected_action_ja,
        action_en=expected_action_en,
    )
    _check_objective(exercise, objective)
    Exercise.objects.select_for_update().get(pk=exercise.pk)  # numbers drawn in turn
    last = exercise.injects.order_by("-number").values_list("number", flat=True).first()
    inject = Inject.objects.create(
        exercise=exercise,
        number=(last or 0) + 1,
        scheduled_at=scheduled_at,
        target_body=target_body,
        target_organization=target_organization,
        method=method,
        text_ja=text_ja.strip(),
        text_en=text_en.strip(),
        expected_action_ja=expected_action_ja.strip(),
        expected_action_en=expected_action_en.strip(),
        objective=objective,
        marking=_control_marking(exercise),
    )
    _audit(
        actor,
        "add",
        inject,
        scheduled_at=scheduled_at,
        target=str(inject.target),
        method=method,
        text_ja=inject.text_ja,
        text_en=inject.text_en,
    )
    return inject


@transaction.atomic
def inject_approve(*, actor: Person, inject: Inject) -> Inject:
    """A controller passes a draft (or releases a held inject): scheduled at once when the
    exercise's clock exists, approved until it does."""
    inject = _locked(inject)
    _require_controller(actor, inject.exercise)
    if inject.status not in (S.DRAFT, S.HELD):
        raise ValidationError(
            {
                "status": _("Only a draft or a held inject is approved; this one is %(status)s.")
                % {"status": inject.get_status_display()}
            }
        )
    inject.status = S.SCHEDULED if _clock_started(inject.exercise) else S.APPROVED
    inject.approved_by = actor
    inject.save(update_fields=["status", "approved_by"])
    _audit(actor, "approve", inject)
    return inject


@transaction.atomic
def inject_hold(*, actor: Person, inject: Inject) -> Inject:
    """Keep an inject back: the worker passes over it until a controller approves it again."""
    inject = _locked(inject)
    _require_controller(actor, inject.exercise)
    _require_pending(inject)
    inject.status = S.HELD
    inject.save(update_fields=["status"])
    _audit(actor, "hold", inject)
    return inject


@transaction.atomic
def inject_edit(
    *,
    actor: Person,
    inject: Inject,
    method: str,
    text_ja: str,
    text_en: str,
    expected_action_ja: str,
    expected_action_en: str,
    objective: Objective | None = None,
) -> Inject:
    """Change what an inject says before it goes out. An approved inject goes back to draft:
    what was approved is not what will go out."""
    inject = _locked(inject)
    _require_controller(actor, inject.exercise)
    _require_pending(inject)
    _check_content(
        method=method,
        text_ja=text_ja,
        text_en=text_en,
        action_ja=expected_action_ja,
        action_en=expected_action_en,
    )
    _check_objective(inject.exercise, objective)
    before = {"text_ja": inject.text_ja, "text_en": inject.text_en, "status": inject.status}
    inject.method = method
    inject.text_ja, inject.text_en = text_ja.strip(), text_en.strip()
    inject.expected_action_ja = expected_action_ja.strip()
    inject.expected_action_en = expected_action_en.strip()
    inject.objective = objective
    if inject.status in (S.APPROVED, S.SCHEDULED):
        inject.status = S.DRAFT
        inject.approved_by = None
    inject.save()
    record_event(
        actor=actor,
        action="exercises.inject.edit",
        obj=inject,
        before=before,
        after={"text_ja": inject.text_ja, "text_en": inject.text_en, "status": inject.status},
    )
    return inject


@transaction.atomic
def inject_reschedule(*, actor: Person, inject: Inject, scheduled_at: datetime) -> Inject:
    inject = _locked(inject)
    _require_controller(actor, inject.exercise)
    _require_pending(inject)
    scheduled_at = _check_schedule(inject.exercise, scheduled_at)
    before = inject.scheduled_at
    inject.scheduled_at = scheduled_at
    inject.save(update_fields=["scheduled_at"])
    record_event(
        actor=actor,
        action="exercises.inject.reschedule",
        obj=inject,
        before={"scheduled_at": before},
        after={"scheduled_at": scheduled_at},
    )
    return inject


@transaction.atomic
def inject_fire_now(*, actor: Person, inject: Inject, now: datetime | None = None) -> Inject:
    """Deliver an approved (or scheduled, or held) inject at once, whatever its time."""
    inject = _locked(inject)
    _require_controller(actor, inject.exercise)
    _require_pending(inject)
    if inject.approved_by_id is None:
        raise ValidationError(
            {
                "status": _("Approve inject %(number)s before it goes out.")
                % {"number": inject.number}
            }
        )
    now = now or timezone.now()
    clock = ExerciseClock.objects.filter(exercise=inject.exercise).first()
    _deliver(inject, now=now, due_at=now, event_at=clock.scenario_now(now) if clock else None)
    _audit(actor, "fire", inject)
    return inject


def _require_player(inject: Inject, actor: Person) -> None:
    """Players are the target cell's staff; anyone else is refused like a stranger."""
    if not policy.may_play(actor, inject):
        raise PermissionDenied(_("Only the staff of the inject's target cell answer it."))


@transaction.atomic
def inject_acknowledge(*, actor: Person, inject: Inject) -> Inject:
    inject = _locked(inject)
    _require_player(inject, actor)
    if inject.status != S.DELIVERED:
        raise ValidationError({"status": _("This inject has already been acknowledged.")})
    inject.status = S.ACKNOWLEDGED
    inject.acknowledged_by, inject.acknowledged_at = actor, timezone.now()
    inject.save(update_fields=["status", "acknowledged_by", "acknowledged_at"])
    _audit(actor, "acknowledge", inject)
    return inject


@transaction.atomic
def inject_respond(*, actor: Person, inject: Inject, response: str) -> Inject:
    """The players' answer (what they did); answering acknowledges too."""
    inject = _locked(inject)
    _require_player(inject, actor)
    if inject.status == S.RESPONDED:
        raise ValidationError({"response": _("This inject has already been answered.")})
    if not response.strip():
        raise ValidationError({"response": _("Write what your cell did.")})
    checked_text(response, "response", limit=INJECT_TEXT_CHARS)
    now = timezone.now()
    if inject.acknowledged_at is None:
        inject.acknowledged_by, inject.acknowledged_at = actor, now
    inject.status = S.RESPONDED
    inject.responded_by, inject.responded_at, inject.response = actor, now, response.strip()
    inject.save()
    _audit(actor, "respond", inject, response=inject.response)
    return inject


def injects_outstanding(*, actor: Person, situation: Situation) -> dict[str, str]:
    """Why an exercise's situation may not close yet (coordination asks through the
    AppConfig's `situation_close_check`): injects still to go out, approved or scheduled.
    Each is named, with its scenario time, to a reader who may see it; anyone else learns
    only that the controllers still hold some, so the scenario stays hidden from players.
    Drafts and held injects never go out and do not keep an exercise open."""
    waiting = Inject.objects.filter(
        exercise__situation=situation, status__in=(S.APPROVED, S.SCHEDULED)
    ).order_by("scheduled_at", "number")
    if not waiting.exists():
        return {}
    seen = list(waiting.filter(pk__in=policy.injects_visible(actor).values("pk")))
    if not seen:
        return {
            "injects": _(
                "The exercise's controllers still have injects scheduled: they deliver or "
                "hold them before the exercise closes."
            )
        }
    listed = ", ".join(
        _("inject %(number)s at %(at)s")
        % {"number": inject.number, "at": formats.instant(inject.scheduled_at, "UTC")}
        for inject in seen
    )
    return {
        "injects": _(
            "These injects are still scheduled; deliver or hold them before the exercise "
            "closes: %(injects)s"
        )
        % {"injects": listed}
    }


# --- delivery ------------------------------------------------------------------------------


def _deliver(
    inject: Inject, *, now: datetime, due_at: datetime, event_at: datetime | None = None
) -> int:
    """Post one inject into its cell's log and open it to the players. The status change is
    guarded (`status` still pending in the UPDATE), so a second worker finds nothing to do."""
    if not Inject.objects.filter(pk=inject.pk, status__in=Inject.PENDING).update(
        status=S.DELIVERED, delivered_at=now
    ):
        return 0
    exercise = inject.exercise
    approver = inject.approved_by
    assert approver is not None  # only approved injects are delivered
    membership = next(
        (m for m in approver.membership_rows() if m.role == Role.EXERCISE_CONTROLLER), None
    )
    if membership is None:
        raise ValidationError(
            {"approved_by": _("The approving controller no longer holds the role.")}
        )
    label_ja = f"{documents.BANNER}\n状況付与 {inject.number}: "
    label_en = f"{documents.BANNER}\nInject {inject.number}: "
    inject.entry = coordination_services.entry_deliver(
        author=approver,
        membership=membership,
        body=delivery_body(exercise, inject),
        text_ja=label_ja + inject.text_ja,
        text_en=label_en + inject.text_en,
        event_at=event_at or inject.scheduled_at,
        marking=exercise.marking,
    )
    inject.status = S.DELIVERED
    inject.marking = exercise.marking
    inject.due_at, inject.delivered_at = due_at, now
    inject.late = now - due_at > LATE_GRACE
    inject.save(update_fields=["status", "marking", "due_at", "delivered_at", "late", "entry"])
    _audit(None, "deliver", inject, due_at=due_at, delivered_at=now, late=inject.late)
    return 1


def deliver_due(*, now: datetime | None = None) -> int:
    """Deliver every scheduled inject whose scenario time the exercise's clock has reached,
    in order of scenario time, each in a transaction of its own under the clock's row lock
    (two workers take turns, the second finding it delivered; a hold, a reschedule or a
    pause that lands meanwhile is seen before it goes out). A worker that was down delivers
    what fell due meanwhile, each marked late. Returns how many went out."""
    now = now or timezone.now()
    delivered = 0
    running = ExerciseClock.objects.filter(
        paused=False, exercise__injects__status=S.SCHEDULED
    ).distinct()
    for clock in running:
        due = Inject.objects.filter(
            exercise=clock.exercise_id,
            status=S.SCHEDULED,
            scheduled_at__lte=clock.scenario_now(now),
        ).order_by("scheduled_at", "number")
        for inject_pk in list(due.values_list("pk", flat=True)):
            try:
                delivered += _deliver_due_one(clock.pk, inject_pk, now)
            except ValidationError:  # a target body stood down: the later ones wait
                logger.warning("inject %s not delivered", inject_pk, exc_info=True)
                break
    return delivered


@transaction.atomic
def _deliver_due_one(clock_pk: int, inject_pk: int, now: datetime) -> int:
    clock = ExerciseClock.objects.select_for_update().get(pk=clock_pk)
    inject = Inject.objects.select_related("exercise__marking", "approved_by", "target_body").get(
        pk=inject_pk
    )
    if inject.status != S.SCHEDULED or inject.scheduled_at > clock.scenario_now(now):
        return 0  # held, rescheduled or paused since the list was read
    return _deliver(inject, now=now, due_at=clock.real_at(inject.scheduled_at) or now)


# --- the clock -----------------------------------------------------------------------------


def _speed(value: object) -> Decimal:
    try:
        speed = Decimal(str(value))
    except InvalidOperation:
        speed = Decimal(0)
    if not 0 < speed <= MAX_SPEED:
        raise ValidationError(
            {
                "speed": _("The speed is a number above 0 and at most %(max)s.")
                % {"max": formats.number(MAX_SPEED)}
            }
        )
    return speed


def _clock_change(
    *,
    actor: Person,
    exercise: Exercise,
    action: str,
    now: datetime | None,
    scenario_at: datetime | None = None,
    speed: object = None,
    paused: bool | None = None,
) -> ExerciseClock:
    """Re-anchor the clock at `now` with what changed; one audited event per change."""
    _require_controller(actor, exercise)
    now = now or timezone.now()
    clock = ExerciseClock.objects.select_for_update().filter(exercise=exercise).first()
    if clock is None and action != "start":
        raise ValidationError({"clock": _("Start the exercise clock first.")})
    if scenario_at is not None:
        scenario_at = _check_schedule(exercise, scenario_at, field="scenario_at")
    before = None
    if clock is None:
        clock = ExerciseClock(exercise=exercise, anchor_real=now, anchor_scenario=now)
    else:
        before = {
            "scenario_now": clock.scenario_now(now),
            "speed": str(clock.speed),
            "paused": clock.paused,
        }
        clock.anchor_scenario = clock.scenario_now(now)
        clock.anchor_real = now
    if scenario_at is not None:
        clock.anchor_scenario = scenario_at
    if speed is not None:
        clock.speed = _speed(speed)
    if paused is not None:
        clock.paused = paused
    clock.save()
    if action == "start":
        exercise.injects.filter(status=S.APPROVED).update(status=S.SCHEDULED)
    record_event(
        actor=actor,
        action=f"exercises.clock.{action}",
        obj=exercise,
        before=before,
        after={
            "scenario_now": clock.anchor_scenario,
            "speed": str(clock.speed),
            "paused": clock.paused,
        },
    )
    return clock


@transaction.atomic
def clock_start(
    *,
    actor: Person,
    exercise: Exercise,
    scenario_at: datetime,
    speed: object = 1,
    now: datetime | None = None,
) -> ExerciseClock:
    """Scenario time starts (or starts again) at `scenario_at`, running at `speed`; the
    approved injects become scheduled."""
    return _clock_change(
        actor=actor,
        exercise=exercise,
        action="start",
        now=now,
        scenario_at=scenario_at,
        speed=speed,
        paused=False,
    )


@transaction.atomic
def clock_pause(*, actor: Person, exercise: Exercise, now: datetime | None = None) -> ExerciseClock:
    return _clock_change(actor=actor, exercise=exercise, action="pause", now=now, paused=True)


@transaction.atomic
def clock_resume(
    *, actor: Person, exercise: Exercise, now: datetime | None = None
) -> ExerciseClock:
    return _clock_change(actor=actor, exercise=exercise, action="resume", now=now, paused=False)


@transaction.atomic
def clock_jump(
    *, actor: Person, exercise: Exercise, scenario_at: datetime, now: datetime | None = None
) -> ExerciseClock:
    """Scenario time jumps to `scenario_at` (ahead: what it passes falls due at once)."""
    return _clock_change(
        actor=actor, exercise=exercise, action="jump", now=now, scenario_at=scenario_at
    )


@transaction.atomic
def clock_speed(
    *, actor: Person, exercise: Exercise, speed: object, now: datetime | None = None
) -> ExerciseClock:
    return _clock_change(actor=actor, exercise=exercise, action="speed", now=now, speed=speed)
