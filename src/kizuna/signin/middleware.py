"""The gate after the password: a person whose second factor is due (they have one, or their
role requires one) reaches nothing but proving it, enrolling, the language switch and
signing out. Pages redirect there; the API answers 401 with its own code."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from kizuna.errors import error_body

from . import selectors
from .policy import second_factor_required
from .receivers import SECOND_FACTOR_DUE

# Reachable while the second factor is due.
OPEN_URL_NAMES = ("signin:verify", "signin:enrol", "core:logout", "core:set_language")


def second_factor_due(request: HttpRequest) -> bool:
    user = request.user
    if not user.is_authenticated or user.is_verified():  # type: ignore[attr-defined]
        return False
    return bool(request.session.get(SECOND_FACTOR_DUE)) or second_factor_required(user)


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not second_factor_due(request) or self._open(request.path):
            return self.get_response(request)
        if request.path.startswith("/api/") and request.path != reverse("api:openapi-view"):
            return JsonResponse(error_body("second_factor_required"), status=401)
        target = (
            "signin:verify" if selectors.has_second_factor(request.user) else "signin:enrol"  # type: ignore[arg-type]
        )
        query = urlencode({REDIRECT_FIELD_NAME: request.get_full_path()})
        return redirect(f"{reverse(target)}?{query}")

    @staticmethod
    def _open(path: str) -> bool:
        return path.startswith(settings.STATIC_URL) or path in {
            reverse(name) for name in OPEN_URL_NAMES
        }
