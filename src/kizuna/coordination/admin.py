"""Back office: coordination bodies' membership, corrected by administrators, audited.

Situations, the log and requests change only through their services (every change is also a
log entry); the back office shows the bodies, whose membership decides access."""

from __future__ import annotations

from django.contrib import admin

from kizuna.core.admin import AuditedAdmin, site

from . import policy
from .models import Body


@admin.register(Body, site=site)
class BodyAdmin(AuditedAdmin):
    scope = staticmethod(policy.bodies_visible)
    list_display = [
        "code",
        "name_ja",
        "name_en",
        "kind",
        "situation",
        "stood_up_at",
        "stood_down_at",
    ]
    list_filter = ["kind"]
    search_fields = ["code", "name_ja", "name_en", "short_name"]
    filter_horizontal = ["organizations"]
    readonly_fields = ["situation", "stood_up_at", "stood_down_at"]
