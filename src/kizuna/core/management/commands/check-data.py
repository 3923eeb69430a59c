"""`kizuna check-data`: list stored values that are outside Kizuna's bounds (dates and times
out of range, text with a control character), for repair."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ...bounds import (
    STORED_EARLIEST,
    STORED_LATEST,
    stored_control_characters,
    stored_out_of_bounds,
)
from ..base import KizunaCommand


class Command(KizunaCommand):
    help = gettext_noop(
        "List stored dates and times outside the bounds Kizuna now enforces, and stored text "
        "holding a control character (saved before they were refused), so that they can be "
        "repaired."
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
        characters = stored_control_characters()
        for problem in characters:
            self.stdout.write(
                _("%(model)s #%(pk)s: %(field)s holds a control character (U+%(code)04X)")
                % {
                    "model": problem.model,
                    "pk": problem.pk,
                    "field": problem.field,
                    "code": ord(problem.value),
                }
            )
        if problems or characters:
            raise CommandError(
                _(
                    "%(count)d stored values need repair: a date or time must lie within "
                    "%(earliest)s … %(latest)s, and a text may hold no control character."
                )
                % {
                    "count": len(problems) + len(characters),
                    "earliest": STORED_EARLIEST.date().isoformat(),
                    "latest": STORED_LATEST.date().isoformat(),
                }
            )
        self.stdout.write(_("Every stored date, time and text is within bounds."))
