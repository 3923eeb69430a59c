"""Helpers for sign-in tests: every one signs in through the pages, as a person does."""

from __future__ import annotations

import time
from base64 import b32decode
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from kizuna.core.models import Person

PASSWORD = "correct horse battery staple"
# A fixed instant at the start of a 30-second TOTP step, so tests step through codes exactly.
START = datetime(2030, 4, 1, 0, 0, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def quick_passwords(settings: object) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


def sign_in(client: Client, username: str, password: str = PASSWORD, **extra: str) -> object:
    return client.post(reverse("core:login"), {"username": username, "password": password}, **extra)


def code_for(key_hex: str, *, steps_ahead: int = 0) -> str:
    """What an authenticator app holding the key shows now (or `steps_ahead` steps later)."""
    totp = TOTP(bytes.fromhex(key_hex))
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def key_from_page(html: str) -> str:
    """The secret as the enrolment page prints it for typing by hand, back to hex."""
    start = html.index('data-testid="totp-secret">') + len('data-testid="totp-secret">')
    secret = html[start : html.index("</code>", start)].replace(" ", "")
    return b32decode(secret).hex()


def device_key(person: Person) -> str:
    return TOTPDevice.objects.get(user=person, confirmed=True).key


@pytest.fixture
def enrolled(make_person: Callable) -> Callable[..., Person]:
    """A person who has set up an authenticator app through the pages; returns them with the
    recovery codes they were shown (as `person.recovery_codes`)."""

    def make(username: str, **kwargs: object) -> Person:
        person = make_person(username, **kwargs)
        client = Client()
        sign_in(client, username)
        page = client.get(reverse("signin:enrol")).content.decode()
        shown = client.post(reverse("signin:enrol"), {"code": code_for(key_from_page(page))})
        assert shown.status_code == 200
        person.recovery_codes = [  # type: ignore[attr-defined]
            c.split("</code>")[0] for c in shown.content.decode().split("<li><code>")[1:]
        ]
        return person

    return make
