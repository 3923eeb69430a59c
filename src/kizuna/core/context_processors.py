from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from . import policy
from .selectors import zones_for


def kizuna(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    person = user if user is not None and user.is_authenticated else None
    return {
        "demo_mode": settings.DEMO_MODE,
        "reader_zones": zones_for(person),
        "may_view_audit": person is not None and policy.may_view_audit(person),
        "may_administer": person is not None and policy.is_administrator(person),
    }
