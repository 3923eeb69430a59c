"""The back office's part of sign-in: an administrator resets the second factor of a person
who lost both their app and their recovery codes (by deleting their authenticator), and
reads who is signed in where. The secrets themselves are never shown nor audited."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice

from kizuna.core.admin import AuditedAdmin, site
from kizuna.core.models import Person

from . import services
from .models import SignedInSession


class ReadOnlyAdmin(AuditedAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(TOTPDevice, site=site)
class AuthenticatorAdmin(ReadOnlyAdmin):
    list_display = ["user", "confirmed", "last_used_at"]
    search_fields = ["user__username"]
    fields = ["user", "confirmed", "last_used_at"]

    def delete_model(self, request: HttpRequest, obj: TOTPDevice) -> None:
        assert isinstance(request.user, Person)
        services.second_factor_reset(actor=request.user, person=obj.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[TOTPDevice]) -> None:
        for device in queryset.select_related("user"):
            self.delete_model(request, device)


@admin.register(SignedInSession, site=site)
class SignedInSessionAdmin(ReadOnlyAdmin):
    list_display = ["person", "signed_in_at", "address", "user_agent"]
    search_fields = ["person__username", "address"]
    fields = ["person", "signed_in_at", "address", "user_agent"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
