"""ACSA reference data: the agreement's versions, the categories of goods and services, and
the situations it applies to. Each row cites its source; rows are effective-dated and
changed only by administrators through the audited back office."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

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
    prohibited = models.BooleanField(_("never provided"), default=False)
    position = models.PositiveSmallIntegerField(_("order in the footnote"), default=0)

    class Meta(ReferenceRow.Meta):
        ordering = ["position"]
        verbose_name = _("category of goods and services")
        verbose_name_plural = _("categories of goods and services")


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
    # ※1 of the figure: made applicable by the 2015 Legislation for Peace and Security.
    enabled_by_2015_legislation = models.BooleanField(
        _("applicable since the 2015 legislation"), null=True
    )
    position = models.PositiveSmallIntegerField(_("order in the figure"), default=0)

    class Meta(ReferenceRow.Meta):
        ordering = ["position"]
        verbose_name = _("situation type")
        verbose_name_plural = _("situation types")
