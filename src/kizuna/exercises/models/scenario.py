"""The scenario of an exercise run on the real tools: its injects (the MSEL, 状況付与計画)
and its clock.

An inject is a marked record. Until it is delivered it carries the exercise's marking with
the controllers' community added (`CONTROL_COMMUNITY`), so the sharing policy hides it from
every player exactly as it hides any record they are not cleared for (404, as if absent);
delivery gives it the exercise's own marking and posts it into the target cell's log.

Scenario time is kept as instants (aware datetimes, stored in UTC). The clock maps the real
instant to the scenario's from one anchor pair, a speed and whether it is paused: every
controller's change re-anchors it at the moment of the change, so the mapping is exact
across pauses, jumps and a daylight-saving switch (instants have no DST; only their display
in Washington State's zone does).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kizuna.core.models import Organization
from kizuna.core.public_ids import PublicIdentified
from kizuna.sharing.models import Marked

from .record import Exercise, Objective, _text

# The sharing community of exercise controllers (統裁部): an inject not yet delivered is
# marked for it, so only controllers holding it read the scenario ahead of time.
CONTROL_COMMUNITY = "exercise-control"

# How late past its due real instant a delivery may be and still count as on time: the
# worker looks every second, so anything later means it was held up or down.
LATE_GRACE = timedelta(seconds=5)

# A clock faster than this is a typing error (the run is 720 times real speed).
MAX_SPEED = 10_000
# An inject's text and the players' answer (its expected action: core.bounds.REASON_CHARS).
INJECT_TEXT_CHARS = 5_000


class Inject(PublicIdentified, Marked):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        APPROVED = "approved", _("approved")
        SCHEDULED = "scheduled", _("scheduled")
        DELIVERED = "delivered", pgettext_lazy("an inject", "delivered")
        ACKNOWLEDGED = "acknowledged", _("acknowledged")
        RESPONDED = "responded", _("responded")
        HELD = "held", _("held")

    class Method(models.TextChoices):
        LOG = "log", _("log entry")
        MESSAGE = "message", _("message")
        PHONE = "phone", _("telephone call")
        EMAIL = "email", _("e-mail")
        BRIEFING = "briefing", _("briefing")
        ROLE_PLAY = "role_play", _("role play")

    # Before delivery: still the controllers' to change.
    PENDING = (Status.DRAFT, Status.APPROVED, Status.SCHEDULED, Status.HELD)
    # Gone out: players read it.
    OUT = (Status.DELIVERED, Status.ACKNOWLEDGED, Status.RESPONDED)

    exercise = models.ForeignKey(
        Exercise, on_delete=models.CASCADE, related_name="injects", verbose_name=_("exercise")
    )
    # The inject's number in the MSEL as controllers name it (1, 2, …), per exercise.
    number = models.PositiveIntegerField(_("number"))
    scheduled_at = models.DateTimeField(_("scenario time"))
    target_organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("target organization"),
    )
    target_body = models.ForeignKey(
        "coordination.Body",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("target coordination body"),
    )
    method = models.CharField(
        pgettext_lazy("an inject", "channel"), max_length=20, choices=Method.choices
    )
    text_ja = models.TextField(_("text (Japanese)"))
    text_en = models.TextField(_("text (English)"))
    expected_action_ja = models.TextField(_("expected player action (Japanese)"))
    expected_action_en = models.TextField(_("expected player action (English)"))
    objective = models.ForeignKey(
        Objective,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="injects",
        verbose_name=_("objective"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    # Delivery: the real instant it fell due, when it went out, and the log entry it became.
    due_at = models.DateTimeField(_("due (real time)"), null=True, blank=True)
    delivered_at = models.DateTimeField(
        pgettext_lazy("an inject", "delivered"), null=True, blank=True
    )
    late = models.BooleanField(_("delivered late"), default=False)
    entry = models.OneToOneField(
        "coordination.LogEntry",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inject",
        verbose_name=_("log entry"),
    )
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("acknowledged by"),
    )
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responded by"),
    )
    responded_at = models.DateTimeField(_("responded"), null=True, blank=True)
    response = models.TextField(_("response"), blank=True)

    class Meta:
        verbose_name = _("inject")
        verbose_name_plural = _("injects")
        ordering = ("exercise", "scheduled_at", "number")
        constraints = [
            models.UniqueConstraint(fields=["exercise", "number"], name="inject_number_once"),
            models.CheckConstraint(
                condition=Q(target_organization__isnull=True, target_body__isnull=False)
                | Q(target_organization__isnull=False, target_body__isnull=True),
                name="inject_one_target",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["delivered", "acknowledged", "responded"])
                | Q(delivered_at__isnull=False),
                name="inject_out_has_entry",
            ),
        ]
        # What the worker asks every second: the due ones of a running exercise, in order.
        indexes = [
            models.Index(fields=["status", "exercise", "scheduled_at"], name="inject_due"),
        ]

    def __str__(self) -> str:
        return f"{self.exercise} #{self.number}"

    @property
    def text(self) -> str:
        return _text(self, "text")

    @property
    def expected_action(self) -> str:
        return _text(self, "expected_action")

    @property
    def target(self) -> object:
        return self.target_body or self.target_organization

    @property
    def is_pending(self) -> bool:
        return self.status in self.PENDING

    @property
    def is_out(self) -> bool:
        return self.status in self.OUT


class ExerciseClock(models.Model):
    """Scenario time of one exercise: `scenario_now(real)` = the anchor's scenario instant
    plus the real time since the anchor, times the speed (nothing while paused)."""

    exercise = models.OneToOneField(
        Exercise, on_delete=models.CASCADE, related_name="clock", verbose_name=_("exercise")
    )
    anchor_real = models.DateTimeField(_("anchor (real time)"))
    anchor_scenario = models.DateTimeField(_("anchor (scenario time)"))
    speed = models.DecimalField(_("speed"), max_digits=9, decimal_places=3, default=1)
    paused = models.BooleanField(_("paused"), default=False)

    class Meta:
        verbose_name = _("exercise clock")
        verbose_name_plural = _("exercise clocks")
        constraints = [
            models.CheckConstraint(
                condition=Q(speed__gt=0, speed__lte=MAX_SPEED), name="clock_speed_believable"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.exercise} ×{self.speed}"

    def scenario_now(self, real_now: datetime) -> datetime:
        if self.paused:
            return self.anchor_scenario
        return self.anchor_scenario + (real_now - self.anchor_real) * float(self.speed)

    def real_at(self, scenario: datetime) -> datetime | None:
        """The real instant the scenario reaches `scenario` on this clock as it runs now
        (the anchor when it is already past it); None while paused."""
        if self.paused:
            return None
        if scenario <= self.anchor_scenario:
            return self.anchor_real
        return self.anchor_real + (scenario - self.anchor_scenario) / float(self.speed)
