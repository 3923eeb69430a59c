from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SharingConfig(AppConfig):
    name = "kizuna.sharing"
    label = "sharing"
    verbose_name = _("Information sharing")
    # The main menu entries this app contributes: (URL name, label).
    nav = (("sharing:list", _("Shared information")),)
    # What this app's audit action codes mean, for the audit page (core.audit).
    audit_actions = {
        "sharing.item.create": _("Information shared"),
        "sharing.item.translate": _("Shared information translated"),
        "sharing.marking.raise": _("Marking raised"),
        "sharing.marking.approve": _("Marking change approved"),
        "sharing.attachment.add": _("File attached"),
        "sharing.clearance.grant": _("Clearance granted"),
        "sharing.stix.import": _("STIX bundle imported"),
    }
    # What a restored database is checked for (core.backups): the search index is whole.
    # Marking changes waiting for a second person, on the home page of those who decide them.
    home_panel = "kizuna.sharing.views.home_panel"
    restore_checks = "kizuna.sharing.search.index_checks"
    # Whose audit events show to whom (core.audit.visible_events).
    audit_scope = {
        "sharing.shareditem": "kizuna.sharing.policy.items_visible",
        "sharing.markingchange": "kizuna.sharing.policy.marking_changes_visible",
        "sharing.readevent": "kizuna.sharing.policy.reads_visible",
        "sharing.markingset": "kizuna.sharing.policy.visible_markings",
    }
