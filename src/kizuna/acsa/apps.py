from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class AcsaConfig(AppConfig):
    name = "kizuna.acsa"
    label = "acsa"
    verbose_name = _("Mutual logistics support (ACSA)")
    # The main menu entries this app contributes: (URL name, label).
    nav = (("acsa:index", _("Logistics support")),)
    # A panel on each person's home page: (request) -> HTML, or None when it has nothing.
    home_panel = "kizuna.acsa.views.home_panel"
    # Whose audit events show to whom (core.audit.visible_events): object type -> the
    # policy's records a person may see.
    audit_scope = {
        "acsa.order": "kizuna.acsa.policy.orders_visible",
        "acsa.offset": "kizuna.acsa.policy.offsets_visible",
    }
    # What this app's audit action codes mean, for the audit page and timelines (core.audit).
    audit_actions = {
        "acsa.order.create": _("ACSA order drafted"),
        "acsa.order.request": _("ACSA order requested and signed"),
        "acsa.order.accept": _("ACSA order accepted"),
        "acsa.order.cancel": _("ACSA order cancelled"),
        "acsa.order.deliver": _("Delivery recorded"),
        "acsa.order.receipt": _("Receipt signed"),
        "acsa.order.settlement.counter_delivery": _("Return delivery recorded"),
        "acsa.order.settle": _("Settlement recorded"),
        "acsa.order.close": _("ACSA order closed"),
        "acsa.offset.propose": _("Offset proposed"),
        "acsa.offset.apply": _("Offset applied"),
    }

    def ready(self) -> None:
        from . import rules
        from .models import AgreementVersion, Category, EligibilityRule, SituationType

        # The eligibility index is folded from these rows: any change drops it.
        for model in (AgreementVersion, Category, EligibilityRule, SituationType):
            post_save.connect(rules.invalidate, sender=model, dispatch_uid=f"acsa-{model.__name__}")
            post_delete.connect(
                rules.invalidate, sender=model, dispatch_uid=f"acsa-{model.__name__}-del"
            )
