"""`kizuna serve`: the web server (uvicorn, ASGI) and the task worker beside it, as one
service that stops cleanly (kizuna.core.processes); `kizuna serve --check` says whether a
running Kizuna is whole (kizuna.core.health)."""

from __future__ import annotations

import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError, CommandParser
from django.db import connection
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ...health import health
from ...processes import KILL_GRACE, Child, supervise
from ..base import KizunaCommand
from ._output import write_checks


class Command(KizunaCommand):
    help = gettext_noop("Run the web server and the task worker; --check reports health and exits.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help=_("address to listen on"))
        parser.add_argument("--port", type=int, default=8000, help=_("port to listen on"))
        parser.add_argument("--workers", type=int, default=1, help=_("web server processes"))
        parser.add_argument(
            "--no-worker", action="store_true", help=_("do not start the task worker")
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help=_("report the database, migrations and task worker, exit non-zero if one fails"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["check"]:
            self._check()
            return
        if options["workers"] > 1 and connection.vendor == "sqlite":
            # Live updates fan out in process on SQLite; a second process would never hear.
            raise CommandError(
                _(
                    "On the embedded SQLite database Kizuna runs as one process "
                    "(--workers 1): live updates reach other processes only through PostgreSQL."
                )
            )
        call_command("collectstatic", interactive=False, verbosity=0)
        connection.close()  # the children open their own
        stop_seconds = settings.STOP_SECONDS
        children = [Child(_("web server"), self._web_server(options, stop_seconds))]
        if not options["no_worker"]:
            worker = [sys.executable, "-m", "kizuna.cli", "worker", "--no-reload"]
            children.append(Child(_("task worker"), worker))
        self._say(
            _(
                "Kizuna on %(url)s (a stop lets requests finish for %(stop)s s, "
                "then kills what is left after %(grace)s s more)"
            )
            % {
                "url": f"http://{options['host']}:{options['port']}/",
                "stop": f"{stop_seconds:g}",
                "grace": f"{KILL_GRACE:g}",
            }
        )
        outcome = supervise(children, stop_seconds=stop_seconds, announce=self._say)
        if outcome.exit_code:
            raise CommandError(
                _(
                    "%(name)s stopped unexpectedly (exit code %(code)s); "
                    "the whole service stopped so that its supervisor restarts it"
                )
                % {"name": outcome.died, "code": outcome.died_code},
                returncode=outcome.exit_code,
            )
        self._say(_("Kizuna stopped"))

    def _say(self, line: str) -> None:
        self.stdout.write(line)
        self.stdout.flush()

    @staticmethod
    def _web_server(options: dict[str, Any], stop_seconds: int) -> list[str]:
        return [
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
            "--timeout-graceful-shutdown",
            str(stop_seconds),
            "--no-server-header",
            # Django speaks no ASGI lifespan; asking only logs that it does not.
            "--lifespan",
            "off",
        ]

    def _check(self) -> None:
        if not write_checks(self.stdout, health().checks()):
            raise CommandError(_("Kizuna is not whole: see FAIL above"), returncode=1)
