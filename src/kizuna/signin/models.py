"""What sign-in keeps beside the person: recovery codes for the second factor, and the
sessions each person has open, so that all of them can be ended at once.

The authenticator app itself is django-otp's TOTPDevice (kizuna.signin.services enrols it).
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin


def code_digest(code: str) -> str:
    """Recovery codes carry 80 random bits, so a plain digest keeps them as safe as API tokens."""
    return hashlib.sha256(code.encode()).hexdigest()


def normalized_code(typed: str) -> str:
    """What a person types, as it was issued: case, spaces and hyphens do not matter."""
    return "".join(ch for ch in typed.lower() if ch.isalnum())


class RecoveryCodes(ThrottlingMixin, Device):
    """One person's current set of one-time recovery codes, as a django-otp device so that a
    code verifies the session exactly as the authenticator does. Issuing a new set replaces
    this one; a set expires after settings.SIGNIN_RECOVERY_CODES_DAYS."""

    # Typed by hand: django-otp's Device base is untyped, which hides these from the plugin.
    issued_at: models.DateTimeField[datetime, datetime] = models.DateTimeField(
        _("issued"), default=timezone.now
    )
    expires_at: models.DateTimeField[datetime, datetime] = models.DateTimeField(_("expires"))

    class Meta:
        verbose_name = _("recovery code set")
        verbose_name_plural = _("recovery code sets")
        constraints = [
            models.UniqueConstraint(fields=["user"], name="signin_one_recovery_set_per_person")
        ]

    def get_throttle_factor(self) -> int:
        return int(settings.OTP_TOTP_THROTTLE_FACTOR)

    def verify_token(self, token: str) -> bool:
        """Spend one unused code of this set, once: the update is the check, so two requests
        racing with the same code cannot both succeed."""
        allowed, _details = self.verify_is_allowed()
        if not allowed or self.expires_at <= timezone.now():
            return False
        spent = self.codes.filter(
            digest=code_digest(normalized_code(token)), used_at__isnull=True
        ).update(used_at=timezone.now())
        if spent:
            self.throttle_reset()
        else:
            self.throttle_increment()
        return bool(spent)


class RecoveryCode(models.Model):
    codes = models.ForeignKey(
        RecoveryCodes, on_delete=models.CASCADE, related_name="codes", verbose_name=_("set")
    )
    digest = models.CharField(_("digest"), max_length=64)
    used_at = models.DateTimeField(_("used"), null=True, blank=True)

    class Meta:
        verbose_name = _("recovery code")
        verbose_name_plural = _("recovery codes")
        constraints = [
            models.UniqueConstraint(fields=["codes", "digest"], name="signin_recovery_code_once")
        ]

    def __str__(self) -> str:
        return f"{self.codes.user} · {self.used_at or '—'}"


class SignedInSession(models.Model):
    """A session a person opened by signing in: where and when, and the key that ends it."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="signed_in_sessions",
        verbose_name=_("person"),
    )
    session_key = models.CharField(_("session"), max_length=40, unique=True)
    signed_in_at = models.DateTimeField(_("signed in"), default=timezone.now)
    address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=255, blank=True)

    class Meta:
        ordering = ["-signed_in_at"]
        verbose_name = _("signed-in session")
        verbose_name_plural = _("signed-in sessions")

    def __str__(self) -> str:
        return f"{self.person} · {self.signed_in_at:%Y-%m-%d %H:%M}Z · {self.address or '—'}"
