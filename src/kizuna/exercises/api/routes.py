"""The exercises API's one router. Each room (record, review, scenario) adds its routes to it
when `api/__init__` imports the room, in that order, which is the order URLs are matched in.
One router rather than one per room: ninja mounts a nested router under a path without its
leading slash, so the OpenAPI document would change shape (tests/fuzz builds it under /api)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["exercises"])
