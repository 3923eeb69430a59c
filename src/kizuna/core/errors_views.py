"""Bilingual error pages that never show a traceback. API routes answer JSON instead."""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string

from ..errors import error_body

logger = logging.getLogger(__name__)


def _page(request: HttpRequest, status: int, code: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse(error_body(code), status=status)
    template = f"errors/{status}.html"
    try:
        # Inside the layout, so the header and the menu stay for the way back.
        html = render_to_string(
            template, {"status": status, "layout": "errors/_in_layout.html"}, request=request
        )
    except Exception:
        # The layout reads the person (and the database): when that is what failed, the page
        # stands alone rather than fail again.
        logger.exception("error page rendered without the layout")
        html = render_to_string(template, {"status": status})
    return HttpResponse(html, status=status)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, 403, "forbidden")


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, 404, "not_found")


def server_error(request: HttpRequest) -> HttpResponse:
    return _page(request, 500, "server_error")
