"""What is handed over against an order: deliveries with their source documents and the
receiving side's signature, and the claim-occurrence notice a Japanese unit's received
provision produces."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from kizuna.core.public_ids import PublicIdentified

from .orders import Idempotent, OrderLine


class Handover(Idempotent):
    """Something handed from one side to the other: who recorded it, and the receiving
    side's signature for it."""

    recorded_by = models.ForeignKey(
        "core.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    receipt_signed_by = models.ForeignKey(
        "core.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("receipt signed by"),
    )
    receipt_signed_at = models.DateTimeField(_("receipt signed"), null=True, blank=True)

    class Meta:
        abstract = True


class Delivery(PublicIdentified, Handover):
    """One delivery against one line, with its source documents; due for settlement within
    twelve months of the day it was delivered."""

    line = models.ForeignKey(
        OrderLine, on_delete=models.PROTECT, related_name="deliveries", verbose_name=_("line")
    )
    quantity = models.DecimalField(_("quantity"), max_digits=15, decimal_places=3)
    amount = models.DecimalField(_("amount"), max_digits=18, decimal_places=2)
    amount_settled = models.DecimalField(
        _("amount settled"), default=0, max_digits=18, decimal_places=2
    )
    delivered_on = models.DateField(_("delivered on"))
    due_on = models.DateField(_("settlement due"))

    class Meta:
        ordering = ["delivered_on", "id"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0)
                & models.Q(amount_settled__gte=0)
                & models.Q(amount_settled__lte=models.F("amount")),
                name="acsa_delivery_not_over_settled",
            ),
            models.UniqueConstraint(
                fields=["recorded_by", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="acsa_delivery_idempotency",
            ),
        ]
        indexes = [models.Index(fields=["due_on"])]

    def __str__(self) -> str:
        return f"{self.line} · {self.delivered_on}"

    @property
    def outstanding(self) -> Decimal:
        return self.amount - self.amount_settled


class SourceDocument(models.Model):
    """A document supporting a delivery (delivery note, fuel slip), kept with its checksum."""

    delivery = models.ForeignKey(
        Delivery, on_delete=models.PROTECT, related_name="documents", verbose_name=_("delivery")
    )
    name = models.CharField(_("file name"), max_length=200)
    content = models.BinaryField(_("content"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("size in bytes"))

    class Meta:
        ordering = ["id"]
        verbose_name = _("source document")
        verbose_name_plural = _("source documents")

    def __str__(self) -> str:
        return self.name


class ClaimNotice(PublicIdentified):
    """債権発生通知書: produced when a Japanese unit's provision is received, for the revenue
    collection officer (歳入徴収官), so that no claim goes unsent."""

    delivery = models.OneToOneField(
        Delivery, on_delete=models.PROTECT, related_name="claim_notice", verbose_name=_("delivery")
    )
    amount = models.DecimalField(_("amount"), max_digits=18, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    due_on = models.DateField(_("settlement due"))
    issued_at = models.DateTimeField(_("issued"), auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("claim-occurrence notice")
        verbose_name_plural = _("claim-occurrence notices")

    def __str__(self) -> str:
        return f"{self.delivery} · {self.amount} {self.currency}"
