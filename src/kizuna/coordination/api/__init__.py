"""The coordination API, mounted at /api/coordination/ by kizuna.api. Thin: parse, call a
service or selector, shape the answer. One room per subject, each with its schemas, shaping
and routes, added to the one router of `_common` as the room is imported: `situations` (and
designations), `bodies`, `log`, `support_requests`, `resources` and `working_groups`."""

from . import situations  # noqa: I001 - imported in the order the API document lists them
from . import bodies, log, support_requests, resources, working_groups
from ._common import router
from .log import EntryOut, EntryPageOut

__all__ = [
    "EntryOut",
    "EntryPageOut",
    "bodies",
    "log",
    "resources",
    "router",
    "situations",
    "support_requests",
    "working_groups",
]
