"""Sign-out everywhere ends every session of the person, and only theirs; a new password
ends the others too."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from kizuna.core.models import AuditEvent
from kizuna.signin.models import SignedInSession

from .conftest import PASSWORD, sign_in

pytestmark = pytest.mark.django_db


def test_sign_out_everywhere_ends_every_session_of_the_person(make_person: Callable) -> None:
    person = make_person("hanako", role="coordinator")
    make_person("taro", role="coordinator")
    laptop, phone, colleague = Client(), Client(), Client()
    sign_in(laptop, "hanako", HTTP_USER_AGENT="Laptop browser", REMOTE_ADDR="10.1.0.1")
    sign_in(phone, "hanako", HTTP_USER_AGENT="Phone browser", REMOTE_ADDR="10.1.0.2")
    sign_in(colleague, "taro")
    settings_page = laptop.get("/settings/").content.decode()
    assert "Phone browser" in settings_page
    assert "10.1.0.2" in settings_page

    response = laptop.post(reverse("signin:end_everywhere"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("core:login"))
    assert "すべての場所でサインアウトしました" in response.content.decode()
    for client in (laptop, phone):
        assert client.get("/")["Location"].startswith(reverse("core:login"))
    assert colleague.get("/").status_code == 200
    assert not SignedInSession.objects.filter(person=person).exists()
    event = AuditEvent.objects.get(action="signin.sessions_end_everywhere")
    assert event.actor == person
    assert event.after == {"sessions": 2}


def test_sign_out_everywhere_needs_a_post(client: Client, make_person: Callable) -> None:
    make_person("hanako", role="coordinator")
    sign_in(client, "hanako")
    assert client.get(reverse("signin:end_everywhere")).status_code == 405
    assert client.get("/").status_code == 200


def test_changing_the_password_keeps_this_session_and_ends_the_others(
    make_person: Callable,
) -> None:
    make_person("hanako", role="coordinator")
    here, there = Client(), Client()
    sign_in(here, "hanako")
    sign_in(there, "hanako")
    new = "violet lantern over quiet harbour"
    changed = here.post(
        reverse("signin:password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert changed.status_code == 302
    assert here.get("/").status_code == 200
    assert there.get("/")["Location"].startswith(reverse("core:login"))
    assert AuditEvent.objects.filter(action="person.password_change").exists()
    # The session that stayed is still listed, under its new key.
    assert SignedInSession.objects.get().session_key == here.session.session_key
    here.post(reverse("core:logout"))
    assert sign_in(Client(), "hanako", new).status_code == 302


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short-one", "このパスワードは短すぎます"),
        ("password1234", "このパスワードは一般的すぎます"),
        ("P@ssw0rd12345", "推測されやすいパスワードです"),
        ("qwertyuiop123", "推測されやすいパスワードです"),
        ("hanako-hanako-1", "推測されやすいパスワードです"),
    ],
)
def test_a_guessable_password_is_refused_and_nothing_changes(
    client: Client, make_person: Callable, password: str, message: str
) -> None:
    make_person("hanako", role="coordinator")
    sign_in(client, "hanako")
    refused = client.post(
        reverse("signin:password_change"),
        {"old_password": PASSWORD, "new_password1": password, "new_password2": password},
    )
    assert refused.status_code == 400
    assert message in refused.content.decode()
    client.post(reverse("core:logout"))
    assert sign_in(Client(), "hanako").status_code == 302
    assert not AuditEvent.objects.filter(action="person.password_change").exists()
