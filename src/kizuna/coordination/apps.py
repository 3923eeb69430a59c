from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoordinationConfig(AppConfig):
    name = "kizuna.coordination"
    label = "coordination"
    verbose_name = _("Coordination")
    # The main menu entries this app contributes: (URL name, label).
    nav = (("coordination:index", _("Coordination")),)
    # Open situations with a position, on the shared map (sharing.selectors.map_places).
    map_layer = "kizuna.coordination.selectors.situations_on_map"
    # Whose audit events show to whom (core.audit.visible_events).
    audit_scope = {
        "coordination.logentry": "kizuna.coordination.policy.entries_visible",
        "coordination.situation": "kizuna.coordination.policy.situations_visible",
        "coordination.designation": "kizuna.coordination.policy.designations_visible",
        "coordination.body": "kizuna.coordination.policy.bodies_visible",
        "coordination.meeting": "kizuna.coordination.policy.meetings_visible",
        "coordination.actionitem": "kizuna.coordination.policy.action_items_visible",
        "coordination.supportrequest": "kizuna.coordination.policy.requests_visible",
        "coordination.resourcereport": "kizuna.coordination.policy.resource_reports_visible",
    }

    def ready(self) -> None:
        # Orders made from a request for support follow the situation's legal designation.
        from kizuna.acsa import rules

        from .selectors import situation_type_for_order

        rules.register_situation_resolver(situation_type_for_order)
        # Open live streams end when the server is told to stop (core.stopping).
        from kizuna.core import stopping

        from .live import broker

        stopping.on_stop(broker.stop_streams)
