"""Evaluation and the after-action review (事後研究会): evaluators' observations (所見)
against an exercise's objectives, lessons in JLLIS's form (title, observation 所見,
discussion 考察, lesson 教訓, recommendation 提言), and each recommendation's corrective
action (是正措置), followed from open to closed by its owner organization.

Every record carries the exercise's marking (`Marked`), so it shows exactly to the readers of
the exercise. Text is kept in the language it was written in (`language`); an observation can
be given its translation later, as log entries are. `provenance` is empty for what people
record in Kizuna and "illustrative" for the demo's made-up reviews.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kizuna.coordination.models import Language
from kizuna.core import formats, places
from kizuna.core.models import Organization
from kizuna.core.public_ids import PublicIdentified
from kizuna.sharing.models import Marked

from .record import Exercise, Objective, Provenance

# An open corrective action shows as due on its owner's first page this many days ahead.
DUE_SOON_DAYS = 14


class Reviewed(PublicIdentified, Marked):
    """What every review record shares: its exercise, who wrote it for which organization,
    when, in which language, and whether the demo made it up."""

    exercise = models.ForeignKey(
        Exercise, on_delete=models.CASCADE, related_name="+", verbose_name=_("exercise")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    author_organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("organization")
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now, editable=False)
    language = models.CharField(_("original language"), max_length=2, choices=Language.choices)
    provenance = models.CharField(
        _("provenance"), max_length=20, choices=Provenance.choices, blank=True
    )

    class Meta:
        abstract = True


class Observation(Reviewed):
    """An evaluator's observation (所見) against one objective, recorded during the exercise."""

    class Assessment(models.TextChoices):
        MET = "met", _("met")
        PARTIALLY_MET = "partially_met", _("partially met")
        NOT_MET = "not_met", _("not met")

    objective = models.ForeignKey(
        Objective,
        on_delete=models.PROTECT,
        related_name="observations",
        verbose_name=_("objective"),
    )
    assessment = models.CharField(_("assessment"), max_length=20, choices=Assessment.choices)
    observed_at = models.DateTimeField(_("observed"))
    text = models.TextField(_("original text"))
    translation = models.TextField(_("translation"), blank=True)

    class Meta:
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        ordering = ("observed_at", "pk")
        indexes = [models.Index(fields=["exercise", "observed_at"], name="observation_exercise")]

    def __str__(self) -> str:
        return f"#{self.reference}"


class Lesson(Reviewed):
    """A lesson of the after-action review in JLLIS's form; it may name the objective whose
    shortfall it draws on."""

    objective = models.ForeignKey(
        Objective,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lessons",
        verbose_name=_("objective"),
    )
    title = models.CharField(_("title"), max_length=200)
    observation = models.TextField(_("observation"))
    discussion = models.TextField(_("discussion"))
    lesson = models.TextField(_("lesson"))
    recommendation = models.TextField(_("recommendation"))

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")
        ordering = ("exercise", "pk")

    def __str__(self) -> str:
        return self.title


class CorrectiveAction(Reviewed):
    """What a lesson's recommendation is turned into: one organization's action with a due
    date, open → in progress → closed; closing says how (a note) and who closed it when."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("corrective action", "open")
        IN_PROGRESS = "in_progress", pgettext_lazy("corrective action", "in progress")
        CLOSED = "closed", pgettext_lazy("corrective action", "closed")

    lesson = models.ForeignKey(
        Lesson,
        on_delete=models.CASCADE,
        related_name="corrective_actions",
        verbose_name=_("lesson"),
    )
    owner = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("owner organization"),
    )
    text = models.TextField(pgettext_lazy("corrective action", "action"))
    due_on = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    progress_note = models.TextField(_("progress"), blank=True)
    closed_at = models.DateTimeField(
        pgettext_lazy("corrective action", "closed at"), null=True, blank=True
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    closing_note = models.TextField(_("closing note"), blank=True)

    class Meta:
        verbose_name = _("corrective action")
        verbose_name_plural = _("corrective actions")
        ordering = ("due_on", "pk")
        constraints = [
            # Closed exactly when it says when and how (and by whom: the service sets it).
            models.CheckConstraint(
                condition=(Q(status="closed", closed_at__isnull=False) & ~Q(closing_note=""))
                | (~Q(status="closed") & Q(closed_at__isnull=True, closed_by__isnull=True)),
                name="corrective_action_closed_with_note",
            )
        ]
        indexes = [models.Index(fields=["owner", "status", "due_on"], name="corrective_owner_due")]

    def __str__(self) -> str:
        return f"#{self.reference}"

    def overdue_on(self, today: date) -> bool:
        return self.status != self.Status.CLOSED and self.due_on < today

    @property
    def overdue(self) -> bool:
        return self.overdue_on(places.today())

    @property
    def due_shown(self) -> str:
        """The due date as the reader writes dates."""
        return formats.day(self.due_on)
