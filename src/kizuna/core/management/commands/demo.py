"""`kizuna demo`: load the demo data of every app, idempotently, with a progress bar."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from tqdm import tqdm

from kizuna.acsa import demo as acsa_demo
from kizuna.coordination import demo as coordination_demo
from kizuna.sharing import demo as sharing_demo

from ... import demo as core_demo

# Each app's demo module yields (label, load) steps; later apps build on earlier ones.
DEMO_MODULES = [core_demo, sharing_demo, acsa_demo, coordination_demo]


class Command(BaseCommand):
    help = "Load the demo organizations, people and records (demo mode only)."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_MODE:
            raise CommandError("demo data loads only in demo mode: set KIZUNA_DEMO=1")
        steps = [step for module in DEMO_MODULES for step in module.steps()]
        with tqdm(total=len(steps), desc="demo", unit="step", file=self.stderr) as bar:
            for label, load in steps:
                bar.set_postfix_str(label)
                with transaction.atomic():
                    load()
                bar.update()
        self.stdout.write(f"Demo log-ins (password: {core_demo.DEMO_PASSWORD}):")
        for person in core_demo.PEOPLE:
            self.stdout.write(f"  {person.username:<16} {person.role.label} · {person.name_en}")
