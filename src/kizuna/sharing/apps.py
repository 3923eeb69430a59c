from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SharingConfig(AppConfig):
    name = "kizuna.sharing"
    label = "sharing"
    verbose_name = _("Information sharing")
    # The main menu entries this app contributes: (URL name, label).
    nav = (("sharing:list", _("Shared information")),)
    # What a restored database is checked for (core.backups): the search index is whole.
    # Marking changes waiting for a second person, on the home page of those who decide them.
    home_panel = "kizuna.sharing.views.home_panel"
    restore_checks = "kizuna.sharing.search.index_checks"
