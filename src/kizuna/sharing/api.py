"""The sharing API, mounted at /api/sharing/ by kizuna.api."""

from ninja import Router

router = Router(tags=["sharing"])
