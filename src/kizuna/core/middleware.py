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

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import translation


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
