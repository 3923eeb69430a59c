"""Schemathesis over the OpenAPI document: every route, with the cases it generates from
each route's schema (and more that break it), signed in as a person of each nation. No 5xx,
and every 4xx is JSON with a `code` and a `message`."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any
from urllib.parse import urlencode

import pytest
import schemathesis
from django.db import DatabaseError, transaction
from django.test import Client
from hypothesis import given

from kizuna.api import api
from kizuna.core.models import Person

from .conftest import FUZZ

pytestmark = pytest.mark.django_db


def _call(client: Client, case: Any) -> Any:
    """The case through Django's test client (the whole middleware chain), in a savepoint so
    that one refused write leaves the next case a usable transaction."""
    extra: dict[str, Any] = {}
    if case.query:
        extra["QUERY_STRING"] = urlencode(case.query, doseq=True)
    body = b""
    content_type = case.media_type or "application/json"
    if case.body is not None and not isinstance(case.body, schemathesis.core.NotSet):
        body = json.dumps(case.body).encode() if "json" in content_type else case.body
    try:
        with transaction.atomic():
            return client.generic(
                case.method, case.formatted_path, body, content_type=content_type, **extra
            )
    except DatabaseError:  # the savepoint could not be released after an error the view met
        pytest.fail(f"{case.method} {case.formatted_path}: database error escaped")


def _fuzz(client: Client, who: str, operation: Any, failures: list[str], answered: Counter) -> None:
    @FUZZ
    @given(case=operation.as_strategy())
    def route(case: Any) -> None:
        response = _call(client, case)
        answered[response.status_code // 100] += 1
        where = f"{who}: {case.method} {case.formatted_path} {case.query}"
        if response.status_code >= 500:
            failures.append(f"{where} -> {response.status_code}")
        elif response.status_code >= 400:
            try:
                body = response.json()
            except ValueError:
                failures.append(f"{where} -> {response.status_code}, not JSON")
                return
            if not (body.get("code") and body.get("message")):
                failures.append(f"{where} -> {response.status_code} {body}")

    route()


def test_no_route_answers_5xx_or_an_error_without_code_and_message(
    demo_people: list[Person],
) -> None:
    schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api"))
    client = Client(raise_request_exception=False)
    failures: list[str] = []
    answered: Counter[int] = Counter()
    for person in demo_people:
        client.force_login(person)
        for result in schema.get_all_operations():
            _fuzz(client, person.username, result.ok(), failures, answered)
    assert not failures, "\n".join(failures[:30])
    # The fuzzing reached the routes: some cases were served, not all refused at the door.
    assert answered[2] > 0
    assert answered[4] > 0
