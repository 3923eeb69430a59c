from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "kizuna.core"
    label = "core"
    verbose_name = _("Core")

    # What core's audit action codes mean; each app declares its own the same way and
    # core.audit.action_label reads them all, so no page shows a raw code.
    audit_actions = {
        "person.create": _("Person added"),
        "person.update": _("Person changed"),
        "person.preferences": _("Preferences changed"),
        "person.password_change": _("Password changed"),
        "organization.create": _("Organization added"),
        "organization.update": _("Organization changed"),
        "membership.grant": _("Membership granted"),
        "membership.update": _("Membership changed"),
        "token.issue": _("API token issued"),
        "token.revoke": _("API token revoked"),
        "database.restore": _("Database restored"),
        "admin.add": _("Added in the back office"),
        "admin.change": _("Changed in the back office"),
        "admin.delete": _("Deleted in the back office"),
    }

    def ready(self) -> None:
        # The `<pid:...>` URL converter, registered before any app's URLs are read.
        from . import public_ids  # noqa: F401

        # Each app's back office (`<app>/admin.py`, registering on core.admin.site). The
        # project uses SimpleAdminConfig, which imports no admin module by itself, so
        # without this only the modules something else happened to import would count.
        autodiscover_modules("admin")

        from django import forms

        from .bounds import refuse_control_characters

        # Every text field of every form (the apps', the back office's, sign-in's) refuses
        # control characters beside the field, as Django's own CharField refuses NUL.
        forms.CharField.default_validators = [refuse_control_characters]

        # The back office's menu entry follows the admin site's own rule (core.admin).
        from .navigation import name_rule
        from .policy import is_administrator

        name_rule("admin:index", is_administrator)
