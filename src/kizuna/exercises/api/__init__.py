"""The exercises API, mounted at /api/exercises/ by kizuna.api, one room per subject as the
services are: `record` (exercises), `review` (the after-action review) and `scenario`
(injects and the clock), each adding its routes to the one router (`_shared`). Thin: parse,
call a service or selector, shape the answer. Every answer about an exercise, its review or
its scenario says it is exercise traffic."""

from __future__ import annotations

from . import record, review, scenario
from ._shared import router

__all__ = ["record", "review", "router", "scenario"]

# The rooms were one module `kizuna.exercises.api` once: each operation keeps the id it was
# published under, so clients generated from the OpenAPI document still match.
for path_view in router.path_operations.values():
    for operation in path_view.operations:
        operation.operation_id = f"kizuna_exercises_api_{operation.view_func.__name__}"
