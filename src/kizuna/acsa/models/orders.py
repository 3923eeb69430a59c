"""ACSA orders: the order itself with its signatures and amounts, its number series, its
lines, and its append-only ledger, which the order's amounts must always equal."""

from __future__ import annotations

import base64
import hashlib
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kizuna.core.public_ids import PublicIdentified
from kizuna.sharing.models import Marked

from .reference import Category, SituationType


class Idempotent(models.Model):
    """A record a client may create again safely: the same key and content give back the
    first record; the same key with other content is refused."""

    idempotency_key = models.CharField(_("idempotency key"), max_length=80, blank=True)
    request_digest = models.CharField(_("request digest"), max_length=64, blank=True)

    class Meta:
        abstract = True


def series_code(parties: str, marking_key: str, length: int = 5) -> str:
    """A series' part of the order number: the parties' nations and a short digest of the
    marking. A digest rather than a running letter, since letters drawn in turn would show
    by their gaps how many series a reader cannot see."""
    digest = base64.b32encode(hashlib.sha256(marking_key.encode()).digest()).decode()
    return f"{parties}-{digest[:length]}"


class OrderSeries(models.Model):
    """One run of order numbers: the orders between the same two nations under the same
    marking. Whether a person sees an order depends on nothing else (the party rule on its
    nations, the marking rule on its marking), so whoever sees one order of a series sees
    every order of it, and numbers drawn in turn within a series leave no reader a gap made
    by an order hidden from them (docs/sharing.md, "Numbering")."""

    marking = models.ForeignKey(
        "sharing.MarkingSet", on_delete=models.PROTECT, related_name="+", verbose_name=_("marking")
    )
    parties = models.CharField(_("parties"), max_length=16)  # the two nations, sorted
    code = models.CharField(_("code"), max_length=40, unique=True)
    last_serial = models.PositiveIntegerField(_("last number drawn"), default=0)

    class Meta:
        verbose_name = _("order number series")
        verbose_name_plural = _("order number series")
        constraints = [
            models.UniqueConstraint(fields=["marking", "parties"], name="acsa_series_per_marking")
        ]

    def __str__(self) -> str:
        return self.code

    def number(self, serial: int) -> str:
        return f"ACSA-{self.code}-{serial:04d}"


class Order(PublicIdentified, Marked, Idempotent):
    """An ACSA order (物品役務の提供要請): the receiving party asks, the supplying party's
    authorized official accepts and signs; it binds only with both signatures. It carries a
    marking, as shared reports do, and is seen only by those the marking lets in."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        REQUESTED = "requested", pgettext_lazy("a status", "requested")
        ACCEPTED = "accepted", _("accepted and signed")
        DELIVERED = "delivered", _("delivered")
        RECEIVED = "received", _("receipt signed")
        SETTLED = "settled", _("settled")
        CLOSED = "closed", pgettext_lazy("an ACSA order", "closed")
        CANCELLED = "cancelled", _("cancelled")

    class SettlementMethod(models.TextChoices):
        CURRENCY = "currency", _("reimbursement in currency")
        SAME_GOODS = "same_goods", _("return of the same goods")
        EQUIVALENT_GOODS = (
            "equivalent_goods",
            _("return of goods of the same type, quality and quantity"),
        )
        EQUAL_VALUE_SERVICES = (
            "equal_value_services",
            _("services of the same type and equal value"),
        )

    supplying_org = models.ForeignKey(
        "core.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("supplying unit"),
    )
    receiving_org = models.ForeignKey(
        "core.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("receiving unit"),
    )
    situation_type = models.ForeignKey(
        SituationType, on_delete=models.PROTECT, related_name="+", verbose_name=_("situation")
    )
    legal_basis = models.CharField(
        _("legal basis"), max_length=200, help_text=_("The domestic law the provision rests on.")
    )
    currency = models.CharField(_("currency"), max_length=3, help_text=_("ISO 4217, e.g. JPY."))
    settlement_method = models.CharField(
        _("settlement method"), max_length=24, choices=SettlementMethod.choices
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    # The human number, drawn in the order's series when it is created (OrderSeries).
    series = models.ForeignKey(
        OrderSeries, on_delete=models.PROTECT, related_name="+", verbose_name=_("number series")
    )
    number = models.CharField(_("number"), max_length=60, unique=True, editable=False)
    # Optimistic concurrency: every step names the version it saw and bumps it.
    version = models.PositiveIntegerField(_("version"), default=1)
    created_by = models.ForeignKey(
        "core.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(pgettext_lazy("a time", "created"), auto_now_add=True)
    ordering_official = models.ForeignKey(
        "core.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ordering official"),
    )
    requested_at = models.DateTimeField(pgettext_lazy("a time", "requested"), null=True, blank=True)
    approving_official = models.ForeignKey(
        "core.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approving official"),
    )
    accepted_at = models.DateTimeField(_("accepted and signed"), null=True, blank=True)
    closed_at = models.DateTimeField(pgettext_lazy("a time", "closed"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancel_reason = models.TextField(_("reason for cancellation"), blank=True)
    amount_ordered = models.DecimalField(
        _("amount ordered"), default=0, max_digits=18, decimal_places=2
    )
    amount_delivered = models.DecimalField(
        _("amount delivered"), default=0, max_digits=18, decimal_places=2
    )
    amount_settled = models.DecimalField(
        _("amount settled"), default=0, max_digits=18, decimal_places=2
    )

    class Meta:
        ordering = ["-id"]
        verbose_name = _("ACSA order")
        verbose_name_plural = _("ACSA orders")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(supplying_org=models.F("receiving_org")),
                name="acsa_order_two_parties",
            ),
            models.CheckConstraint(
                condition=models.Q(currency__regex=r"^[A-Z]{3}$"), name="acsa_order_currency"
            ),
            models.CheckConstraint(
                condition=models.Q(amount_settled__gte=0)
                & models.Q(amount_settled__lte=models.F("amount_delivered"))
                & models.Q(amount_delivered__lte=models.F("amount_ordered")),
                name="acsa_order_amounts_in_order",
            ),
            models.UniqueConstraint(
                fields=["created_by", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="acsa_order_idempotency",
            ),
        ]
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return self.number

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            self._assert_ledger_matches()
        super().save(*args, **kwargs)

    @property
    def outstanding(self) -> Decimal:
        return self.amount_delivered - self.amount_settled

    def _assert_ledger_matches(self) -> None:
        """What the order says is owed must equal its ledger, within the same transaction:
        an amount changed without its entries is a bug that must not be written."""
        booked = LedgerEntry.objects.filter(order_id=self.pk).aggregate(s=models.Sum("amount"))["s"]
        # SQLite sums decimals in floating point: compare to the cent.
        if money(Decimal(booked or 0)) != self.outstanding:
            raise LedgerOutOfBalance(
                f"order {self.pk}: ledger says {booked}, order says {self.outstanding}"
            )


class LedgerOutOfBalance(RuntimeError):
    """An order's amounts changed without the ledger entries that account for them."""


class OrderLine(PublicIdentified):
    order = models.ForeignKey(
        Order,
        on_delete=models.CASCADE,
        related_name="lines",
        verbose_name=pgettext_lazy("an ACSA order", "order"),
    )
    position = models.PositiveSmallIntegerField(_("line"))
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="+", verbose_name=_("category")
    )
    description = models.CharField(_("description"), max_length=300)
    quantity = models.DecimalField(_("quantity"), max_digits=15, decimal_places=3)
    unit = models.CharField(_("unit"), max_length=20)
    unit_price = models.DecimalField(_("unit price"), max_digits=18, decimal_places=2)
    delivery_place = models.CharField(_("delivery place"), max_length=200)
    delivery_date = models.DateField(_("delivery date"))
    quantity_delivered = models.DecimalField(
        _("quantity delivered"), default=0, max_digits=15, decimal_places=3
    )

    class Meta:
        ordering = ["order", "position"]
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0) & models.Q(unit_price__gt=0),
                name="acsa_line_positive",
            ),
            models.CheckConstraint(
                condition=models.Q(quantity_delivered__gte=0)
                & models.Q(quantity_delivered__lte=models.F("quantity")),
                name="acsa_line_not_over_delivered",
            ),
            models.UniqueConstraint(fields=["order", "position"], name="acsa_line_position"),
        ]

    def __str__(self) -> str:
        return f"{self.order.number}/{self.position}"

    @property
    def amount(self) -> Decimal:
        return money(self.quantity * self.unit_price)

    @property
    def quantity_remaining(self) -> Decimal:
        return self.quantity - self.quantity_delivered


def money(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


class LedgerEntry(models.Model):
    """Append-only: what the receiving side owes the supplying side rises with each delivery
    and falls with each settlement. Corrections are new entries, never edits."""

    class Kind(models.TextChoices):
        DELIVERY = "delivery", _("delivery")
        SETTLEMENT = "settlement", _("settlement")
        CORRECTION = "correction", _("correction")

    order = models.ForeignKey(
        Order,
        on_delete=models.PROTECT,
        related_name="ledger",
        verbose_name=pgettext_lazy("an ACSA order", "order"),
    )
    # Named, not imported: the deliveries room imports this one (a delivery is of a line).
    delivery = models.ForeignKey(
        "Delivery", on_delete=models.PROTECT, related_name="+", verbose_name=_("delivery")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    amount = models.DecimalField(_("amount"), max_digits=18, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    at = models.DateTimeField(_("time"), auto_now_add=True)
    actor = models.ForeignKey(
        "core.Person",
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("actor"),
    )

    class Meta:
        ordering = ["id"]
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")

    def __str__(self) -> str:
        return f"{self.kind} {self.amount} {self.currency}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise LedgerOutOfBalance("ledger entries are never changed; add a correction")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise LedgerOutOfBalance("ledger entries are never deleted; add a correction")
