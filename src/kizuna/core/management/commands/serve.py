"""`kizuna serve`: the web server (uvicorn, ASGI) and the task worker beside it."""

from __future__ import annotations

import signal
import subprocess
import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import CommandError, CommandParser
from django.db import connection
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ..base import KizunaCommand


class Command(KizunaCommand):
    help = gettext_noop("Run the web server and the task worker.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help=_("address to listen on"))
        parser.add_argument("--port", type=int, default=8000, help=_("port to listen on"))
        parser.add_argument("--workers", type=int, default=1, help=_("web server processes"))
        parser.add_argument(
            "--no-worker", action="store_true", help=_("do not start the task worker")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["workers"] > 1 and connection.vendor == "sqlite":
            # Live updates fan out in process on SQLite; a second process would never hear.
            raise CommandError(
                _(
                    "On the embedded SQLite database Kizuna runs as one process "
                    "(--workers 1): live updates reach other processes only through PostgreSQL."
                )
            )
        call_command("collectstatic", interactive=False, verbosity=0)
        worker = None
        if not options["no_worker"]:
            worker = subprocess.Popen([sys.executable, "-m", "kizuna.cli", "db_worker"])
        self.stdout.write(
            _("Kizuna on %(url)s") % {"url": f"http://{options['host']}:{options['port']}/"}
        )
        try:
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "uvicorn",
                    "kizuna.asgi:application",
                    "--host",
                    options["host"],
                    "--port",
                    str(options["port"]),
                    "--workers",
                    str(options["workers"]),
                    "--no-server-header",
                ],
                check=False,
            )
        except KeyboardInterrupt:
            pass
        finally:
            if worker is not None:
                worker.send_signal(signal.SIGTERM)
                worker.wait(timeout=10)
