"""The shared mechanism of opaque identifiers (core.public_ids) and sealed cursors
(core.cursors)."""

from __future__ import annotations

from itertools import pairwise

import pytest
from django.db import connection
from django.http import Http404
from django.test import Client
from django.urls import NoReverseMatch, reverse

from kizuna.core import cursors
from kizuna.core.models import ApiToken, Person
from kizuna.core.public_ids import get_public_or_404, is_public_id, new_public_id
from kizuna.core.services import token_issue
from tests.public_ids import assert_no_keys_in_json, not_consecutive

pytestmark = pytest.mark.django_db


def test_public_ids_are_random_128_bit_base32() -> None:
    drawn = [new_public_id() for _ in range(200)]
    assert len(set(drawn)) == 200
    assert all(is_public_id(d) and len(d) == 26 for d in drawn)
    assert all(not_consecutive(a, b) for a, b in pairwise(drawn))
    assert not is_public_id("12")
    assert not is_public_id(drawn[0].upper())


def test_every_row_has_its_own_public_id_and_the_database_holds_them_unique(
    make_person: object,
) -> None:
    person = make_person("hanako", role="coordinator")  # type: ignore[operator]
    first, second = (token_issue(person=person, label=n).token for n in ("a", "b"))
    assert first.public_id != second.public_id
    with connection.cursor() as cursor, pytest.raises(Exception, match=r"(?i)unique"):
        cursor.execute(
            "UPDATE core_apitoken SET public_id = %s WHERE id = %s",
            [first.public_id, second.pk],
        )


def test_the_lookup_answers_malformed_missing_and_hidden_alike(make_person: object) -> None:
    owner = make_person("owner", role="coordinator")  # type: ignore[operator]
    token = token_issue(person=owner, label="x").token
    mine = ApiToken.objects.filter(person=owner)
    assert get_public_or_404(mine, token.public_id) == token
    for asked in (str(token.pk), new_public_id(), "../x", None):
        with pytest.raises(Http404):
            get_public_or_404(mine, asked)
    with pytest.raises(Http404):  # hidden: left out of the reader's queryset
        get_public_or_404(ApiToken.objects.exclude(person=owner), token.public_id)


def test_urls_take_public_ids_and_refuse_keys(make_person: object) -> None:
    person: Person = make_person("hanako", role="coordinator")  # type: ignore[operator]
    token = token_issue(person=person, label="x").token
    url = reverse("core:token_revoke", args=[token])  # the record itself reverses
    assert url == f"/settings/tokens/{token.public_id}/revoke/"
    with pytest.raises(NoReverseMatch):
        reverse("core:token_revoke", args=[token.pk])
    client = Client()
    client.force_login(person)
    by_key = client.post(f"/settings/tokens/{token.pk}/revoke/")
    by_unknown = client.post(f"/settings/tokens/{new_public_id()}/revoke/")
    assert by_key.status_code == by_unknown.status_code == 404
    assert by_key.content == by_unknown.content
    listed = client.get("/api/core/tokens").json()
    assert assert_no_keys_in_json(listed) == [token.public_id]


def test_a_cursor_opens_only_for_its_reader_and_scope() -> None:
    token = cursors.seal("test", reader=7, scope="s", position=41)
    assert cursors.unseal("test", token, reader=7, scope="s") == 41
    assert "41" not in token
    for reader, scope, purpose in ((8, "s", "test"), (7, "t", "test"), (7, "s", "other")):
        with pytest.raises(cursors.InvalidCursor):
            cursors.unseal(purpose, token, reader=reader, scope=scope)
    for forged in (
        "",
        "41",
        token[:-1],
        token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1],
    ):
        with pytest.raises(cursors.InvalidCursor):
            cursors.unseal("test", forged, reader=7, scope="s")
