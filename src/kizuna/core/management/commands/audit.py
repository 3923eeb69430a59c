"""`kizuna audit verify|checkpoint|keygen`: the audit chain and its signed checkpoints.

verify walks the chain against every signed checkpoint (core.checkpoints) and names the
first row that no longer matches; checkpoint signs the head after verifying; keygen makes
the signing key file."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ... import checkpoints
from ..base import KizunaCommand


class Command(KizunaCommand):
    help = gettext_noop("Check the audit chain, or sign a checkpoint of it.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "action",
            choices=["verify", "checkpoint", "keygen"],
            help=_(
                "verify: walk the chain from its first event, against the signed checkpoints; "
                "checkpoint: sign the chain's head into a new checkpoint file; "
                "keygen: create the signing key file"
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['action']}")()
        except checkpoints.CheckpointError as error:
            raise CommandError(str(error)) from None

    def _verify(self) -> None:
        checked = checkpoints.verify()
        report = checked.report
        if not report.intact:
            raise CommandError(
                _(
                    "audit chain broken at event #%(event)s: %(reason)s "
                    "(%(count)d events before it verified)"
                )
                % {
                    "event": report.first_broken_id,
                    "reason": _(report.reason),
                    "count": report.checked,
                }
            )
        self.stdout.write(
            _("audit chain intact: %(count)d events verified") % {"count": report.checked}
        )
        if checked.latest is None:
            self.stdout.write(
                _("no signed checkpoint yet: a deleted tail or a recomputed chain would not show")
            )
        else:
            self.stdout.write(
                _("matches the signed checkpoints up to event #%(event)d (signed %(at)s)")
                % {"event": checked.latest.upto, "at": checked.latest.written_at}
            )

    def _checkpoint(self) -> None:
        checkpoint = checkpoints.write()
        if checkpoint is None:
            self.stdout.write(_("no new event since the last checkpoint: nothing written"))
            return
        self.stdout.write(
            _("checkpoint of event #%(event)d written to %(path)s")
            % {"event": checkpoint.upto, "path": checkpoint.path}
        )

    def _keygen(self) -> None:
        path = checkpoints.generate_key()
        self.stdout.write(_("signing key written to %(path)s") % {"path": path})
