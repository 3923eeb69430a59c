"""ACSA reference data: the agreement's versions, the categories of goods and services, the
situations it applies to, the eligibility table, the liability caps and the exchange rates
they are counted in. Each row cited and effective-dated, changed only by administrators
through the audited back office."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from kizuna.core import formats
from kizuna.core.models import BilingualName


class ReferenceRow(BilingualName):
    """A bilingual, cited, effective-dated row of the agreement's reference data."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    source = models.TextField(_("source"), help_text=_("Where this row comes from."))
    note = models.TextField(_("note"), blank=True)
    effective_from = models.DateField(_("effective from"), null=True, blank=True)
    effective_to = models.DateField(_("effective to"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["code"]


class AgreementVersion(ReferenceRow):
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    diet_approved_on = models.DateField(_("approved by the Diet on"), null=True, blank=True)
    in_force_from = models.DateField(_("in force from"))

    class Meta(ReferenceRow.Meta):
        ordering = ["in_force_from"]
        verbose_name = _("agreement version")
        verbose_name_plural = _("agreement versions")


class Category(ReferenceRow):
    """A category of goods or services (seed footnote 1), or weapons, which are never provided."""

    class Kind(models.TextChoices):
        GOODS = "goods", _("goods")
        SERVICES = "services", _("services")
        BOTH = "both", _("goods and services")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    # Goods or services decides the settlement methods and the supplies cap. Empty where no
    # source says which: then the kind is Kizuna's reading, and says so (`kind_note`).
    kind_source = models.TextField(
        _("source of the kind"),
        blank=True,
        help_text=_("Empty: Kizuna's interpretation, not from the agreement's text."),
    )
    prohibited = models.BooleanField(_("never provided"), default=False)
    position = models.PositiveSmallIntegerField(_("order in the footnote"), default=0)

    class Meta(ReferenceRow.Meta):
        ordering = ["position"]
        verbose_name = _("category of goods and services")
        verbose_name_plural = _("categories of goods and services")

    @property
    def kind_note(self) -> str:
        """What the kind rests on, in the reader's language."""
        return self.kind_source or str(INTERPRETATION)


INTERPRETATION = _("interpretation, not from the agreement's text")


class SituationType(ReferenceRow):
    """A situation or activity the agreement applies to (Figure III-2-2-1), or applied to."""

    class Group(models.TextChoices):
        JAPAN = "japan", _("mainly concerning Japan and its people")
        INTERNATIONAL = "international", _("international cooperation")
        ALLIANCE = "alliance", _("Japan–US alliance")
        UNKNOWN = "unknown", _("unknown / to be confirmed")

    group = models.CharField(_("group"), max_length=15, choices=Group.choices)
    treaty_article = models.CharField(
        _("treaty article"), max_length=10, blank=True, help_text=_("Empty when not known.")
    )
    # The version whose numbering `treaty_article` follows: answers under another version do
    # not cite it (articles were numbered differently).
    article_version = models.ForeignKey(
        AgreementVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("article as numbered in"),
    )
    # ※1 of the figure: made applicable by the 2015 Legislation for Peace and Security.
    enabled_by_2015_legislation = models.BooleanField(
        _("applicable since the 2015 legislation"), null=True
    )
    position = models.PositiveSmallIntegerField(_("order in the figure"), default=0)
    # Which way provision runs in this situation: True where a source settles that it may,
    # False where one settles that it may not, empty where none at hand settles it.
    from_japan = models.BooleanField(_("the SDF may provide to US forces"), null=True)
    from_us = models.BooleanField(_("US forces may provide to the SDF"), null=True)
    direction_source = models.TextField(
        _("source of the direction"), blank=True, help_text=_("Where the direction comes from.")
    )
    direction_note = models.TextField(_("note on the direction"), blank=True)
    # The domestic law provision rested on lapsed at the end of this day: after it, nothing.
    law_lapsed_on = models.DateField(
        _("law lapsed on"),
        null=True,
        blank=True,
        help_text=_("The last day the law under which provision rested was in force."),
    )
    lapse_source = models.TextField(_("source of the lapse"), blank=True)
    replaced_by = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("replaced by"),
    )

    class Meta(ReferenceRow.Meta):
        ordering = ["position"]
        verbose_name = _("situation type")
        verbose_name_plural = _("situation types")


class EligibilityRule(models.Model):
    """One cell of the eligibility table: under this agreement version, in this situation, may
    this category be provided? `allowed` is None where the sources do not settle the case;
    the note says why. A rule may be limited in time within its version."""

    version = models.ForeignKey(
        AgreementVersion,
        on_delete=models.PROTECT,
        related_name="rules",
        verbose_name=_("agreement version"),
    )
    situation = models.ForeignKey(
        SituationType, on_delete=models.PROTECT, related_name="+", verbose_name=_("situation type")
    )
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="+", verbose_name=_("category")
    )
    allowed = models.BooleanField(
        _("may be provided"), null=True, help_text=_("Empty when the sources do not settle it.")
    )
    source = models.TextField(_("source"), help_text=_("Where this row comes from."))
    note = models.TextField(_("note"), blank=True)
    effective_from = models.DateField(_("effective from"), null=True, blank=True)
    effective_to = models.DateField(_("effective to"), null=True, blank=True)

    class Meta:
        ordering = ["version__in_force_from", "situation__position", "category__position"]
        verbose_name = _("eligibility rule")
        verbose_name_plural = _("eligibility rules")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(effective_to__isnull=True)
                | models.Q(effective_from__isnull=True)
                | models.Q(effective_to__gte=models.F("effective_from")),
                name="acsa_rule_dates_in_order",
            ),
        ]
        indexes = [models.Index(fields=["situation", "category"])]

    def __str__(self) -> str:
        return f"{self.version.code} · {self.situation.code} · {self.category.code}"


class LiabilityCap(ReferenceRow):
    """A limit on what one side may owe in a fiscal year, such as the US caps on liabilities
    to a non-NATO partner outside active hostilities. Crossing one is warned of before an
    acceptance, not refused: the approving official decides."""

    debtor_nation = models.CharField(_("owing side"), max_length=3)
    amount = models.DecimalField(_("limit"), max_digits=18, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    supplies_only = models.BooleanField(_("supplies only"), default=False)
    fiscal_year_starts = models.PositiveSmallIntegerField(
        _("fiscal year starts in month"), default=10
    )

    class Meta(ReferenceRow.Meta):
        verbose_name = _("liability cap")
        verbose_name_plural = _("liability caps")


class ExchangeRate(models.Model):
    """What one unit of `base` was worth in `quote` over a period (1 USD = 150.25 JPY), as an
    administrator recorded it from a cited source, so that an order priced in one currency
    counts against a cap kept in another. Periods of one pair of currencies never overlap."""

    base = models.CharField(_("currency"), max_length=3, help_text=_("ISO 4217, e.g. USD."))
    quote = models.CharField(
        _("priced in"), max_length=3, help_text=_("ISO 4217: the currency of the orders, e.g. JPY.")
    )
    rate = models.DecimalField(
        _("rate"),
        max_digits=18,
        decimal_places=6,
        help_text=_("Units of the “priced in” currency for one unit of the currency."),
    )
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    source = models.TextField(_("source"), help_text=_("Where this row comes from."))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["base", "quote", "effective_from"]
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        constraints = [
            models.CheckConstraint(condition=models.Q(rate__gt=0), name="acsa_rate_positive"),
            models.CheckConstraint(
                condition=~models.Q(base=models.F("quote")), name="acsa_rate_two_currencies"
            ),
            models.CheckConstraint(
                condition=models.Q(effective_to__isnull=True)
                | models.Q(effective_to__gte=models.F("effective_from")),
                name="acsa_rate_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"1 {self.base} = {self.rate} {self.quote} ({self.effective_from})"

    def clean(self) -> None:
        errors: dict[str, list[Any]] = {}
        for field in ("base", "quote"):
            code = getattr(self, field) or ""
            if not formats.is_currency(code):
                errors[field] = [
                    _("Unknown currency “%(code)s”: give an ISO 4217 code, e.g. JPY or USD.")
                    % {"code": code}
                ]
        if self.rate is not None and self.rate <= 0:
            errors["rate"] = [_("A rate must be more than zero.")]
        if self.base and self.base == self.quote:
            errors["quote"] = [_("A rate converts between two different currencies.")]
        if self.effective_to and self.effective_from and self.effective_to < self.effective_from:
            errors["effective_to"] = [_("The period ends before it starts.")]
        if errors:
            raise ValidationError(errors)
        same_pair = ExchangeRate.objects.filter(base=self.base, quote=self.quote).exclude(
            pk=self.pk
        )
        if self.effective_to:
            same_pair = same_pair.filter(effective_from__lte=self.effective_to)
        overlapping = same_pair.filter(
            models.Q(effective_to__isnull=True) | models.Q(effective_to__gte=self.effective_from)
        ).first()
        if overlapping is not None:
            raise ValidationError(
                {
                    "effective_from": _(
                        "This period overlaps the rate in force from %(start)s "
                        "(%(rate)s); end that one first."
                    )
                    % {"start": overlapping.effective_from, "rate": overlapping}
                }
            )
