"""Bilingual error pages that never show a traceback. API routes answer JSON instead."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string

from ..errors import error_body


def _page(request: HttpRequest, status: int, code: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse(error_body(code), status=status)
    # Rendered without a request context: the 500 page must not depend on what just failed.
    html = render_to_string(f"errors/{status}.html", {"status": status})
    return HttpResponse(html, status=status)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, 403, "forbidden")


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, 404, "not_found")


def server_error(request: HttpRequest) -> HttpResponse:
    return _page(request, 500, "server_error")
