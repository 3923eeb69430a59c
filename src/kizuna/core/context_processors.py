from __future__ import annotations

from typing import Any

from django.apps import apps
from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .models import Person
from .navigation import leads_somewhere
from .selectors import zones_for

# Core's own menu entries, around those the apps declare.
_NAV_FIRST = (("core:home", _("Home")),)
_NAV_LAST = (
    ("core:organization_list", _("Organizations")),
    ("core:audit_log", _("Audit")),
    ("core:preferences", _("Settings")),
    ("admin:index", _("Administration")),
)


def main_nav(person: Person) -> list[tuple[str, str]]:
    """The main menu: core's entries and those the apps declare on their AppConfig as
    `nav = ((url_name, label), ...)`, each only where the page it names opens for the person
    (the rule that guards the page decides, kizuna.core.navigation)."""
    entries = [
        *_NAV_FIRST,
        *(entry for config in apps.get_app_configs() for entry in getattr(config, "nav", ())),
        *_NAV_LAST,
    ]
    return [
        (reverse(url_name), str(label))
        for url_name, label in entries
        if leads_somewhere(person, url_name)
    ]


def _organizations(person: Person | None) -> list[str]:
    """The short names of the organizations a person works for, shown beside their name."""
    if person is None:
        return []
    names = (m.organization.short_name or m.organization.name for m in person.membership_rows())
    return list(dict.fromkeys(names))


def kizuna(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    person = user if user is not None and user.is_authenticated else None
    return {
        "demo_mode": settings.DEMO_MODE,
        "reader_zones": zones_for(person),
        "reader_organizations": _organizations(person),
        "main_nav": main_nav(person) if person is not None else [],
    }
