"""Keyset paging for long lists, newest first: a page is the rows below a cursor (the last
row's id), so a page deep in the list costs what the first does, and rows added meanwhile
neither repeat nor vanish between pages. Filters stay in the URL beside the cursor.

The id is a global sequence (core.public_ids), so the cursor in the URL is it sealed for the
reader and the list (core.cursors): opaque, good only for them; any other is the first page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db.models import Model, QuerySet
from django.http import QueryDict

from . import cursors

M = TypeVar("M", bound=Model)

PAGE_SIZE = 50


@dataclass(frozen=True)
class KeysetPage(Generic[M]):
    rows: list[M]
    # The sealed cursor of the next (older) page, None on the last one.
    after: str | None
    # Whether this is a later page (so a link back to the first one is offered).
    later: bool


CURSOR = "core.paging"


def cursor(query: QueryDict, *, reader: int, scope: str) -> int | None:
    """The id the `after` cursor of a list's URL seals; one that does not unseal for this
    reader and list is the first page."""
    value = query.get("after", "")
    if not value:
        return None
    try:
        return cursors.unseal(CURSOR, value, reader=reader, scope=scope) or None
    except cursors.InvalidCursor:
        return None


def keyset_page(
    queryset: QuerySet[M], query: QueryDict, *, reader: int, size: int = PAGE_SIZE
) -> KeysetPage[M]:
    """The page of `queryset` (newest first by id) that the URL's cursor names, for `reader`
    (a person's key: the cursors are sealed for them)."""
    scope = queryset.model._meta.label_lower
    after = cursor(query, reader=reader, scope=scope)
    if after is not None:
        queryset = queryset.filter(pk__lt=after)
    rows = list(queryset.order_by("-pk")[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    return KeysetPage(
        rows=rows,
        after=seal(reader=reader, scope=scope, position=rows[-1].pk) if more and rows else None,
        later=after is not None,
    )


def seal(*, reader: int, scope: str, position: int) -> str:
    """The `after` cursor of a list's next page: `position` (the last row's key) sealed for
    this reader and list. For lists keyed on something else than the id (a log's sequence)."""
    return cursors.seal(CURSOR, reader=reader, scope=scope, position=position)


def with_query(query: QueryDict, **changes: Any) -> str:
    """The list's URL query with some parameters changed (None drops one): the filters kept."""
    changed = query.copy()
    for key, value in changes.items():
        changed.pop(key, None)
        if value not in (None, ""):
            changed[key] = str(value)
    encoded = changed.urlencode()
    return f"?{encoded}" if encoded else "?"
