"""Kizuna's URLs plus one bare Django view returning a stored JSON body from memory: the
yardstick bench/coordination.py compares the log API's throughput with."""

from __future__ import annotations

import os
from pathlib import Path

from django.http import HttpRequest, HttpResponse
from django.urls import path

from kizuna.urls import urlpatterns as kizuna_urlpatterns

_BODY: list[bytes] = []


def bare(request: HttpRequest) -> HttpResponse:
    """A page-sized JSON body from memory, behind the same middleware as the API and, like
    it, only for a signed-in person (the session and the person are read, as the API reads
    them); no other query, no serialization."""
    if not request.user.is_authenticated:
        return HttpResponse(status=401)
    if not _BODY:
        _BODY.append(Path(os.environ["KIZUNA_BENCH_BARE_FILE"]).read_bytes())
    return HttpResponse(_BODY[0], content_type="application/json")


urlpatterns = [path("bench/bare", bare), *kizuna_urlpatterns]
