"""`kizuna audit verify`: walk the audit chain and name the first broken row."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ...audit import verify_chain
from ..base import KizunaCommand


class Command(KizunaCommand):
    help = gettext_noop("Check the audit chain.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "action", choices=["verify"], help=_("verify: walk the chain from its first event")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_chain()
        if report.intact:
            self.stdout.write(
                _("audit chain intact: %(count)d events verified") % {"count": report.checked}
            )
            return
        raise CommandError(
            _(
                "audit chain broken at event #%(event)s: %(reason)s "
                "(%(count)d events before it verified)"
            )
            % {"event": report.first_broken_id, "reason": _(report.reason), "count": report.checked}
        )
