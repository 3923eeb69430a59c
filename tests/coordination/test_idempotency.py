"""Idempotency keys on API writes (core.idempotency), shown on coordination's log and core's
tokens: a retry gets the first answer and writes nothing; another request with the same key
is refused; keys are per person."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from kizuna.coordination.models import LogEntry
from kizuna.core import services as core_services
from kizuna.core.models import ApiToken, AuditEvent, IdempotentAnswer, Person

from .conftest import Cast

pytestmark = pytest.mark.django_db

ENTRY = {"kind": "report", "text": "Road to Minamiaso open", "language": "en"}


def bearer(person: Person) -> dict[str, str]:
    secret = core_services.token_issue(person=person, label="t").secret
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def post(client: Client, auth: dict[str, str], key: str | None, body: dict[str, Any], **extra: Any):  # type: ignore[no-untyped-def]
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return client.post(
        "/api/coordination/bodies/t-ccc/entries",
        json.dumps(body),
        content_type="application/json",
        **auth,
        **headers,
        **extra,
    )


def test_a_retry_gets_the_first_answer_and_writes_once(client: Client, cast: Cast) -> None:
    auth = bearer(cast.wa_officer)
    entries, events = LogEntry.objects.count(), AuditEvent.objects.count()
    first = post(client, auth, "order-7f3a", ENTRY)
    assert first.status_code == 201
    assert "Idempotent-Replayed" not in first.headers
    written = (LogEntry.objects.count(), AuditEvent.objects.count())
    assert written[0] == entries + 1
    assert written[1] > events
    for _ in range(3):
        again = post(client, auth, "order-7f3a", ENTRY)
        assert again.status_code == 201
        assert again.headers["Idempotent-Replayed"] == "true"
        assert again.content == first.content
        assert again.json()["id"] == first.json()["id"]
    assert (LogEntry.objects.count(), AuditEvent.objects.count()) == written
    # Without a key, or with a new one, the same body is a new write.
    assert post(client, auth, None, ENTRY).status_code == 201
    assert post(client, auth, "order-7f3b", ENTRY).status_code == 201
    assert LogEntry.objects.count() == entries + 3


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_same_key_with_another_body_is_refused_and_writes_nothing(
    client: Client, cast: Cast, lang: str
) -> None:
    auth = bearer(cast.wa_officer)
    assert post(client, auth, "k-1", ENTRY).status_code == 201
    entries = LogEntry.objects.count()
    refused = post(client, auth, "k-1", {**ENTRY, "text": "Road closed"}, HTTP_ACCEPT_LANGUAGE=lang)
    assert refused.status_code == 422
    body = refused.json()
    assert body["code"] == "idempotency_key_reused"
    assert (
        body["message"]
        == {
            "en": "This Idempotency-Key was already used for a different request. "
            "Send a new key with a new request.",
            "ja": "この Idempotency-Key は別のリクエストで使われています。"
            "新しいリクエストには新しいキーを送ってください。",
        }[lang]
    )
    assert LogEntry.objects.count() == entries
    assert not LogEntry.objects.filter(text="Road closed").exists()


def test_keys_belong_to_a_person(client: Client, cast: Cast) -> None:
    mine = post(client, bearer(cast.wa_officer), "shared-key", ENTRY)
    theirs = post(client, bearer(cast.mef_officer), "shared-key", ENTRY)
    assert mine.status_code == theirs.status_code == 201
    assert "Idempotent-Replayed" not in theirs.headers
    assert theirs.json()["id"] != mine.json()["id"]


def test_a_refused_write_is_answered_the_same_and_a_forbidden_one_is_not_kept(
    client: Client, cast: Cast
) -> None:
    auth = bearer(cast.wa_officer)
    bad = {**ENTRY, "kind": "no-such-kind"}
    first = post(client, auth, "bad-1", bad)
    assert first.status_code == 422
    assert post(client, auth, "bad-1", bad).content == first.content
    # The American coordinator sees the body but may not post to it: nothing kept, so the
    # key stays free for a write that is allowed later.
    refused = bearer(cast.us_coordinator)
    assert post(client, refused, "later", ENTRY).status_code == 403
    assert not IdempotentAnswer.objects.filter(person=cast.us_coordinator).exists()


def test_a_session_client_is_kept_to_its_keys_too(client: Client, cast: Cast) -> None:
    client.force_login(cast.wa_officer)
    entries = LogEntry.objects.count()
    answers = {post(client, {}, "session-1", ENTRY).content for _ in range(2)}
    assert len(answers) == 1
    assert LogEntry.objects.count() == entries + 1


def test_a_malformed_key_is_refused(client: Client, cast: Cast) -> None:
    auth = bearer(cast.wa_officer)
    entries = LogEntry.objects.count()
    for key in ("", "x" * 256, "with space", "改行"):
        response = post(client, auth, key, ENTRY, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 400, key
        assert response.json()["code"] == "idempotency_key_invalid"
    assert LogEntry.objects.count() == entries


def test_a_new_tokens_secret_is_not_kept_and_a_retry_issues_none(
    client: Client, cast: Cast
) -> None:
    auth = bearer(cast.wa_officer)
    tokens = ApiToken.objects.count()
    first = client.post(
        "/api/core/tokens",
        {"label": "script"},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="token-1",
        **auth,
    )
    assert first.status_code == 201
    secret = first.json()["secret"]
    stored = IdempotentAnswer.objects.get(person=cast.wa_officer, key="token-1")
    assert secret.encode() not in bytes(stored.content)
    again = client.post(
        "/api/core/tokens",
        {"label": "script"},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="token-1",
        HTTP_ACCEPT_LANGUAGE="en",
        **auth,
    )
    assert again.status_code == 409
    assert again.json()["code"] == "idempotent_answer_not_kept"
    assert ApiToken.objects.count() == tokens + 1


def test_the_heartbeat_lets_go_of_answers_past_their_hours(
    client: Client, cast: Cast, settings: Any
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from kizuna.core.tasks import heartbeat

    auth = bearer(cast.wa_officer)
    post(client, auth, "old", ENTRY)
    post(client, auth, "new", ENTRY)
    IdempotentAnswer.objects.filter(key="old").update(
        created_at=timezone.now() - timedelta(hours=settings.IDEMPOTENCY_HOURS, minutes=1)
    )
    heartbeat.call()
    assert set(IdempotentAnswer.objects.values_list("key", flat=True)) == {"new"}
    # A retry after that is a new write.
    assert "Idempotent-Replayed" not in post(client, auth, "old", ENTRY).headers
