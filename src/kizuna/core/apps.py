from django.apps import AppConfig
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
