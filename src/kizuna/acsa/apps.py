from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AcsaConfig(AppConfig):
    name = "kizuna.acsa"
    label = "acsa"
    verbose_name = _("Mutual logistics support (ACSA)")
    # The main menu entries this app contributes: (URL name, label).
    nav = ()
