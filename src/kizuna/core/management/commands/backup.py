"""`kizuna backup FILE`: the whole database into one file, while Kizuna runs (core.backups)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ...backups import BackupError, backup
from ..base import KizunaCommand
from ._output import BarProgress


class Command(KizunaCommand):
    help = gettext_noop(
        "Back up the database (SQLite: online backup; PostgreSQL: pg_dump, custom format)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help=_("the backup file to write"))
        parser.add_argument("--force", action="store_true", help=_("replace an existing file"))

    def handle(self, *args: Any, **options: Any) -> None:
        target: Path = options["file"]
        started = time.monotonic()
        try:
            with BarProgress(_("backup"), self.stderr) as progress:
                backup(target, progress, force=options["force"])
        except BackupError as error:
            raise CommandError(str(error)) from None
        size_mb = target.stat().st_size / 1e6
        self.stdout.write(
            _("backup written to %(file)s (%(size)s MB in %(seconds)s s)")
            % {
                "file": target,
                "size": f"{size_mb:.1f}",
                "seconds": f"{time.monotonic() - started:.1f}",
            }
        )
