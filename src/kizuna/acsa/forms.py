"""The order form: one order with its first line; the API takes any number of lines."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kizuna.core import bounds
from kizuna.core.models import Organization
from kizuna.sharing.forms import OptionalMarkingFields

from .models import Category, Order, SituationType
from .services import LineInput


class OrderForm(OptionalMarkingFields):
    # Both parties sign and see an order: never national only.
    national_only = None  # type: ignore[assignment]
    supplying_org = forms.ModelChoiceField(
        Organization.objects.order_by("nation", "name_en"), label=_("Supplying unit")
    )
    receiving_org = forms.ModelChoiceField(
        Organization.objects.order_by("nation", "name_en"), label=_("Receiving unit")
    )
    situation_type = forms.ModelChoiceField(
        SituationType.objects.order_by("position"), label=_("Situation"), to_field_name="code"
    )
    legal_basis = forms.CharField(label=_("Legal basis"), max_length=bounds.TITLE_CHARS)
    currency = forms.CharField(label=_("Currency"), max_length=3, initial="JPY")
    settlement_method = forms.ChoiceField(
        choices=Order.SettlementMethod.choices, label=_("Settlement method")
    )
    category = forms.ModelChoiceField(
        Category.objects.order_by("position"), label=_("Category"), to_field_name="code"
    )
    description = forms.CharField(label=_("Description"), max_length=bounds.SUMMARY_CHARS)
    quantity = forms.DecimalField(label=_("Quantity"), max_digits=15, decimal_places=3)
    unit = forms.CharField(label=_("Unit"), max_length=20)
    unit_price = forms.DecimalField(label=_("Unit price"), max_digits=18, decimal_places=2)
    delivery_place = forms.CharField(label=_("Delivery place"), max_length=bounds.TITLE_CHARS)
    delivery_date = forms.DateField(
        label=_("Delivery date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False)

    # The marking last, after the order it marks.
    field_order = [
        "supplying_org",
        "receiving_org",
        "situation_type",
        "legal_basis",
        "currency",
        "settlement_method",
        "category",
        "description",
        "quantity",
        "unit",
        "unit_price",
        "delivery_place",
        "delivery_date",
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bounds.offer_range(self.fields["delivery_date"], "delivery")
        self.fields["level"].help_text = _(
            "Leave empty for the receiving nation's lowest level, releasable to both nations."
        )

    def line(self) -> LineInput:
        data = self.cleaned_data
        return LineInput(
            category=data["category"].code,
            description=data["description"],
            quantity=Decimal(data["quantity"]),
            unit=data["unit"],
            unit_price=Decimal(data["unit_price"]),
            delivery_place=data["delivery_place"],
            delivery_date=data["delivery_date"],
        )


class _Files(forms.FileInput):
    allow_multiple_selected = True


class FilesField(forms.FileField):
    """Several files under one name (a delivery's source documents). None is not refused
    here: the service says what a delivery lacks, with its other refusals."""

    widget = _Files

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        one = super().clean
        return [one(file, initial) for file in data or []]


class DeliveryForm(forms.Form):
    """A delivery on one line of an order, with its source documents."""

    quantity = forms.DecimalField(label=_("Quantity delivered"), max_digits=15, decimal_places=3)
    delivered_on = forms.DateField(
        label=_("Delivered on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    documents = FilesField(label=_("Source documents"), required=False)


class SettleForm(forms.Form):
    """A settlement of (part of) one delivery; the quantity when goods are returned."""

    method = forms.ChoiceField(label=_("Settlement method"), choices=Order.SettlementMethod.choices)
    amount = forms.DecimalField(label=_("Amount"), max_digits=18, decimal_places=2)
    quantity = forms.DecimalField(
        label=_("Quantity returned"), required=False, max_digits=15, decimal_places=3
    )
    settled_on = forms.DateField(
        label=_("Settled on"), widget=forms.DateInput(attrs={"type": "date"})
    )
