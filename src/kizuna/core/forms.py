from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .models import Person
from .timezones import ZONE_LABELS, label_for


def writers_language() -> str:
    """The language a person writes in unless they say otherwise: the one they use Kizuna
    in (their preference, activated for each request). The initial of every form's
    "language of the text" field, called as the form is shown."""
    return "en" if (get_language() or "ja").startswith("en") else "ja"


class LoginForm(AuthenticationForm):
    # One message whether the person exists or not, so the form tells an attacker nothing.
    error_messages = {
        "invalid_login": _("The user name or password is not correct."),
        "inactive": _("The user name or password is not correct."),
    }


def _zone_choices() -> list[tuple[str, str]]:
    zones = dict.fromkeys([*settings.DEFAULT_TIME_ZONES, *ZONE_LABELS])
    return [(z, f"{label_for(z)} ({z})") for z in zones]


class PreferencesForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=Person.Language.choices)
    home_zone = forms.ChoiceField(label=_("Your time zone"))
    other_zones = forms.MultipleChoiceField(
        label=_("Also show"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("home_zone", "other_zones"):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = _zone_choices()

    def time_zones(self) -> list[str]:
        home = self.cleaned_data["home_zone"]
        return [home, *[z for z in self.cleaned_data["other_zones"] if z != home]]


class TokenForm(forms.Form):
    label = forms.CharField(label=_("Label"), max_length=80)


def put_errors(form: forms.BaseForm, error: ValidationError | PermissionDenied) -> None:
    """A service's refusal on the form, beside the field it names where the form has one
    ("starts_at"; a line's "lines.0.quantity" on the form's "quantity"), the rest above it.
    The form stays bound, so the page shows again with what was typed."""
    if isinstance(error, PermissionDenied):
        form.add_error(None, str(error) or str(_("You do not have permission to do this.")))
    elif not hasattr(error, "error_dict"):
        form.add_error(None, error)
    else:
        for key, problems in error.message_dict.items():
            name = key if key in form.fields else key.rsplit(".", 1)[-1]
            form.add_error(name if name in form.fields else None, problems)
