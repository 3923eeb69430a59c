"""Forms of the exercises' pages: parse what was typed; the services decide. A refused form
shows again with what was typed and each error beside its field (core.forms.put_errors).

The scenario's: a scenario time is typed as a local time with its zone, both required: a
bare local time is refused (it reads differently in Japan, Washington State and Hawaii), and
so is a local time the zone skips or repeats at a daylight-saving switch. The after-action
review's: observations (and their translations), lessons and corrective actions."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, datetime
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kizuna.coordination.models import Body, Language
from kizuna.core.forms import writers_language
from kizuna.core.models import Organization
from kizuna.core.timezones import ZONE_LABELS, label_for

from .models import CorrectiveAction, Exercise, Inject, Objective, Observation

_LOCAL = forms.DateTimeInput(attrs={"type": "datetime-local"})


def _zone_choices() -> list[tuple[str, str]]:
    zones = dict.fromkeys([*settings.DEFAULT_TIME_ZONES, *ZONE_LABELS])
    return [("", "—"), *((z, f"{label_for(z)} ({z})") for z in zones)]


def _offer_zones(form: forms.Form) -> None:
    field = form.fields["zone"]
    assert isinstance(field, forms.ChoiceField)
    field.choices = _zone_choices()


def aware(local: str, zone: str) -> datetime:
    """The instant a local wall-clock time names in `zone`; refuses one the zone skips
    (spring forward) or passes twice (fall back), where only an offset would tell."""
    try:
        naive = datetime.fromisoformat(local)
    except ValueError:
        raise ValidationError(_("Give a date and time.")) from None
    if naive.tzinfo is not None:
        return naive
    tz = zoneinfo.ZoneInfo(zone)
    first, second = naive.replace(tzinfo=tz), naive.replace(tzinfo=tz, fold=1)
    if first.utcoffset() != second.utcoffset():
        back = first.astimezone(UTC).astimezone(tz).replace(tzinfo=None)
        if back != naive:
            raise ValidationError(
                _("%(time)s does not exist in %(zone)s: the clocks skip it that night.")
                % {"time": local, "zone": label_for(zone)}
            )
        raise ValidationError(
            _("%(time)s happens twice in %(zone)s that night: give it in UTC instead.")
            % {"time": local, "zone": label_for(zone)}
        )
    return first


class ScenarioTimeForm(forms.Form):
    """A scenario time: a local date and time, and the zone it is read in."""

    time_field = "scheduled_local"
    scheduled_local = forms.CharField(label=_("Scenario time"), widget=_LOCAL)
    zone = forms.ChoiceField(
        label=_("Time zone"),
        error_messages={
            "required": _(
                "Say in which time zone the time is: a bare local time reads differently in "
                "Japan, Washington State and Hawaii."
            )
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _offer_zones(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("scheduled_local") and data.get("zone"):
            try:
                data["scheduled_at"] = aware(data["scheduled_local"], data["zone"])
            except ValidationError as error:
                self.add_error("scheduled_local", error)
        return data


class InjectForm(ScenarioTimeForm):
    target = forms.ChoiceField(label=_("Target cell"))
    method = forms.ChoiceField(
        label=pgettext_lazy("an inject", "Channel"), choices=Inject.Method.choices
    )
    text_ja = forms.CharField(label=_("Text (Japanese)"), widget=forms.Textarea(attrs={"rows": 3}))
    text_en = forms.CharField(label=_("Text (English)"), widget=forms.Textarea(attrs={"rows": 3}))
    expected_action_ja = forms.CharField(
        label=_("Expected player action (Japanese)"), widget=forms.Textarea(attrs={"rows": 2})
    )
    expected_action_en = forms.CharField(
        label=_("Expected player action (English)"), widget=forms.Textarea(attrs={"rows": 2})
    )
    objective: forms.ModelChoiceField[Objective] = forms.ModelChoiceField(
        label=_("Objective"), queryset=Objective.objects.none(), required=False
    )

    def __init__(self, *args: Any, exercise: Exercise, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bodies = (
            Body.objects.filter(situation=exercise.situation_id) if exercise.situation_id else []
        )
        organizations = Organization.objects.filter(
            pk__in=exercise.participations.values("organization")
        )
        target = self.fields["target"]
        assert isinstance(target, forms.ChoiceField)
        target.choices = [
            *((f"body:{b.pk}", str(b)) for b in bodies),
            *((f"organization:{o.pk}", o.name) for o in organizations),
        ]
        objective = self.fields["objective"]
        assert isinstance(objective, forms.ModelChoiceField)
        objective.queryset = exercise.objectives.all()

    def targets(self) -> dict[str, Any]:
        """The chosen cell as the service takes it."""
        kind, pk = self.cleaned_data["target"].split(":")
        if kind == "body":
            return {"target_body": Body.objects.get(pk=pk)}
        return {"target_organization": Organization.objects.get(pk=pk)}


class ClockForm(forms.Form):
    """One change to the clock; start and jump name a scenario time, start and speed a speed."""

    action = forms.ChoiceField(
        choices=[
            ("start", _("Start")),
            ("pause", _("Pause")),
            ("resume", _("Resume")),
            ("jump", _("Jump to")),
            ("speed", _("Set speed")),
        ]
    )
    scenario_local = forms.CharField(label=_("Scenario time"), widget=_LOCAL, required=False)
    zone = forms.ChoiceField(label=_("Time zone"), required=False)
    speed = forms.DecimalField(label=_("Speed (× real time)"), required=False, initial=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _offer_zones(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("action") in ("start", "jump"):
            if not data.get("scenario_local"):
                self.add_error("scenario_local", _("Give the scenario time."))
            elif not data.get("zone"):
                self.add_error(
                    "zone",
                    _(
                        "Say in which time zone the time is: a bare local time reads "
                        "differently in Japan, Washington State and Hawaii."
                    ),
                )
            else:
                try:
                    data["scenario_at"] = aware(data["scenario_local"], data["zone"])
                except ValidationError as error:
                    self.add_error("scenario_local", error)
        if data.get("action") in ("start", "speed") and data.get("speed") is None:
            self.add_error("speed", _("Give the speed."))
        return data


class ResponseForm(forms.Form):
    response = forms.CharField(
        label=_("What your cell did"), widget=forms.Textarea(attrs={"rows": 3})
    )


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


class TranslationForm(forms.Form):
    """An observation's translation, in a small form beside it: one per untranslated
    observation on the page, so each names its ids after its own observation."""

    translation = forms.CharField(label=_("Translation"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, observation: Observation, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"id_translation_{observation.public_id}_%s")
        super().__init__(*args, **kwargs)
        self.observation = observation


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
