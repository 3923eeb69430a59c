"""Every write of sign-in: enrolling and turning off the second factor, recovery codes,
proving the second factor, ending sessions, changing a password, and lockouts. Each is one
transaction, audited in the chain (sign-ins themselves are logged by django-axes)."""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.backends.base import SessionBase
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django_otp.models import Device
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from kizuna.core.audit import record_event
from kizuna.core.models import Person

from .models import RecoveryCode, RecoveryCodes, SignedInSession, code_digest, normalized_code
from .policy import may_turn_off_second_factor

RECOVERY_CODE_COUNT = 10
# 16 characters of Crockford's base 32 (no i, l, o, u): 80 random bits, easy to read back.
_RECOVERY_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"
_RECOVERY_LENGTH = 16


class SecondFactorRefused(ValidationError):
    """A code that does not prove the second factor; `retry_at` when tries are paused."""

    def __init__(self, message: str, *, retry_at: datetime | None = None) -> None:
        super().__init__(message)
        self.retry_at = retry_at


@dataclass(frozen=True)
class IssuedRecoveryCodes:
    codes: list[str]
    expires_at: datetime


def new_authenticator_key() -> str:
    """A secret for a new authenticator (hex, as django-otp keeps it): kept in the person's
    session until they prove their app has it, so nothing is stored for an abandoned try."""
    return secrets.token_hex(20)


def _recovery_code() -> str:
    raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(_RECOVERY_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, _RECOVERY_LENGTH, 4))


def _issue_recovery_codes(person: Person, *, action: str) -> IssuedRecoveryCodes:
    """A new set of recovery codes in place of any earlier one, audited as `action`."""
    RecoveryCodes.objects.filter(user=person).delete()
    expires_at = timezone.now() + timedelta(days=settings.SIGNIN_RECOVERY_CODES_DAYS)
    device = RecoveryCodes.objects.create(
        user=person, name="recovery codes", confirmed=True, expires_at=expires_at
    )
    codes = [_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    RecoveryCode.objects.bulk_create(
        RecoveryCode(codes=device, digest=code_digest(normalized_code(code))) for code in codes
    )
    record_event(
        actor=person,
        action=action,
        obj=person,
        after={"recovery_codes": RECOVERY_CODE_COUNT, "expires_at": expires_at},
    )
    return IssuedRecoveryCodes(codes=codes, expires_at=expires_at)


def _totp_now(device: TOTPDevice) -> TOTP:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return totp


@transaction.atomic
def authenticator_enrol(*, person: Person, key: str, code: str) -> IssuedRecoveryCodes:
    """The person's app shows the code of the key they were given: the key becomes their
    authenticator (replacing any earlier one) and a fresh set of recovery codes is issued."""
    totp = _totp_now(TOTPDevice(key=key))
    if not code.strip().isdigit() or not totp.verify(int(code), tolerance=1):
        raise SecondFactorRefused(
            _(
                "That code does not match. Check the clock of your device and type the code "
                "shown now."
            )
        )
    TOTPDevice.objects.filter(user=person).delete()
    # The enrolment code is spent: it cannot sign in again.
    TOTPDevice.objects.create(
        user=person, name="authenticator", key=key, confirmed=True, last_t=totp.t()
    )
    return _issue_recovery_codes(person, action="signin.second_factor_enrol")


@transaction.atomic
def recovery_codes_issue(*, person: Person) -> IssuedRecoveryCodes:
    if not TOTPDevice.objects.filter(user=person, confirmed=True).exists():
        raise ValidationError(_("Set up an authenticator app first."))
    return _issue_recovery_codes(person, action="signin.recovery_codes_issue")


@transaction.atomic
def second_factor_turn_off(*, person: Person) -> None:
    if not may_turn_off_second_factor(person):
        raise ValidationError(
            _("Your role requires a second factor: set up a new authenticator instead.")
        )
    _remove_second_factor(person, actor=person, action="signin.second_factor_turn_off")


def _remove_second_factor(person: Person, *, actor: Person, action: str) -> None:
    TOTPDevice.objects.filter(user=person).delete()
    RecoveryCodes.objects.filter(user=person).delete()
    record_event(actor=actor, action=action, obj=person)


def _refusal_when_paused(device: Device) -> SecondFactorRefused | None:
    allowed, details = device.verify_is_allowed()
    if allowed:
        return None
    return SecondFactorRefused(
        _("Too many wrong codes. Wait a moment, then try again."),
        retry_at=(details or {}).get("locked_until"),
    )


def _verify_authenticator(person: Person, code: str) -> Device:
    device = TOTPDevice.objects.select_for_update().filter(user=person, confirmed=True).first()
    if device is None:
        raise SecondFactorRefused(_("You have no authenticator app set up; use a recovery code."))
    if refusal := _refusal_when_paused(device):
        raise refusal
    if device.verify_token(code):
        return device
    if _totp_now(device).verify(int(code), device.tolerance):
        raise SecondFactorRefused(
            _("That code has already been used. Wait for your app to show the next one.")
        )
    raise SecondFactorRefused(_("That code is not correct."))


def _verify_recovery_code(person: Person, code: str) -> Device:
    device = RecoveryCodes.objects.select_for_update().filter(user=person).first()
    if device is None:
        raise SecondFactorRefused(_("That code is not correct."))
    if refusal := _refusal_when_paused(device):
        raise refusal
    if device.verify_token(code):
        record_event(
            actor=person,
            action="signin.recovery_code_use",
            obj=person,
            after={"remaining": device.codes.filter(used_at__isnull=True).count()},
        )
        return device
    known = device.codes.filter(digest=code_digest(normalized_code(code))).first()
    if known is not None and known.used_at is not None:
        raise SecondFactorRefused(_("That recovery code has already been used."))
    if known is not None:
        raise SecondFactorRefused(
            _(
                "Your recovery codes have expired. Use your authenticator app, or ask an "
                "administrator to reset your second factor."
            )
        )
    raise SecondFactorRefused(_("That code is not correct."))


def second_factor_verify(*, person: Person, code: str) -> Device:
    """The device a typed code proves: six digits are the authenticator's, anything longer
    a recovery code. Refused codes raise SecondFactorRefused saying why, after the failure
    has been counted (the refusal must not roll the throttle back)."""
    code = code.strip().replace(" ", "")
    if code.isdigit() and len(code) == 6:
        check = _verify_authenticator
    elif len(normalized_code(code)) == _RECOVERY_LENGTH:
        check = _verify_recovery_code
    else:
        raise SecondFactorRefused(
            _("Type the six digits your app shows, or one of your recovery codes.")
        )
    with transaction.atomic():
        try:
            return check(person, code)
        except SecondFactorRefused as refused:
            refusal = refused
    raise refusal


def _session_store() -> type[SessionBase]:
    return import_string(f"{settings.SESSION_ENGINE}.SessionStore")


def session_opened(
    *, person: Person, session_key: str, address: str | None, user_agent: str
) -> None:
    """Remember a new sign-in's session; forget this person's sessions that have ended."""
    store = _session_store()
    ended = [
        s.pk
        for s in SignedInSession.objects.filter(person=person)
        if not store().exists(s.session_key)
    ]
    SignedInSession.objects.filter(pk__in=ended).delete()
    SignedInSession.objects.update_or_create(
        session_key=session_key,
        defaults={
            "person": person,
            "address": address,
            "user_agent": user_agent[:255],
            "signed_in_at": timezone.now(),
        },
    )


def session_closed(*, session_key: str) -> None:
    SignedInSession.objects.filter(session_key=session_key).delete()


@transaction.atomic
def sessions_end_everywhere(*, person: Person) -> int:
    """Sign the person out of every browser and device, this one included."""
    ended = _end_sessions(SignedInSession.objects.filter(person=person))
    record_event(
        actor=person, action="signin.sessions_end_everywhere", obj=person, after={"sessions": ended}
    )
    return ended


def _end_sessions(sessions: QuerySet[SignedInSession]) -> int:
    """Delete the sessions from the session store (their cookies then sign in no one)."""
    ending = list(sessions.select_for_update())
    store = _session_store()
    for session in ending:
        store(session.session_key).delete()
    SignedInSession.objects.filter(pk__in=[s.pk for s in ending]).delete()
    return len(ending)


@transaction.atomic
def password_change(*, person: Person, new_password: str, keep_session: str | None) -> None:
    """A new password, under the password rules; every other session of the person ends."""
    validate_password(new_password, person)
    person.set_password(new_password)
    person.save(update_fields=["password"])
    _end_sessions(SignedInSession.objects.filter(person=person).exclude(session_key=keep_session))
    record_event(actor=person, action="person.password_change", obj=person)


@transaction.atomic
def lockout_record(*, username: str, address: str | None, locked: list[str]) -> None:
    """One audit event when a lockout begins; the name is kept only when it is a person's
    (a mistyped password in the name field stays out of the permanent chain)."""
    person = Person.objects.filter(username=username).first()
    record_event(
        actor=None,
        action="signin.lockout",
        obj=person,
        object_type="" if person else "core.person",
        after={"username": username if person else None, "address": address, "locked": locked},
    )


def session_rekeyed(*, old: str | None, new: str | None) -> None:
    """Django gave the session a new key (after a password change): follow it."""
    if old and new:
        SignedInSession.objects.filter(session_key=old).update(session_key=new)


@transaction.atomic
def second_factor_reset(*, actor: Person, person: Person) -> None:
    """An administrator clears a person's authenticator and recovery codes (both lost); the
    person enrols again at their next sign-in if their role requires it."""
    _remove_second_factor(person, actor=actor, action="signin.second_factor_reset")
