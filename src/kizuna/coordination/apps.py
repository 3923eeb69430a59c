from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoordinationConfig(AppConfig):
    name = "kizuna.coordination"
    label = "coordination"
    verbose_name = _("Coordination")
    # The main menu entries this app contributes: (URL name, label).
    nav = (("coordination:index", _("Coordination")),)
    # Open situations with a position, on the shared map (sharing.selectors.map_places).
    # What waits for the person, on their home page (core collects these panels).
    home_panel = "kizuna.coordination.views.home_panel"
    map_layer = "kizuna.coordination.selectors.situations_on_map"

    def ready(self) -> None:
        # Orders made from a request for support follow the situation's legal designation.
        from kizuna.acsa import rules

        from .selectors import situation_type_for_order

        rules.register_situation_resolver(situation_type_for_order)
        # Open live streams end when the server is told to stop (core.stopping).
        from kizuna.core import stopping

        from .live import broker

        stopping.on_stop(broker.stop_streams)
