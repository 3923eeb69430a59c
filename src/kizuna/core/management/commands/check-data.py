"""`kizuna check-data`: list stored values that are outside Kizuna's bounds, for repair."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ...bounds import STORED_EARLIEST, STORED_LATEST, stored_out_of_bounds
from ..base import KizunaCommand


class Command(KizunaCommand):
    help = gettext_noop(
        "List stored dates and times outside the bounds Kizuna now enforces (saved before "
        "them), so that they can be repaired."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        problems = stored_out_of_bounds()
        for problem in problems:
            self.stdout.write(
                _("%(model)s #%(pk)s: %(field)s = %(value)s is out of range")
                % {
                    "model": problem.model,
                    "pk": problem.pk,
                    "field": problem.field,
                    "value": problem.value.isoformat(),
                }
            )
        if problems:
            raise CommandError(
                _("%(count)d stored values are outside %(earliest)s … %(latest)s: repair them.")
                % {
                    "count": len(problems),
                    "earliest": STORED_EARLIEST.date().isoformat(),
                    "latest": STORED_LATEST.date().isoformat(),
                }
            )
        self.stdout.write(_("Every stored date and time is within bounds."))
