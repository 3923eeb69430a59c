"""The back office's part of sign-in: an administrator resets the second factor of a person
who lost both their app and their recovery codes (by deleting their authenticator), and
reads who is signed in where and django-axes' record of sign-in attempts and lockouts.
The secrets themselves are never shown nor audited. Administrators see every roster
(core.policy), so every row of these."""

from __future__ import annotations

from typing import Any

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice

from kizuna.core.admin import EVERY_ROW, AuditedAdmin, ReadOnlyAdmin, site
from kizuna.core.models import Person

from . import services
from .models import SignedInSession


@admin.register(TOTPDevice, site=site)
class AuthenticatorAdmin(ReadOnlyAdmin):
    scope = staticmethod(EVERY_ROW)
    list_display = ["user", "confirmed", "last_used_at"]
    search_fields = ["user__username"]
    fields = ["user", "confirmed", "last_used_at"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return AuditedAdmin.has_delete_permission(self, request, obj)

    def delete_model(self, request: HttpRequest, obj: TOTPDevice) -> None:
        assert isinstance(request.user, Person)
        services.second_factor_reset(actor=request.user, person=obj.user)


@admin.register(SignedInSession, site=site)
class SignedInSessionAdmin(ReadOnlyAdmin):
    scope = staticmethod(EVERY_ROW)
    list_display = ["person", "signed_in_at", "address", "user_agent"]
    search_fields = ["person__username", "address"]
    fields = ["person", "signed_in_at", "address", "user_agent"]


@admin.register(AccessAttempt, site=site)
class AccessAttemptAdmin(ReadOnlyAdmin):
    """Failed sign-ins counted towards a lockout (`kizuna axes_reset…` opens one)."""

    scope = staticmethod(EVERY_ROW)
    list_display = ["attempt_time", "username", "ip_address", "failures_since_start"]
    search_fields = ["username", "ip_address"]


@admin.register(AccessFailureLog, site=site)
class AccessFailureLogAdmin(ReadOnlyAdmin):
    scope = staticmethod(EVERY_ROW)
    list_display = ["attempt_time", "username", "ip_address", "locked_out"]
    list_filter = ["locked_out"]
    search_fields = ["username", "ip_address"]


@admin.register(AccessLog, site=site)
class AccessLogAdmin(ReadOnlyAdmin):
    scope = staticmethod(EVERY_ROW)
    list_display = ["attempt_time", "logout_time", "username", "ip_address"]
    search_fields = ["username", "ip_address"]
