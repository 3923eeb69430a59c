"""`kizuna restore FILE`: a backup into the configured, empty database, then checked; with
`--verify`, only the checks (core.backups)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ... import services
from ...backups import BackupError, checks, restore
from ..base import KizunaCommand
from ._output import BarProgress, write_checks


class Command(KizunaCommand):
    help = gettext_noop(
        "Restore a backup into an empty database and check it (--verify: check only)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, nargs="?", help=_("the backup file to restore"))
        parser.add_argument(
            "--verify", action="store_true", help=_("only check that the database is whole")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        source: Path | None = options["file"]
        if options["verify"] == (source is not None):
            raise CommandError(_("name a backup file to restore, or pass --verify alone"))
        if source is not None:
            if not source.is_file():
                raise CommandError(_("%(file)s does not exist") % {"file": source})
            started = time.monotonic()
            try:
                with BarProgress(_("restore"), self.stderr) as progress:
                    restore(source, progress)
            except BackupError as error:
                raise CommandError(str(error)) from None
            self.stdout.write(
                _("restored %(file)s in %(seconds)s s")
                % {"file": source, "seconds": f"{time.monotonic() - started:.1f}"}
            )
        self.stdout.write(_("checking…"))
        whole = write_checks(self.stdout, checks())
        if source is not None:
            services.database_restored(source=source.name, whole=whole)
            self.stdout.write(_("ok   access token redrawn; the restore is on the audit chain"))
        if not whole:
            raise CommandError(_("the database is not whole: see FAIL above"), returncode=1)
        self.stdout.write(_("the database is whole"))
