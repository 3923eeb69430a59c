"""What every app's test of opaque identifiers checks (core.public_ids): that what the
server hands out names records by public id, never by their sequential key."""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator
from typing import Any

from kizuna.core.public_ids import is_public_id

_LINK = re.compile(r'(?:href|action|src|data-[a-z-]+)="(/[^"?#]*)')


def id_values(data: Any, key: str = "") -> Iterator[tuple[str, Any]]:
    """Every value in a JSON document under a key that names a record: `id`, `*_id`, or one
    of `names` (a reference such as `item`, `order`)."""
    if isinstance(data, dict):
        for k, v in data.items():
            yield from id_values(v, k)
    elif isinstance(data, list):
        for v in data:
            yield from id_values(v, key)
    elif key == "id" or key.endswith("_id") or key in REFERENCES:
        yield key, data


# Keys of the API and exports that hold a reference to another record.
REFERENCES = {"item", "imported", "corrects", "request", "situation", "order", "change"}


def numeric_path_segments(html: str) -> list[str]:
    """Links of a page with a segment that is a number (a key, say `/orders/17/`)."""
    return [
        link
        for link in _LINK.findall(html)
        if any(re.fullmatch(r"\d+", segment.split(".")[0]) for segment in link.split("/"))
    ]


def assert_no_keys_in_json(data: Any) -> list[str]:
    """Fails on any record id in `data` that is not a public id, and on any reference that
    is a number (a reference may also be a code, as an order's situation type); returns the
    public ids seen."""
    seen = []
    for key, value in id_values(data):
        if value is None:
            continue
        if key == "id" or key.endswith("_id"):
            assert is_public_id(value), f"{key}={value!r} is not a public id"
        assert not isinstance(value, int), f"{key}={value!r}"
        assert not str(value).isdigit(), f"{key}={value!r}"
        if is_public_id(value):
            seen.append(value)
    return seen


def not_consecutive(first: str, second: str) -> bool:
    """Two public ids read as numbers (all a reader can do with them) are not neighbours."""

    def number(public_id: str) -> int:
        padded = public_id.upper() + "=" * (-len(public_id) % 8)
        return int.from_bytes(base64.b32decode(padded), "big")

    return abs(number(first) - number(second)) > 1
