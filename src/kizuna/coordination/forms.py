from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kizuna.acsa.models import Category, Order, SituationType
from kizuna.core import bounds
from kizuna.core.forms import writers_language
from kizuna.core.models import Organization
from kizuna.sharing.forms import OptionalMarkingFields

from .models import Body, Language, LogEntry, Situation, SupportRequest


class EntryForm(OptionalMarkingFields):
    """An entry, and optionally its marking (sharing's fields; no level: the default)."""

    field_order = ["body", "kind", "language", "text", "event_at", "significant"]
    # Bodies by code, never by key (core.public_ids).
    body = forms.ModelChoiceField(
        label=_("Coordination body"),
        queryset=Body.objects.none(),
        empty_label=None,
        to_field_name="code",
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=LogEntry.Kind.choices)
    language = forms.ChoiceField(
        label=_("Language of the text"), choices=Language.choices, initial=writers_language
    )
    text = forms.CharField(
        label=_("Text"), max_length=bounds.ENTRY_CHARS, widget=forms.Textarea(attrs={"rows": 3})
    )
    event_at = forms.DateTimeField(
        label=_("Event time (UTC; empty for now)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    significant = forms.BooleanField(label=_("Significant event (for the board)"), required=False)

    def __init__(self, *args: Any, bodies: list[Body], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bounds.offer_range(self.fields["event_at"], "event")
        field = self.fields["body"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Body.objects.filter(pk__in=[b.pk for b in bodies])


class TranslationForm(forms.Form):
    text = forms.CharField(
        label=_("Translation"),
        max_length=bounds.ENTRY_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class EventTimeForm(forms.Form):
    event_at = forms.DateTimeField(
        label=_("Event time (UTC)"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    reason = forms.CharField(label=_("Reason"), max_length=bounds.SUMMARY_CHARS)


class DesignationForm(forms.Form):
    situation_type = forms.ModelChoiceField(
        label=_("Situation type"), queryset=SituationType.objects.order_by("position")
    )
    at = forms.DateTimeField(
        label=_("From (UTC)"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )


class CloseForm(forms.Form):
    text = forms.CharField(
        label=_("Closing entry"),
        max_length=bounds.ENTRY_CHARS,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=bounds.REASON_CHARS)


class SituationForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("Lead organization"), queryset=Organization.objects.none(), empty_label=None
    )
    title_ja = forms.CharField(
        label=_("Title (Japanese)"), max_length=bounds.TITLE_CHARS, required=False
    )
    title_en = forms.CharField(
        label=_("Title (English)"), max_length=bounds.TITLE_CHARS, required=False
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Situation.Kind.choices)
    starts_at = forms.DateTimeField(
        label=_("Start (UTC)"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    place_name = forms.CharField(label=_("Place"), max_length=bounds.TITLE_CHARS, required=False)
    latitude = forms.DecimalField(
        label=_("Latitude"), required=False, max_digits=8, decimal_places=5
    )
    longitude = forms.DecimalField(
        label=_("Longitude"), required=False, max_digits=8, decimal_places=5
    )

    def __init__(self, *args: Any, organizations: list[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bounds.offer_range(self.fields["starts_at"], "situation_start")
        field = self.fields["organization"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Organization.objects.filter(pk__in=[o.pk for o in organizations])


class RequestForm(forms.Form):
    body = forms.ModelChoiceField(
        label=_("Coordination body"),
        queryset=Body.objects.none(),
        empty_label=None,
        to_field_name="code",
    )
    requesting_organization = forms.ModelChoiceField(
        label=_("Requested by"), queryset=Organization.objects.none(), empty_label=None
    )
    supporting_organization = forms.ModelChoiceField(
        label=_("Requested of"), queryset=Organization.objects.order_by("nation", "name_en")
    )
    summary = forms.CharField(label=_("What is needed"), max_length=bounds.SUMMARY_CHARS)
    language = forms.ChoiceField(
        label=_("Language of the text"), choices=Language.choices, initial=writers_language
    )
    place_name = forms.CharField(label=_("Where"), max_length=bounds.TITLE_CHARS)
    needed_by = forms.DateTimeField(
        label=_("Needed by (UTC)"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    priority = forms.ChoiceField(label=_("Priority"), choices=SupportRequest.Priority.choices)

    def __init__(
        self, *args: Any, bodies: list[Body], organizations: list[Organization], **kwargs: Any
    ) -> None:
        # Its own ids: the situation page holds the entry form too, with a body and a language.
        kwargs.setdefault("auto_id", "request-%s")
        super().__init__(*args, **kwargs)
        bounds.offer_range(self.fields["needed_by"], "needed_by")
        body, requesting = self.fields["body"], self.fields["requesting_organization"]
        assert isinstance(body, forms.ModelChoiceField)
        assert isinstance(requesting, forms.ModelChoiceField)
        body.queryset = Body.objects.filter(pk__in=[b.pk for b in bodies])
        requesting.queryset = Organization.objects.filter(pk__in=[o.pk for o in organizations])


class ProgressForm(forms.Form):
    """How much of one line is committed, in transit and fulfilled (one form per line on the
    request's page, prefixed by the line so every field's id is its own)."""

    committed = forms.DecimalField(
        label=_("Committed"), min_value=0, max_digits=14, decimal_places=3
    )
    in_transit = forms.DecimalField(
        label=_("In transit"), min_value=0, max_digits=14, decimal_places=3
    )
    fulfilled = forms.DecimalField(
        label=_("Fulfilled"), min_value=0, max_digits=14, decimal_places=3
    )


class LineForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=Category.objects.filter(prohibited=False).order_by("position"),
        required=False,
    )
    description = forms.CharField(
        label=_("Description"), max_length=bounds.SUMMARY_CHARS, required=False
    )
    quantity = forms.DecimalField(
        label=_("Quantity"), required=False, max_digits=14, decimal_places=3
    )
    unit = forms.CharField(label=_("Unit"), max_length=30, required=False)


# Three lines on the page; requests with more are made through the API.
LineFormSet = forms.formset_factory(LineForm, extra=3, max_num=3)


class AcsaOrderForm(forms.Form):
    """The terms a request lacks to become an ACSA order: a unit price per line, the
    currency and the settlement method; the legal basis defaults to the designation."""

    currency = forms.CharField(label=_("Currency"), max_length=3, initial="JPY")
    settlement_method = forms.ChoiceField(
        label=_("Settlement method"), choices=Order.SettlementMethod.choices
    )
    legal_basis = forms.CharField(
        label=_("Legal basis"), max_length=bounds.TITLE_CHARS, required=False
    )

    def __init__(self, support_request: SupportRequest, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lines = list(support_request.lines.select_related("category"))
        for line in self.lines:
            self.fields[f"price_{line.public_id}"] = forms.DecimalField(
                label=_("Unit price: %(line)s") % {"line": line.description},
                min_value=Decimal("0.01"),
                max_digits=16,
                decimal_places=2,
            )

    def price_fields(self) -> list[forms.BoundField]:
        return [self[f"price_{line.public_id}"] for line in self.lines]

    def terms(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "currency": data["currency"].upper(),
            "settlement_method": data["settlement_method"],
            "legal_basis": data["legal_basis"],
            "unit_prices": {line.pk: data[f"price_{line.public_id}"] for line in self.lines},
        }
