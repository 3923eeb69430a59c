"""Guessing passwords: per account and per address, the right password refused while locked
(said kindly, with when it opens), open again after the cool-off, each lockout audited."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
import time_machine
from django.test import Client

from kizuna.core.audit import verify_chain
from kizuna.core.models import AuditEvent

from .conftest import PASSWORD, START, sign_in

pytestmark = pytest.mark.django_db

ACCOUNT_LOCKED_JA = "このアカウントは一時的にロックされています"
ADDRESS_LOCKED_EN = "Signing in from your network address is paused for now"


def _wrong(client: Client, username: str, times: int, address: str) -> None:
    for _ in range(times):
        response = sign_in(client, username, "not the password", REMOTE_ADDR=address)
        assert response.status_code in (200, 429)


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(
    client: Client, make_person: Callable
) -> None:
    person = make_person("hanako", role="coordinator")
    with time_machine.travel(START, tick=False):
        _wrong(client, "hanako", 4, "10.0.0.1")
        assert sign_in(client, "hanako", REMOTE_ADDR="10.0.0.1").status_code == 302
        client.logout()
        # A success clears the count: five fresh failures are needed to lock.
        _wrong(client, "hanako", 5, "10.0.0.1")
        refused = sign_in(client, "hanako", REMOTE_ADDR="10.0.0.1")
        # From another address too: the account is what is locked.
        elsewhere = sign_in(Client(), "hanako", REMOTE_ADDR="10.0.0.2")
    for response in (refused, elsewhere):
        assert response.status_code == 429
        page = response.content.decode()
        assert ACCOUNT_LOCKED_JA in page
        # When it opens: fifteen minutes after the last wrong password.
        assert f'datetime="{(START + timedelta(minutes=15)).isoformat()}"' in page
    assert "_auth_user_id" not in client.session
    events = AuditEvent.objects.filter(action="signin.lockout")
    assert events.count() == 1
    assert events.get().object_id == str(person.pk)
    assert events.get().after["locked"] == ["account"]
    assert verify_chain().intact


def test_the_lock_lifts_after_the_cool_off(client: Client, make_person: Callable) -> None:
    make_person("hanako", role="coordinator")
    with time_machine.travel(START, tick=False):
        _wrong(client, "hanako", 5, "10.0.0.1")
    with time_machine.travel(START + timedelta(minutes=14, seconds=59), tick=False):
        assert sign_in(client, "hanako", REMOTE_ADDR="10.0.0.1").status_code == 429
    with time_machine.travel(START + timedelta(minutes=15, seconds=1), tick=False):
        assert sign_in(client, "hanako", REMOTE_ADDR="10.0.0.1").status_code == 302
    assert "_auth_user_id" in client.session


def test_many_wrong_passwords_from_one_address_pause_it_for_every_account(
    client: Client, make_person: Callable
) -> None:
    make_person("taro", role="coordinator")
    with time_machine.travel(START, tick=False):
        # Twenty failures over ten names: no account reaches its own limit of five.
        for n in range(10):
            _wrong(client, f"guess-{n}", 2, "10.0.0.9")
        refused = sign_in(client, "taro", REMOTE_ADDR="10.0.0.9", HTTP_ACCEPT_LANGUAGE="en")
        elsewhere = sign_in(Client(), "taro", REMOTE_ADDR="10.0.0.10")
    assert refused.status_code == 429
    assert ADDRESS_LOCKED_EN in refused.content.decode()
    assert "Even the right password is refused until then" in refused.content.decode()
    assert elsewhere.status_code == 302
    lockout = AuditEvent.objects.get(action="signin.lockout")
    # No such person: the typed name stays out of the chain, the address is kept.
    assert lockout.after == {"username": None, "address": "10.0.0.9", "locked": ["address"]}


def test_an_unknown_name_is_locked_like_a_known_one(client: Client, make_person: Callable) -> None:
    """The lockout must not tell an attacker which names exist."""
    make_person("hanako")
    with time_machine.travel(START, tick=False):
        _wrong(client, "hanako", 5, "10.0.0.1")
        _wrong(client, "nobody", 5, "10.0.0.2")
        known = sign_in(client, "hanako", "x", REMOTE_ADDR="10.0.0.1").content.decode()
        unknown = sign_in(client, "nobody", "x", REMOTE_ADDR="10.0.0.2").content.decode()
    assert ACCOUNT_LOCKED_JA in known
    assert ACCOUNT_LOCKED_JA in unknown


def test_the_password_is_never_kept_with_the_failures(
    client: Client, make_person: Callable
) -> None:
    from axes.models import AccessAttempt

    make_person("hanako")
    sign_in(client, "hanako", "a secret typed wrong")
    assert "a secret typed wrong" not in AccessAttempt.objects.get().post_data
    assert PASSWORD not in AccessAttempt.objects.get().post_data
