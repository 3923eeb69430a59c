"""What the rooms of the coordination API share: their router, which keeps each operation's
id, the note a step carries (`NoteIn`), and the lookups of an organization and of a
situation the reader sees."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from kizuna.core import bounds
from kizuna.core.auth import person_of
from kizuna.core.models import Organization
from kizuna.core.selectors import organization_get

from .. import selectors
from ..models import Situation


class RoomRouter(Router):
    """The routes of one room. Each operation keeps the id it had while the API was one
    module (`kizuna_coordination_api_<view>`): clients generated from the OpenAPI document
    call it by that id."""

    def add_api_operation(
        self,
        path: str,
        methods: list[str],
        view_func: Callable[..., Any],
        *,
        operation_id: str | None = None,
        **options: Any,
    ) -> None:
        super().add_api_operation(
            path,
            methods,
            view_func,
            operation_id=operation_id or f"kizuna_coordination_api_{view_func.__name__}",
            **options,
        )


# The one router every room adds its routes to, in the order `api/__init__` imports the rooms
# (the order URLs are matched in). One rather than one per room: ninja mounts a nested router
# under a path without its leading slash, which changes the OpenAPI document's paths.
router = RoomRouter(tags=["coordination"])


class NoteIn(Schema):
    note: str = Field(max_length=bounds.REASON_CHARS)


def _organization(code: str) -> Organization:
    return organization_get(code=code)


def _visible_situation(request: HttpRequest, situation_id: str) -> Situation:
    return selectors.situation_get(person=person_of(request), public_id=situation_id)
