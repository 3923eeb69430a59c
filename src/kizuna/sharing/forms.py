"""Forms of the sharing pages: they parse; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kizuna.core import bounds
from kizuna.core.forms import writers_language
from kizuna.core.models import Nation, Organization, Person

from .models import ClassificationLevel, Community, Domain, HandlingCaveat, ReadEvent, SharedItem
from .services import NATIONAL_ONLY, Marking


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=400)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("all kinds")), *SharedItem.Kind.choices]
    )
    domain = forms.ChoiceField(
        label=_("Domain"), required=False, choices=[("", _("all domains")), *Domain.choices]
    )
    nation = forms.ModelChoiceField(
        label=_("Originating nation"),
        required=False,
        queryset=Nation.objects.all(),
        to_field_name="code",
        empty_label=_("all nations"),
    )
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


class MarkingFields(forms.Form):
    """The marking part of a form, shared by the create and change forms."""

    level = forms.ModelChoiceField(
        label=_("Classification"),
        queryset=ClassificationLevel.objects.select_related("nation"),
        to_field_name="code",
    )
    national_only = forms.BooleanField(label=_("National only"), required=False)
    releasable_to = forms.ModelMultipleChoiceField(
        label=_("Releasable to"),
        queryset=Nation.objects.all(),
        to_field_name="code",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    caveats = forms.ModelMultipleChoiceField(
        label=_("Handling caveats"),
        queryset=HandlingCaveat.objects.all(),
        to_field_name="code",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    communities = forms.ModelMultipleChoiceField(
        label=_("Communities of interest"),
        queryset=Community.objects.filter(reserved_for=""),
        to_field_name="code",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def marking(self) -> Marking:
        data = self.cleaned_data
        nations = (
            (NATIONAL_ONLY,)
            if data.get("national_only")
            else tuple(n.code for n in data["releasable_to"])
        )
        return Marking(
            level=data["level"].code,
            releasable_to=nations,
            caveats=tuple(c.code for c in data["caveats"]),
            communities=tuple(c.code for c in data["communities"]),
        )


class OptionalMarkingFields(MarkingFields):
    """The marking part of a form for records with a default marking (log entries, ACSA
    orders): no level chosen means the default, which the record's service decides."""

    level = forms.ModelChoiceField(
        label=_("Classification"),
        queryset=ClassificationLevel.objects.select_related("nation"),
        to_field_name="code",
        required=False,
        empty_label=_("default marking"),
    )

    def chosen_marking(self) -> Marking | None:
        """The marking chosen, or None for the default one."""
        return self.marking() if self.cleaned_data.get("level") else None


class ItemForm(MarkingFields):
    kind = forms.ChoiceField(label=_("Kind"), choices=SharedItem.Kind.choices)
    domain = forms.ChoiceField(label=_("Domain"), choices=Domain.choices)
    originator = forms.ModelChoiceField(
        label=_("Originating organization"), queryset=Organization.objects.none()
    )
    original_language = forms.ChoiceField(
        label=_("Written in"), choices=SharedItem.Language.choices, initial=writers_language
    )
    title = forms.CharField(label=_("Title"), max_length=bounds.TITLE_CHARS)
    body = forms.CharField(
        label=pgettext_lazy("the text of an entry", "Body"),
        required=False,
        max_length=bounds.BODY_CHARS,
        widget=forms.Textarea,
    )
    latitude = forms.FloatField(label=_("Latitude"), required=False)
    longitude = forms.FloatField(label=_("Longitude"), required=False)
    observed_at = forms.DateTimeField(label=_("Observed at (UTC)"), required=False)
    observation = forms.CharField(
        label=_("What was seen"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    field_order = ["kind", "domain", "originator", "original_language", "title", "body"]

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bounds.offer_range(self.fields["observed_at"], "observed")
        self.fields["originator"].queryset = Organization.objects.filter(  # type: ignore[attr-defined]
            memberships__person=person
        ).distinct()


class TranslationForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=bounds.TITLE_CHARS)
    body = forms.CharField(
        label=pgettext_lazy("the text of an entry", "Body"),
        required=False,
        max_length=bounds.BODY_CHARS,
        widget=forms.Textarea,
    )


class MarkingChangeForm(MarkingFields):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class AttachmentForm(forms.Form):
    """Only the file: Kizuna computes its SHA-256 checksum while storing it."""

    file = forms.FileField(label=_("File"))


class ReadFilterForm(forms.Form):
    username = forms.CharField(label=_("User name"), required=False, max_length=150)
    item = forms.CharField(label=_("Item identifier"), required=False, max_length=26)
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("all")), *ReadEvent.Action.choices]
    )
    since = forms.DateTimeField(label=_("From (UTC)"), required=False)
    until = forms.DateTimeField(label=_("Until (UTC)"), required=False)


class ImportForm(forms.Form):
    bundle = forms.FileField(label=_("STIX 2.1 bundle (JSON)"))
