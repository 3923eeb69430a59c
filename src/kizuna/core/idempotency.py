"""Idempotency keys for every write of the JSON API, once for all apps.

A client that sends `Idempotency-Key: <key>` with a POST, PUT, PATCH or DELETE under /api/
gets the first answer to that key again on every retry, and the write happens once: the key
is claimed and the answer stored in the same transaction as the write, so after a crash
either both are there or neither is, and a retry either gets the stored answer or does the
write afresh. Keys belong to a person (two people may use the same key); the same key with
another request (method, path, query or body) is refused with 422. A second request with
a key still being answered waits for the first to commit (the key's unique row), then gets
its answer.

Answers that say the request was not taken up (not signed in, forbidden, throttled, a
server error) are not kept: the transaction is rolled back and a retry runs afresh. An
answer marked `Cache-Control: no-store` (a new API token's secret, shown once) is not kept
either, but its key is: a retry is told so (409) and writes nothing.
Answers are kept for `KIZUNA_IDEMPOTENCY_HOURS` (24 by default); the worker's heartbeat
deletes older ones (core.tasks).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse

from kizuna.errors import error_body

from .models import IdempotentAnswer, Person
from .services import token_authenticate

HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"
WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
KEY = re.compile(r"[\x21-\x7e]{1,255}")
NOT_TAKEN_UP = frozenset({401, 403, 429})


def fingerprint(request: HttpRequest) -> str:
    digest = hashlib.sha256()
    for part in (request.method or "", request.path, request.META.get("QUERY_STRING", "")):
        digest.update(part.encode() + b"\0")
    digest.update(request.body)
    return digest.hexdigest()


def _person(request: HttpRequest) -> Person | None:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user
    auth = request.headers.get("Authorization", "")
    return token_authenticate(auth.removeprefix("Bearer ").strip()) if auth else None


def _replay(stored: IdempotentAnswer, request_fingerprint: str) -> HttpResponse:
    if stored.fingerprint != request_fingerprint:
        return JsonResponse(error_body("idempotency_key_reused"), status=422)
    if not stored.content_type:
        return JsonResponse(error_body("idempotent_answer_not_kept"), status=409)
    response = HttpResponse(
        bytes(stored.content), status=stored.status, content_type=stored.content_type or None
    )
    response[REPLAYED] = "true"
    return response


class IdempotencyMiddleware:
    """Synchronous only, below authentication: under ASGI the view runs in this thread, on
    this connection, inside this transaction (see core.middleware)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = request.headers.get(HEADER)
        if key is None or request.method not in WRITES or not request.path.startswith("/api/"):
            return self.get_response(request)
        if not KEY.fullmatch(key):
            return JsonResponse(error_body("idempotency_key_invalid"), status=400)
        person = _person(request)
        if person is None:
            return self.get_response(request)  # refused by the API's authentication
        claimed = fingerprint(request)
        with transaction.atomic():
            try:
                with transaction.atomic():
                    answer = IdempotentAnswer.objects.create(
                        person=person, key=key, fingerprint=claimed
                    )
            except IntegrityError:
                # Answered before, or by a request that has just committed.
                return _replay(IdempotentAnswer.objects.get(person=person, key=key), claimed)
            response = self.get_response(request)
            if (
                response.status_code >= 500
                or response.status_code in NOT_TAKEN_UP
                or response.streaming
            ):
                transaction.set_rollback(True)
                return response
            answer.status = response.status_code
            if "no-store" not in response.get("Cache-Control", ""):
                answer.content_type = response.get("Content-Type", "application/octet-stream")
                answer.content = response.content
            answer.save(update_fields=["status", "content_type", "content"])
        return response
