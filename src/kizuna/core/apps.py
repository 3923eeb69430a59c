from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "kizuna.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        # The back office's menu entry follows the admin site's own rule (core.admin).
        from .navigation import name_rule
        from .policy import is_administrator

        name_rule("admin:index", is_administrator)
