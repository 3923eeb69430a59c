"""The administrators' back office: reference data and people, every change audited.

Access is the core policy's (the administrator role), not Django's staff flag, so there is
one rule for who administers Kizuna. Other apps register their reference data on `site`
with `AuditedAdmin`.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models, transaction
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from . import policy
from .audit import jsonable, record_event
from .models import ApiToken, AuditEvent, Membership, Nation, Organization, Person


def _is_administrator(request: HttpRequest) -> bool:
    user = request.user
    return isinstance(user, Person) and user.is_active and policy.is_administrator(user)


class KizunaAdminSite(admin.AdminSite):
    site_header = _("Kizuna administration")
    site_title = _("Kizuna administration")

    def has_permission(self, request: HttpRequest) -> bool:
        return _is_administrator(request)


site = KizunaAdminSite(name="admin")


def _snapshot(obj: models.Model) -> dict[str, Any]:
    return {
        f.attname: jsonable(getattr(obj, f.attname))
        for f in obj._meta.concrete_fields
        if f.attname != "password"
    }


class AuditedAdmin(admin.ModelAdmin):
    """Every save and delete through the back office lands in the audit chain."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _is_administrator(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_administrator(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return _is_administrator(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_administrator(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_administrator(request)

    @transaction.atomic
    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm, change: bool) -> None:
        before = _snapshot(type(obj).objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)
        record_event(
            actor=request.user if isinstance(request.user, Person) else None,
            action=f"admin.{'change' if change else 'add'}",
            obj=obj,
            before=before,
            after=_snapshot(obj),
        )

    @transaction.atomic
    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        before = _snapshot(obj)
        record_event(
            actor=request.user if isinstance(request.user, Person) else None,
            action="admin.delete",
            obj=obj,
            before=before,
        )
        super().delete_model(request, obj)


@admin.register(Nation, site=site)
class NationAdmin(AuditedAdmin):
    list_display = ["code", "name_ja", "name_en"]


@admin.register(Organization, site=site)
class OrganizationAdmin(AuditedAdmin):
    list_display = ["code", "name_ja", "name_en", "nation", "kind", "parent"]
    list_filter = ["nation", "kind"]
    search_fields = ["code", "name_ja", "name_en", "short_name"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


@admin.register(Person, site=site)
class PersonAdmin(AuditedAdmin):
    list_display = ["username", "display_name_ja", "display_name_en", "language", "is_active"]
    search_fields = ["username", "display_name_ja", "display_name_en"]
    fields = [
        "username",
        "display_name_ja",
        "display_name_en",
        "language",
        "time_zones",
        "is_active",
        "is_demo",
    ]
    inlines = [MembershipInline]


@admin.register(ApiToken, site=site)
class ApiTokenAdmin(AuditedAdmin):
    list_display = ["person", "label", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["person", "label", "prefix", "digest", "created_at", "last_used_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # tokens are issued by their owner, who alone sees the secret


@admin.register(AuditEvent, site=site)
class AuditEventAdmin(AuditedAdmin):
    """Read-only: the chain is written by services, never by hand."""

    list_display = ["id", "at", "actor", "action", "object_type", "object_id"]
    list_filter = ["action", "object_type"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
