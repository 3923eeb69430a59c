from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SigninConfig(AppConfig):
    name = "kizuna.signin"
    label = "signin"
    verbose_name = _("Sign-in")
    # A section of each person's settings page (core collects them like home panels).
    settings_panel = "kizuna.signin.views.settings_panel"
    # What this app's audit action codes mean, for the audit page (core.audit).
    audit_actions = {
        "signin.lockout": _("Sign-in locked after failed attempts"),
        "signin.second_factor_enrol": _("Second factor set up"),
        "signin.second_factor_turn_off": _("Second factor turned off"),
        "signin.second_factor_reset": _("Second factor reset by an administrator"),
        "signin.recovery_codes_issue": _("Recovery codes issued"),
        "signin.recovery_code_use": _("Recovery code used"),
        "signin.sessions_end_everywhere": _("Signed out everywhere"),
    }

    def ready(self) -> None:
        # The signals of sign-in and sign-out.
        from . import receivers  # noqa: F401
