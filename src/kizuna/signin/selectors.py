"""What a person sees of their own sign-in: their second factor and their open sessions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet
from django_otp.plugins.otp_totp.models import TOTPDevice

from kizuna.core.models import Person

from .models import RecoveryCodes, SignedInSession
from .policy import may_turn_off_second_factor, second_factor_required


def has_second_factor(person: Person) -> bool:
    return TOTPDevice.objects.filter(user=person, confirmed=True).exists()


@dataclass(frozen=True)
class SecondFactor:
    enrolled: bool
    required: bool
    may_turn_off: bool
    recovery_codes_left: int
    recovery_codes_expire: datetime | None


def second_factor_of(person: Person) -> SecondFactor:
    codes = RecoveryCodes.objects.filter(user=person).first()
    return SecondFactor(
        enrolled=has_second_factor(person),
        required=second_factor_required(person),
        may_turn_off=may_turn_off_second_factor(person),
        recovery_codes_left=codes.codes.filter(used_at__isnull=True).count() if codes else 0,
        recovery_codes_expire=codes.expires_at if codes else None,
    )


def sessions_of(person: Person) -> QuerySet[SignedInSession]:
    return SignedInSession.objects.filter(person=person)
