"""Settlement (決済) of deliveries, in currency or in kind, and offsets (相殺) of what each
side owes the other, applied as settlements."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kizuna.core.public_ids import PublicIdentified

from .deliveries import Delivery, Handover
from .orders import Order


class Settlement(PublicIdentified, Handover):
    """Settlement (決済) of one delivery: in currency, or in kind as a counter-delivery that
    counts once the original supplier has signed its receipt."""

    delivery = models.ForeignKey(
        Delivery, on_delete=models.PROTECT, related_name="settlements", verbose_name=_("delivery")
    )
    method = models.CharField(
        _("settlement method"), max_length=24, choices=Order.SettlementMethod.choices
    )
    amount = models.DecimalField(_("amount"), max_digits=18, decimal_places=2)
    quantity = models.DecimalField(
        _("quantity returned"), null=True, blank=True, max_digits=15, decimal_places=3
    )
    settled_on = models.DateField(_("settled on"))
    offset = models.ForeignKey(
        "Offset",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="settlements",
        verbose_name=_("offset"),
    )

    class Meta:
        ordering = ["id"]
        verbose_name = _("settlement")
        verbose_name_plural = _("settlements")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="acsa_settlement_positive"
            )
        ]

    def __str__(self) -> str:
        return f"{self.delivery} · {self.amount}"

    @property
    def in_kind(self) -> bool:
        return self.method != Order.SettlementMethod.CURRENCY


class Offset(PublicIdentified):
    """相殺: what each side owes the other in one currency, set against each other. Proposed by
    one side's approving official, applied only once the other side's has approved too."""

    currency = models.CharField(_("currency"), max_length=3)
    amount = models.DecimalField(_("amount"), max_digits=18, decimal_places=2)
    proposed_by = models.ForeignKey(
        "core.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("proposed by")
    )
    proposed_at = models.DateTimeField(_("proposed"), auto_now_add=True)
    approved_by_japan = models.ForeignKey(
        "core.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved for Japan by"),
    )
    approved_by_us = models.ForeignKey(
        "core.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved for the United States by"),
    )
    applied_at = models.DateTimeField(pgettext_lazy("a time", "applied"), null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("offset")
        verbose_name_plural = _("offsets")
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="acsa_offset_positive")
        ]

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"
