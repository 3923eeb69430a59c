"""The second factor: enrolment from the settings page, sign-in with the authenticator, wrong
and replayed codes, recovery codes used once or expired, who must enrol before anything else."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
import time_machine
from django.test import Client, override_settings
from django.urls import reverse

from kizuna.core.audit import verify_chain
from kizuna.core.models import AuditEvent, Person, Role
from kizuna.signin.models import RecoveryCode
from kizuna.signin.policy import SECOND_FACTOR_ROLES

from .conftest import START, code_for, device_key, key_from_page, sign_in

pytestmark = pytest.mark.django_db

OPTIONAL_ROLES = sorted(set(Role.values) - SECOND_FACTOR_ROLES)


def test_the_roles_that_must_use_a_second_factor() -> None:
    assert {
        Role.ADMINISTRATOR,
        Role.AUDITOR,
        Role.INFORMATION_MANAGER,
        Role.ORDERING_OFFICIAL,
        Role.APPROVING_OFFICIAL,
        Role.LOGISTICS_OFFICER,
    } == SECOND_FACTOR_ROLES


@pytest.mark.parametrize("role", sorted(SECOND_FACTOR_ROLES))
def test_a_required_role_reaches_nothing_before_enrolling(
    client: Client, make_person: Callable, role: str
) -> None:
    make_person("officer", role=role, org="joint-staff")
    assert sign_in(client, "officer").status_code == 302
    for path in ("/", "/settings/", "/acsa/", "/coordination/", "/sharing/", "/admin/", "/audit/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(reverse("signin:enrol")), path
    api = client.get("/api/core/me", HTTP_ACCEPT_LANGUAGE="en")
    assert api.status_code == 401
    assert api.json()["code"] == "second_factor_required"
    assert client.get("/api/docs")["Location"].startswith(reverse("signin:enrol"))
    # The enrolment page shows no menu: there is nowhere else to go.
    page = client.get(reverse("signin:enrol")).content.decode()
    assert 'aria-label="メイン"' not in page
    assert 'data-testid="enrol-required"' in page


@pytest.mark.parametrize("role", OPTIONAL_ROLES)
def test_an_optional_role_may_skip_the_second_factor(
    client: Client, make_person: Callable, role: str
) -> None:
    make_person("someone", role=role, org="joint-staff")
    sign_in(client, "someone")
    assert client.get("/").status_code == 200
    settings_page = client.get("/settings/").content.decode()
    assert reverse("signin:enrol") in settings_page


def test_enrolment_then_sign_in_with_the_authenticator(
    client: Client, make_person: Callable
) -> None:
    person = make_person("jp-info", role=Role.INFORMATION_MANAGER, org="joint-staff")
    with time_machine.travel(START, tick=False):
        sign_in(client, "jp-info")
        enrol = client.get(reverse("signin:enrol") + "?next=/sharing/")
        page = enrol.content.decode()
        assert "<svg" in page  # the QR code, drawn on the server
        key = key_from_page(page)
        wrong = client.post(reverse("signin:enrol"), {"code": "000000", "next": "/sharing/"})
        assert wrong.status_code == 400
        assert "コードが一致しません" in wrong.content.decode()
        assert client.get("/").status_code == 302  # still nothing else
        shown = client.post(reverse("signin:enrol"), {"code": code_for(key), "next": "/sharing/"})
        assert shown.status_code == 200
        codes = shown.content.decode().count("<li><code>")
        assert codes == 10
        assert client.get("/sharing/").status_code == 200
        assert device_key(person) == key
        client.post(reverse("core:logout"))

        # Next sign-in: the password, then the code.
        sign_in(client, "jp-info")
        assert client.get("/")["Location"].startswith(reverse("signin:verify"))
        # The code used to enrol is spent.
        replayed = client.post(reverse("signin:verify"), {"code": code_for(key)})
        assert replayed.status_code == 400
        assert "このコードは使用済みです" in replayed.content.decode()
    with time_machine.travel(START + timedelta(seconds=30), tick=False):
        ok = client.post(reverse("signin:verify"), {"code": code_for(key), "next": "/acsa/"})
        assert ok.status_code == 302
        assert ok["Location"] == "/acsa/"
        assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(action="signin.second_factor_enrol", actor=person).exists()
    assert verify_chain().intact


def test_a_wrong_code_is_refused_and_tries_slow_down(
    client: Client, enrolled: Callable, settings: object
) -> None:
    person = enrolled("jp-info", role=Role.INFORMATION_MANAGER)
    key = device_key(person)
    with time_machine.travel(START + timedelta(minutes=5), tick=False):
        sign_in(client, "jp-info")
        wrong = client.post(reverse("signin:verify"), {"code": "123456"})
        assert wrong.status_code == 400
        assert "コードが正しくありません。" in wrong.content.decode()
        # Straight after a wrong code even the right one waits a second.
        paused = client.post(reverse("signin:verify"), {"code": code_for(key)})
        assert paused.status_code == 400
        assert "間違ったコードが続きました" in paused.content.decode()
        garbage = client.post(reverse("signin:verify"), {"code": "abc"})
        assert "6桁のコード" in garbage.content.decode()
        assert client.get("/").status_code == 302
    with time_machine.travel(START + timedelta(minutes=5, seconds=2), tick=False):
        assert client.post(reverse("signin:verify"), {"code": code_for(key)}).status_code == 302
        assert client.get("/").status_code == 200


def test_a_code_replayed_in_another_session_is_refused(client: Client, enrolled: Callable) -> None:
    person = enrolled("jp-info", role=Role.INFORMATION_MANAGER)
    key = device_key(person)
    with time_machine.travel(START + timedelta(minutes=5), tick=False):
        sign_in(client, "jp-info")
        code = code_for(key)
        assert client.post(reverse("signin:verify"), {"code": code}).status_code == 302
        eavesdropper = Client()
        sign_in(eavesdropper, "jp-info")
        replay = eavesdropper.post(reverse("signin:verify"), {"code": code})
        assert replay.status_code == 400
        assert eavesdropper.get("/").status_code == 302


def test_a_recovery_code_signs_in_once(client: Client, enrolled: Callable) -> None:
    person = enrolled("jp-info", role=Role.INFORMATION_MANAGER)
    code = person.recovery_codes[0]
    sign_in(client, "jp-info")
    # Typed loosely: upper case, spaces instead of hyphens.
    used = client.post(reverse("signin:verify"), {"code": code.upper().replace("-", " ")})
    assert used.status_code == 302
    home = client.get("/")
    assert home.status_code == 200
    assert "残りは9個です" in home.content.decode()
    client.post(reverse("core:logout"))
    sign_in(client, "jp-info")
    again = client.post(reverse("signin:verify"), {"code": code})
    assert again.status_code == 400
    assert "この回復コードは使用済みです" in again.content.decode()
    assert client.get("/").status_code == 302
    event = AuditEvent.objects.get(action="signin.recovery_code_use")
    assert event.after == {"remaining": 9}
    # Only digests are kept.
    assert not RecoveryCode.objects.filter(digest__icontains=code.replace("-", "")).exists()


def test_an_expired_recovery_code_is_refused(client: Client, enrolled: Callable) -> None:
    person = enrolled("jp-info", role=Role.INFORMATION_MANAGER)
    with time_machine.travel(START + timedelta(days=366)):
        sign_in(client, "jp-info")
        expired = client.post(reverse("signin:verify"), {"code": person.recovery_codes[1]})
    assert expired.status_code == 400
    assert "回復コードの有効期限が切れています" in expired.content.decode()


def test_new_recovery_codes_replace_the_old_ones(client: Client, enrolled: Callable) -> None:
    person = enrolled("jp-info", role=Role.INFORMATION_MANAGER)
    client.force_login(person)
    fresh = client.post(reverse("signin:recovery_codes")).content.decode()
    assert fresh.count("<li><code>") == 10
    client.post(reverse("core:logout"))
    sign_in(client, "jp-info")
    stale = client.post(reverse("signin:verify"), {"code": person.recovery_codes[0]})
    assert stale.status_code == 400
    assert AuditEvent.objects.filter(action="signin.recovery_codes_issue").count() == 1


def test_the_password_alone_cannot_replace_the_second_factor(
    client: Client, enrolled: Callable
) -> None:
    person = enrolled("jp-info", role=Role.INFORMATION_MANAGER)
    key = device_key(person)
    sign_in(client, "jp-info")
    attempt = client.get(reverse("signin:enrol"))
    assert attempt["Location"].startswith(reverse("signin:verify"))
    assert client.post(reverse("signin:enrol"), {"code": "123456"}).status_code == 302
    assert client.post(reverse("signin:recovery_codes")).status_code == 302
    assert device_key(person) == key


def test_an_optional_person_who_enrolled_is_asked_and_may_turn_it_off(
    client: Client, enrolled: Callable
) -> None:
    person = enrolled("hanako", role=Role.COORDINATOR)
    sign_in(client, "hanako")
    assert client.get("/")["Location"].startswith(reverse("signin:verify"))
    client.post(reverse("signin:verify"), {"code": person.recovery_codes[0]})
    client.post(reverse("signin:turn_off"))
    assert AuditEvent.objects.filter(action="signin.second_factor_turn_off").exists()
    client.post(reverse("core:logout"))
    sign_in(client, "hanako")
    assert client.get("/").status_code == 200


def test_a_required_person_may_not_turn_it_off(client: Client, enrolled: Callable) -> None:
    person = enrolled("admin", role=Role.ADMINISTRATOR)
    client.force_login(person)
    response = client.post(reverse("signin:turn_off"))
    # Said above the section's buttons on the settings page, not flashed after a redirect.
    assert response.status_code == 422
    refused = response.content.decode().split('data-testid="second-factor-refused"', 1)[1]
    assert "あなたの役割では二要素認証が必要です" in refused.split("</ul>", 1)[0]
    assert device_key(person)


def test_recovery_codes_without_an_authenticator_are_refused_on_the_settings_page(
    client: Client, make_person: Callable
) -> None:
    client.force_login(make_person("hanako", role=Role.COORDINATOR))
    response = client.post(reverse("signin:recovery_codes"))
    assert response.status_code == 422
    refused = response.content.decode().split('data-testid="second-factor-refused"', 1)[1]
    assert "先に認証アプリを設定してください。" in refused.split("</ul>", 1)[0]
    assert not RecoveryCode.objects.exists()


@pytest.mark.password_only
def test_force_login_alone_leaves_the_second_factor_due(
    client: Client, make_person: Callable
) -> None:
    """The test suite's force_login proves the second factor (conftest); without it the gate
    holds for a session that came from anywhere else than the second-factor page."""
    client.force_login(make_person("admin", role=Role.ADMINISTRATOR))
    assert client.get("/")["Location"].startswith(reverse("signin:enrol"))


@override_settings(DEMO_MODE=True)
def test_demo_people_sign_in_with_the_password_alone_while_the_demo_runs(
    client: Client, make_person: Callable
) -> None:
    admin = make_person("demo-admin", role=Role.ADMINISTRATOR)
    Person.objects.filter(pk=admin.pk).update(is_demo=True)
    sign_in(client, "demo-admin")
    assert client.get("/").status_code == 200


def test_an_administrator_resets_a_lost_second_factor_without_seeing_it(
    client: Client, enrolled: Callable, make_person: Callable
) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    person = enrolled("jp-info", role=Role.INFORMATION_MANAGER)
    device = TOTPDevice.objects.get(user=person)
    admin = make_person("admin", role=Role.ADMINISTRATOR)
    client.force_login(admin)
    page = client.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/").content.decode()
    assert device.key not in page
    client.post(f"/admin/otp_totp/totpdevice/{device.pk}/delete/", {"post": "yes"})
    assert not TOTPDevice.objects.filter(user=person).exists()
    event = AuditEvent.objects.get(action="signin.second_factor_reset")
    assert event.actor == admin
    assert device.key not in str(event.before) + str(event.after)
    # Next sign-in: enrol again, as the role requires.
    other = Client()
    sign_in(other, "jp-info")
    assert other.get("/")["Location"].startswith(reverse("signin:enrol"))
    assert verify_chain().intact
