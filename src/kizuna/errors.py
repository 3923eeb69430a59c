"""Errors as people and machine clients see them: a stable code and a message in their language."""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# The stable codes an API client may branch on, with the message shown to people.
MESSAGES: dict[str, Promise] = {
    "not_authenticated": _("Sign in or send a valid API token."),
    "second_factor_required": _(
        "Finish signing in with your second factor, or send a valid API token."
    ),
    "forbidden": _("You do not have permission to do this."),
    "not_found": _("Not found."),
    "invalid_input": _("Some of the input is missing or malformed."),
    "malformed_json": _("The request body is not valid JSON."),
    "too_large": _("The request is too large."),
    "control_character": _("The input holds a control character that cannot be shown."),
    "conflict": _("Someone else changed this first. Reload and try again."),
    "idempotency_key_invalid": _(
        "The Idempotency-Key header must be 1 to 255 visible ASCII characters."
    ),
    "idempotency_key_reused": _(
        "This Idempotency-Key was already used for a different request. "
        "Send a new key with a new request."
    ),
    "idempotent_answer_not_kept": _(
        "This request was done with this Idempotency-Key, but its answer held a secret "
        "shown only once and was not kept."
    ),
    "server_error": _("Something went wrong on our side. The error has been logged."),
}


def error_body(code: str, detail: Any = None, message: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"code": code, "message": message or str(MESSAGES[code])}
    if detail is not None:
        body["detail"] = detail
    return body
