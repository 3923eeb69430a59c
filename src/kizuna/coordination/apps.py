from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoordinationConfig(AppConfig):
    name = "kizuna.coordination"
    label = "coordination"
    verbose_name = _("Coordination")
    # The main menu entries this app contributes: (URL name, label).
    nav = (("coordination:index", _("Coordination")),)
