from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SigninConfig(AppConfig):
    name = "kizuna.signin"
    label = "signin"
    verbose_name = _("Sign-in")
    # A section of each person's settings page (core collects them like home panels).
    settings_panel = "kizuna.signin.views.settings_panel"

    def ready(self) -> None:
        # The signals of sign-in and sign-out.
        from . import receivers  # noqa: F401
