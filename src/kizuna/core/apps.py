from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "kizuna.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django import forms

        from .bounds import refuse_control_characters

        # Every text field of every form (the apps', the back office's, sign-in's) refuses
        # control characters beside the field, as Django's own CharField refuses NUL.
        forms.CharField.default_validators = [refuse_control_characters]
