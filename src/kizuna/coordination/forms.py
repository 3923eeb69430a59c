from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kizuna.acsa.models import SituationType

from .models import Body, Language, LogEntry


class EntryForm(forms.Form):
    body = forms.ModelChoiceField(
        label=_("Coordination body"), queryset=Body.objects.none(), empty_label=None
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=LogEntry.Kind.choices)
    language = forms.ChoiceField(label=_("Language of the text"), choices=Language.choices)
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 3}))
    event_at = forms.DateTimeField(
        label=_("Event time (UTC; empty for now)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    significant = forms.BooleanField(label=_("Significant event (for the board)"), required=False)

    def __init__(self, *args: Any, bodies: list[Body], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["body"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Body.objects.filter(pk__in=[b.pk for b in bodies])


class TranslationForm(forms.Form):
    text = forms.CharField(label=_("Translation"), widget=forms.Textarea(attrs={"rows": 3}))


class EventTimeForm(forms.Form):
    event_at = forms.DateTimeField(
        label=_("Event time (UTC)"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    reason = forms.CharField(label=_("Reason"), max_length=300)


class DesignationForm(forms.Form):
    situation_type = forms.ModelChoiceField(
        label=_("Situation type"), queryset=SituationType.objects.order_by("position")
    )
    at = forms.DateTimeField(
        label=_("From (UTC)"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )


class CloseForm(forms.Form):
    text = forms.CharField(label=_("Closing entry"), widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000)
