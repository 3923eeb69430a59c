"""The coordination API, mounted at /api/coordination/ by kizuna.api."""

from ninja import Router

router = Router(tags=["coordination"])
