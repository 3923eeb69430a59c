"""The acsa API, mounted at /api/acsa/ by kizuna.api."""

from ninja import Router

router = Router(tags=["acsa"])
