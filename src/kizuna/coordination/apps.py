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
    # What this app's audit action codes mean, for the audit page (core.audit).
    audit_actions = {
        "coordination.situation.open": _("Situation opened"),
        "coordination.situation.close": _("Situation closed"),
        "coordination.designation.add": _("Designation recorded"),
        "coordination.designation.end": _("Designation ended"),
        "coordination.body.stand_up": _("Coordination body stood up"),
        "coordination.body.stand_down": _("Coordination body stood down"),
        "coordination.entry.post": _("Log entry posted"),
        "coordination.entry.translate": _("Log entry translated"),
        "coordination.entry.vet": _("Vetting of a significant event"),
        "coordination.entry.event_time": _("Event time corrected"),
        "coordination.request.create": _("Request for support drafted"),
        "coordination.request.submitted": _("Request for support submitted"),
        "coordination.request.acknowledged": _("Request for support acknowledged"),
        "coordination.request.accepted": _("Request for support accepted"),
        "coordination.request.declined": _("Request for support declined"),
        "coordination.request.started": _("Work on a request for support started"),
        "coordination.request.progress": _("Progress on a request for support recorded"),
        "coordination.request.completed": _("Request for support completed"),
        "coordination.request.escalated": _("Request for support escalated"),
        "coordination.request.acsa_order": _("Request for support made an ACSA order"),
        "coordination.resources.report": _("Resources committed reported"),
        "coordination.meeting.record": _("Meeting recorded"),
        "coordination.action_item.add": _("Action item assigned"),
        "coordination.action_item.close": _("Action item closed"),
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
