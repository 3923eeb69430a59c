from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .middleware import second_factor_due


def signin(request: HttpRequest) -> dict[str, Any]:
    """While the second factor is due the layout shows no menu: nothing else is reachable."""
    return {"second_factor_pending": hasattr(request, "session") and second_factor_due(request)}
