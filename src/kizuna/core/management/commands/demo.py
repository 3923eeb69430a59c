"""`kizuna demo`: load the demo data of every app, idempotently, with a progress bar on a
terminal, then print the log-ins with their roles in both languages."""

from __future__ import annotations

from importlib import import_module
from types import ModuleType
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import translation
from django.utils.module_loading import module_has_submodule
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from tqdm import tqdm

from ... import demo as core_demo
from ...models import Role
from ..base import KizunaCommand


def demo_modules() -> list[ModuleType]:
    """Each installed app's `demo` module, in INSTALLED_APPS order (core first; later apps
    build on earlier ones); each yields (label, load) steps. Core imports none by name."""
    modules = []
    for config in apps.get_app_configs():
        if config.name.startswith("kizuna.") and module_has_submodule(config.module, "demo"):
            modules.append(import_module(f"{config.name}.demo"))
    return modules


def role_in_both(role: Role) -> str:
    """A role as 調整担当者 / Coordinator, whatever the operator reads."""
    labels = []
    for language in ("ja", "en"):
        with translation.override(language):
            labels.append(str(role.label))
    return " / ".join(dict.fromkeys(labels))


class Command(KizunaCommand):
    help = gettext_noop("Load the demo organizations, people and records (demo mode only).")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_MODE:
            raise CommandError(_("demo data loads only in demo mode: set KIZUNA_DEMO=1"))
        steps = [step for module in demo_modules() for step in module.steps()]
        # A bar only where a person watches: in a log or a pipe it would be noise.
        with tqdm(
            total=len(steps),
            desc=_("demo"),
            unit="step",
            file=self.stderr,
            disable=not self.stderr.isatty(),
        ) as bar:
            for label, load in steps:
                bar.set_postfix_str(label)
                with transaction.atomic():
                    load()
                bar.update()
        self.stdout.write(
            _("Demo log-ins (password: %(password)s):") % {"password": core_demo.DEMO_PASSWORD}
        )
        width = max(len(person.username) for person in core_demo.PEOPLE)
        for person in core_demo.PEOPLE:
            self.stdout.write(
                f"  {person.username:<{width}}  {role_in_both(person.role)}"
                f" · {person.name_ja} / {person.name_en}"
            )
