from __future__ import annotations

from typing import Any

from django.apps import apps
from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from . import policy
from .models import Person
from .selectors import zones_for


def _app_nav() -> list[tuple[str, str]]:
    """Menu entries the apps declare on their AppConfig as `nav = ((url_name, label), ...)`."""
    return [
        (reverse(url_name), str(label))
        for config in apps.get_app_configs()
        for url_name, label in getattr(config, "nav", ())
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
        "app_nav": _app_nav() if person is not None else [],
        "may_view_audit": person is not None and policy.may_view_audit(person),
        "may_administer": person is not None and policy.is_administrator(person),
    }
