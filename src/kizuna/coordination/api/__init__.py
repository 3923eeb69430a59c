"""The coordination API, mounted at /api/coordination/ by kizuna.api. Thin: parse, call a
service or selector, shape the answer. One room per subject, each with its schemas, shaping
and routes: `situations` (and designations), `bodies`, `log`, `support_requests`,
`resources` and `working_groups`; `_common` holds what they share."""

from ninja import Router

from . import bodies, log, resources, situations, support_requests, working_groups
from .log import EntryOut, EntryPageOut

router = Router(tags=["coordination"])
# In the order the API document lists them.
for room in (situations, bodies, log, support_requests, resources, working_groups):
    router.add_router("", room.router)

__all__ = ["EntryOut", "EntryPageOut", "router"]
