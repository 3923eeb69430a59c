"""The JSON API under /api/: one NinjaAPI, each app's router mounted here, errors as JSON."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.views import openapi_view
from ninja.security import APIKeyHeader, SessionAuth

from .acsa.api import router as acsa_router
from .coordination.api import router as coordination_router
from .core.api import router as core_router
from .core.services import token_authenticate
from .errors import error_body
from .exercises.api import router as exercises_router
from .sharing.api import router as sharing_router


class BearerToken(APIKeyHeader):
    """`Authorization: Bearer kz_…`, a person's API token."""

    param_name = "Authorization"

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if not key or not key.startswith("Bearer "):
            return None
        person = token_authenticate(key.removeprefix("Bearer ").strip())
        if person is not None:
            request.user = person
        return person


def signed_in_docs(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """/api/docs and /api/openapi.json for signed-in people (or an API token) only: the page
    sends anyone else to sign in, the document answers 401 like every other route."""
    is_page = getattr(view, "func", None) is openapi_view

    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        token = request.headers.get("Authorization")
        if request.user.is_authenticated or BearerToken().authenticate(request, token):
            return view(request, *args, **kwargs)
        if is_page:
            return redirect_to_login(request.get_full_path())
        return JsonResponse(error_body("not_authenticated"), status=401)

    return guarded


api = NinjaAPI(
    title="Kizuna API",
    version="1",
    description="The coordination system of the Japan–US alliance.",
    auth=[BearerToken(), SessionAuth()],
    urls_namespace="api",
    # Swagger UI from ninja's own static files; no validator badge fetched from outside.
    docs=Swagger(settings={"validatorUrl": None}),
    docs_decorator=signed_in_docs,
)
api.add_router("/core/", core_router)
api.add_router("/sharing/", sharing_router)
api.add_router("/acsa/", acsa_router)
api.add_router("/coordination/", coordination_router)
api.add_router("/exercises/", exercises_router)


def _json(request: HttpRequest, status: int, body: dict[str, Any]) -> HttpResponse:
    return api.create_response(request, body, status=status)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _json(request, 401, error_body("not_authenticated"))


@api.exception_handler(PermissionDenied)
def on_forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _json(request, 403, error_body("forbidden"))


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _json(request, 404, error_body("not_found"))


def _field_path(location: list[object]) -> str:
    """("body", "payload", "lines", 0, "quantity") -> "lines.0.quantity"."""
    parts = [str(p) for p in location if p not in ("body", "query", "path", "payload")]
    return ".".join(parts)


@api.exception_handler(NinjaValidationError)
def on_invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    detail = [
        {"field": _field_path(e.get("loc", [])), "problem": e.get("msg", "")} for e in exc.errors
    ]
    # The top-level message names the first field at fault (pydantic's words stay in detail).
    named = next((d["field"] for d in detail if d["field"]), "")
    message = _("%(field)s is missing or malformed.") % {"field": named} if named else None
    return _json(request, 422, error_body("invalid_input", detail, message))


@api.exception_handler(DjangoValidationError)
def on_rule_broken(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    if hasattr(exc, "error_dict"):
        detail = [
            {"field": field, "problem": " ".join(messages)}
            for field, messages in exc.message_dict.items()
        ]
    else:
        detail = [{"field": "", "problem": message} for message in exc.messages]
    # The top-level message is the first problem itself ("The event time is in the future…").
    message = detail[0]["problem"] if detail and detail[0]["problem"] else None
    return _json(request, 422, error_body("invalid_input", detail, message))


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400 and "parse" in str(exc).lower():
        return _json(request, 400, error_body("malformed_json"))
    code = {401: "not_authenticated", 403: "forbidden", 404: "not_found", 409: "conflict"}
    return _json(request, exc.status_code, error_body(code.get(exc.status_code, "invalid_input")))


def unknown_route(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Anything under /api/ that no router answers: JSON, never the HTML page."""
    return _json(request, 404, error_body("not_found", message=_("No such API route.")))
