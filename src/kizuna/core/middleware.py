"""Each signed-in person reads pages in their own language, whatever the browser says.

API clients are machines as often as people: there an explicit Accept-Language wins.

It sits last in settings.MIDDLEWARE on purpose and stays synchronous only. Under ASGI,
Django runs the innermost handler asynchronously; a synchronous-only middleware right above
it makes every middleware above run synchronously too, in the request's one thread. Placed
higher, it split the chain: the middlewares below it ran in async mode, where Django
hands each of their process_request and process_response to the thread and back, three
more round trips through the event loop per request (visible in the log API's p95 under
load, docs/performance.md).
"""

from __future__ import annotations

import json
from collections.abc import Callable

from django.conf import settings
from django.db import DataError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from ..errors import error_body
from . import bounds


class PersonPreferencesMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        asked = request.path.startswith("/api/") and "HTTP_ACCEPT_LANGUAGE" in request.META
        if user is not None and user.is_authenticated and not asked:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", translation.get_language() or "ja")
        return response


class InputGuardMiddleware:
    """Refuses, before anything reads it, a body larger than Django will take (413, with the
    limit named: JSON under /api/, the error page elsewhere), and under /api/ any text with a
    control character (422 naming the field). Forms refuse control characters field by field
    (`core.bounds.refuse_control_characters` on every CharField)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        is_api = request.path.startswith("/api/")
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and length > limit:
            return self._too_large(is_api, limit)
        if is_api:
            refusal = self._control_characters(request)
            if refusal is not None:
                return refusal
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """A number too large for the database (an id of 30 digits in a path or a query)
        names no record: not found, as any other missing one."""
        if _out_of_range(exception):
            if request.path.startswith("/api/"):
                return JsonResponse(error_body("not_found"), status=404)
            html = render_to_string("errors/404.html", {"status": 404})
            return HttpResponse(html, status=404)
        return None

    def _too_large(self, is_api: bool, limit: int) -> HttpResponse:
        megabytes = f"{limit / (1024 * 1024):.1f}".removesuffix(".0")
        if is_api:
            message = _("The request is too large: at most %(limit)s MB.") % {"limit": megabytes}
            return JsonResponse(
                error_body("too_large", {"limit_bytes": limit}, message), status=413
            )
        html = render_to_string("errors/413.html", {"status": 413, "limit": megabytes})
        return HttpResponse(html, status=413)

    def _control_characters(self, request: HttpRequest) -> HttpResponse | None:
        found = bounds.control_character_in(dict(request.GET.lists()))
        if found is None and request.content_type == "application/json" and request.body:
            try:
                found = bounds.control_character_in(json.loads(request.body))
            except ValueError:
                return None  # the API answers malformed JSON itself
        if found is None:
            return None
        field, character = found
        # A query parameter comes as a list of its values: "q.0" is "q".
        field = field.removesuffix(".0") if field.count(".") == 1 else field
        message = bounds.control_character_message(character)
        return JsonResponse(
            error_body("control_character", [{"field": field, "problem": message}], message),
            status=422,
        )


def _out_of_range(exception: Exception) -> bool:
    if isinstance(exception, OverflowError):  # SQLite: "Python int too large to convert"
        return "too large to convert" in str(exception)
    cause = exception.__cause__
    return isinstance(exception, DataError) and type(cause).__name__ == "NumericValueOutOfRange"
