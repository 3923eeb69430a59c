"""The record of what the two forces train together: exercises and training events, where
they were held, in which domains, to what end, and who took part with how much.

Each record says where it comes from (`Sourced`): the seed, with the page or section, or an
illustration of the demo. Figures are kept as the source gives them: a number and whether it
is exact or approximate ("about 37,000" stays 約37,000 / about 37,000); a figure the source
does not give is empty, never zero.

Later parts of issue 14 hang off `Exercise`: the scenario's injects aim at `Participation`s'
organizations and serve `Objective`s, the clock and the after-action review belong to the
exercise, and an exercise run on the real tools is linked to a coordination situation of kind
exercise (`Exercise.situation`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from kizuna.core import formats
from kizuna.core.models import BilingualName, Nation, Organization
from kizuna.core.public_ids import PublicIdentified
from kizuna.sharing.models import Marked

# Past these a figure is a typing error, not an exercise (the largest the seed names is
# about 37,000 people, about 20 ships and about 170 aircraft).
MAX_PERSONNEL = 500_000
MAX_SHIPS = 500
MAX_AIRCRAFT = 3_000


class Provenance(models.TextChoices):
    SEED = "seed", _("from the seed")
    ILLUSTRATIVE = "illustrative", _("illustrative")


class Sourced(models.Model):
    """Where a record comes from: the seed (and where in it) or an illustration."""

    provenance = models.CharField(
        _("provenance"), max_length=20, choices=Provenance.choices, default=Provenance.SEED
    )
    source = models.CharField(_("source (page or section)"), max_length=300, blank=True)

    class Meta:
        abstract = True


def _text(record: object, field: str) -> str:
    ja, en = getattr(record, f"{field}_ja"), getattr(record, f"{field}_en")
    return (ja or en) if (get_language() or "ja").startswith("ja") else (en or ja)


class Series(BilingualName):
    """A recurring exercise: Keen Sword, Yama Sakura, Forest Light …"""

    code = models.SlugField(_("code"), max_length=40, unique=True)

    class Meta:
        verbose_name = _("exercise series")
        verbose_name_plural = _("exercise series")
        ordering = ("code",)


class Exercise(PublicIdentified, Marked, BilingualName, Sourced):
    class Kind(models.TextChoices):
        FIELD = "field", _("field training exercise")
        COMMAND_POST = "command_post", _("command post exercise")
        TABLETOP = "tabletop", _("tabletop exercise")
        TRAINING = "training", _("training")
        DISASTER_DRILL = "disaster_drill", _("disaster prevention drill")

    class Precision(models.TextChoices):
        """How much of the dates the source gives."""

        DAY = "day", _("to the day")
        MONTH = "month", _("to the month")
        FISCAL_YEAR = "fiscal_year", _("to the fiscal year")
        UNKNOWN = "unknown", _("not given")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    series = models.ForeignKey(
        Series,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="exercises",
        verbose_name=_("series"),
    )
    starts_on = models.DateField(_("start"), null=True, blank=True)
    ends_on = models.DateField(_("end"), null=True, blank=True)
    precision = models.CharField(
        _("dates given"), max_length=20, choices=Precision.choices, default=Precision.DAY
    )
    # Japan's fiscal year (April to March) the exercise began in, as the white paper's data
    # annex counts them; kept from `starts_on` by the service.
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"), null=True, blank=True)
    # Run on the real coordination tools: the situation (of kind exercise) the players use.
    situation = models.OneToOneField(
        "coordination.Situation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="exercise",
        verbose_name=_("situation"),
    )

    class Meta:
        verbose_name = _("exercise")
        verbose_name_plural = _("exercises")
        ordering = ("-starts_on", "name_en")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on"))
                | Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True),
                name="exercise_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(precision="unknown", starts_on__isnull=True)
                | (~Q(precision="unknown") & Q(starts_on__isnull=False)),
                name="exercise_dates_match_precision",
            ),
        ]
        indexes = [models.Index(fields=["fiscal_year", "kind"])]

    def __str__(self) -> str:
        return self.name

    @property
    def period(self) -> str:
        """The dates as far as the source gives them, as the reader writes dates."""
        start, end = self.starts_on, self.ends_on or self.starts_on
        if start is None or end is None:
            return str(_("dates not given"))
        if self.precision == self.Precision.FISCAL_YEAR:
            return fiscal_year_label(fiscal_year_of(start))
        show = formats.month if self.precision == self.Precision.MONTH else formats.day
        first, last = show(start), show(end)
        return first if first == last else f"{first} – {last}"


def fiscal_year_of(day: date) -> int:
    """Japan's fiscal year runs April to March: 2021-03-31 is in fiscal 2020."""
    return day.year if day.month >= 4 else day.year - 1


def fiscal_year_label(year: int | None) -> str:
    if year is None:
        return str(_("year not given"))
    return str(_("FY%(year)s") % {"year": year})


class Domain(models.TextChoices):
    LAND = "land", _("land")
    MARITIME = "maritime", _("maritime")
    AIR = "air", _("air")
    SPACE = "space", _("space")
    CYBER = "cyber", _("cyber")


class ExerciseDomain(models.Model):
    """One domain an exercise trained in (a row each, so the yearly table counts them)."""

    exercise = models.ForeignKey(
        Exercise, on_delete=models.CASCADE, related_name="domains", verbose_name=_("exercise")
    )
    domain = models.CharField(_("domain"), max_length=20, choices=Domain.choices)
    # Cyber attack response training is trained within larger exercises (seed §3 of sec. 1).
    note_ja = models.CharField(_("note (Japanese)"), max_length=200, blank=True)
    note_en = models.CharField(_("note (English)"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("domain")
        verbose_name_plural = _("domains")
        constraints = [
            models.UniqueConstraint(fields=["exercise", "domain"], name="exercise_domain_once")
        ]

    def __str__(self) -> str:
        return f"{self.exercise_id}:{self.domain}"

    @property
    def note(self) -> str:
        return _text(self, "note")


class Area(BilingualName, Sourced):
    """Where an exercise was held; with a position, it shows on the shared map."""

    exercise = models.ForeignKey(
        Exercise, on_delete=models.CASCADE, related_name="areas", verbose_name=_("exercise")
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ("pk",)
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__gte=-90, latitude__lte=90) | Q(latitude__isnull=True),
                name="exercise_area_latitude",
            ),
            models.CheckConstraint(
                condition=Q(longitude__gte=-180, longitude__lte=180) | Q(longitude__isnull=True),
                name="exercise_area_longitude",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Objective(Sourced):
    """One objective of an exercise, numbered; observations and lessons will refer to it."""

    exercise = models.ForeignKey(
        Exercise, on_delete=models.CASCADE, related_name="objectives", verbose_name=_("exercise")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    text_ja = models.TextField(_("text (Japanese)"))
    text_en = models.TextField(_("text (English)"))

    class Meta:
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        ordering = ("number",)
        constraints = [
            models.UniqueConstraint(fields=["exercise", "number"], name="exercise_objective_once")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text}"

    @property
    def text(self) -> str:
        return _text(self, "text")


class Qualifier(models.TextChoices):
    EXACT = "exact", pgettext_lazy("figure", "exact")
    APPROXIMATE = "approximate", pgettext_lazy("figure", "approximate")


@dataclass(frozen=True)
class Figure:
    """A figure as the source gives it: 約37,000 / about 37,000, 20, or — when not given."""

    value: int | None
    approximate: bool = False

    def __str__(self) -> str:
        if self.value is None:
            return "—"
        shown = formats.number(self.value)
        return pgettext("figure", "about %(n)s") % {"n": shown} if self.approximate else shown

    def __add__(self, other: Figure) -> Figure:
        """A total of figures is approximate when any of them is; one not given adds nothing."""
        if other.value is None:
            return self
        if self.value is None:
            return other
        return Figure(self.value + other.value, self.approximate or other.approximate)


# The measures a participation counts, each with its largest believable value.
MEASURES = {"personnel": MAX_PERSONNEL, "ships": MAX_SHIPS, "aircraft": MAX_AIRCRAFT}


class Participation(Sourced):
    """One nation's (or one organization's) part in an exercise, with its figures as the
    source gives them; an empty figure is one the source does not give."""

    exercise = models.ForeignKey(
        Exercise,
        on_delete=models.CASCADE,
        related_name="participations",
        verbose_name=_("exercise"),
    )
    nation = models.ForeignKey(
        Nation, on_delete=models.PROTECT, related_name="+", verbose_name=_("nation")
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organization"),
    )
    # The force as the source names it (陸海空自衛隊, 海自練習艦「かしま」「しまゆき」).
    label_ja = models.CharField(_("participant (Japanese)"), max_length=300)
    label_en = models.CharField(_("participant (English)"), max_length=300)
    personnel = models.PositiveIntegerField(_("personnel"), null=True, blank=True)
    personnel_qualifier = models.CharField(
        _("personnel given as"), max_length=12, choices=Qualifier.choices, default=Qualifier.EXACT
    )
    ships = models.PositiveIntegerField(_("ships"), null=True, blank=True)
    ships_qualifier = models.CharField(
        _("ships given as"), max_length=12, choices=Qualifier.choices, default=Qualifier.EXACT
    )
    aircraft = models.PositiveIntegerField(_("aircraft"), null=True, blank=True)
    aircraft_qualifier = models.CharField(
        _("aircraft given as"), max_length=12, choices=Qualifier.choices, default=Qualifier.EXACT
    )
    # Named units and types (B-1爆撃機2機 / two B-1 bombers).
    assets_ja = models.CharField(_("assets (Japanese)"), max_length=300, blank=True)
    assets_en = models.CharField(_("assets (English)"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        ordering = ("nation_id", "pk")
        constraints = [
            models.CheckConstraint(
                condition=Q(**{f"{measure}__lte": limit}) | Q(**{f"{measure}__isnull": True}),
                name=f"participation_{measure}_believable",
            )
            for measure, limit in MEASURES.items()
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return _text(self, "label")

    def figure(self, measure: str) -> Figure:
        qualifier = getattr(self, f"{measure}_qualifier")
        return Figure(getattr(self, measure), qualifier == Qualifier.APPROXIMATE)

    @property
    def personnel_figure(self) -> Figure:
        return self.figure("personnel")

    @property
    def ships_figure(self) -> Figure:
        return self.figure("ships")

    @property
    def aircraft_figure(self) -> Figure:
        return self.figure("aircraft")

    @property
    def assets(self) -> str:
        return _text(self, "assets")
