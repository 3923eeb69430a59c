"""`kizuna audit verify`: walk the audit chain and name the first broken row."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ...audit import verify_chain


class Command(BaseCommand):
    help = "Check the audit chain."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_chain()
        if report.intact:
            self.stdout.write(f"audit chain intact: {report.checked} events verified")
            return
        raise CommandError(
            f"audit chain broken at event #{report.first_broken_id}: {report.reason} "
            f"({report.checked} events before it verified)"
        )
