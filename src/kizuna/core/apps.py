from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "kizuna.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        # Each app's back office (`<app>/admin.py`, registering on core.admin.site). The
        # project uses SimpleAdminConfig, which imports no admin module by itself, so
        # without this only the modules something else happened to import would count.
        autodiscover_modules("admin")

        from django import forms

        from .bounds import refuse_control_characters

        # Every text field of every form (the apps', the back office's, sign-in's) refuses
        # control characters beside the field, as Django's own CharField refuses NUL.
        forms.CharField.default_validators = [refuse_control_characters]
