"""Forms of the after-action review: parse what was typed; the services decide. A refused
form shows again with what was typed and each error beside its field (core.forms.put_errors)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kizuna.coordination.models import Language
from kizuna.core.forms import writers_language
from kizuna.core.models import Organization

from .models import CorrectiveAction, Exercise, Objective, Observation


class _OwnIds(forms.Form):
    """Two forms on one page share field names (objective, language, note): each keeps its
    element ids apart, so each label names its own field."""

    ids = "id_%s"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", self.ids)
        super().__init__(*args, **kwargs)


class _ObjectiveChoice(_OwnIds):
    """A form with an `objective` of the exercise's own objectives."""

    def __init__(self, *args: Any, exercise: Exercise, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["objective"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = exercise.objectives.all()


class ObservationForm(_ObjectiveChoice):
    ids = "id_observation_%s"
    objective = forms.ModelChoiceField(label=_("Objective"), queryset=Objective.objects.none())
    assessment = forms.ChoiceField(
        label=_("Assessment"),
        choices=[(value, capfirst(label)) for value, label in Observation.Assessment.choices],
    )
    language = forms.ChoiceField(
        label=_("Language of the text"), choices=Language.choices, initial=writers_language
    )
    text = forms.CharField(
        label=pgettext_lazy("after-action review", "Observation"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class LessonForm(_ObjectiveChoice):
    ids = "id_lesson_%s"
    objective = forms.ModelChoiceField(
        label=_("Objective"),
        queryset=Objective.objects.none(),
        required=False,
        empty_label=_("(none)"),
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    observation = forms.CharField(
        label=pgettext_lazy("after-action review", "Observation"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    discussion = forms.CharField(label=_("Discussion"), widget=forms.Textarea(attrs={"rows": 3}))
    lesson = forms.CharField(label=_("Lesson"), widget=forms.Textarea(attrs={"rows": 2}))
    recommendation = forms.CharField(
        label=_("Recommendation"), widget=forms.Textarea(attrs={"rows": 2})
    )
    language = forms.ChoiceField(
        label=_("Language of the text"), choices=Language.choices, initial=writers_language
    )


def _day() -> forms.DateField:
    return forms.DateField(
        label=_("Due date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class ActionOpenForm(forms.Form):
    owner = forms.ModelChoiceField(
        label=_("Owner organization"), queryset=Organization.objects.order_by("nation_id", "code")
    )
    due_on = _day()
    text = forms.CharField(
        label=_("Action (empty: the recommendation)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ActionUpdateForm(_OwnIds):
    ids = "id_update_%s"
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (status.value, capfirst(status.label))
            for status in (CorrectiveAction.Status.OPEN, CorrectiveAction.Status.IN_PROGRESS)
        ],
    )
    due_on = _day()
    note = forms.CharField(label=_("Progress"), widget=forms.Textarea(attrs={"rows": 2}))


class ActionCloseForm(_OwnIds):
    ids = "id_close_%s"
    # Not required here: the service says why a closing needs its note.
    note = forms.CharField(
        label=_("Closing note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
