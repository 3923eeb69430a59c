"""ACSA reference data (the agreement's versions, the categories of goods and services, the
situations it applies to and the eligibility table; each row cited, effective-dated, changed
only by administrators through the audited back office), and the orders made under it with
their deliveries, settlements and ledger."""

from __future__ import annotations

import base64
import hashlib
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kizuna.core import formats
from kizuna.core.models import BilingualName
from kizuna.core.public_ids import PublicIdentified
from kizuna.sharing.models import Marked


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
    delivery = models.ForeignKey(
        Delivery, on_delete=models.PROTECT, related_name="+", verbose_name=_("delivery")
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
