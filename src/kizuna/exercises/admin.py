"""Back office: the exercise series (reference data), corrected by administrators, audited.

Exercises and their figures are marked records: they change through the services and show
only where the sharing policy decides (pages, API, exports), never in the back office, which
would show them to an administrator whatever their clearance."""

from __future__ import annotations

from django.contrib import admin

from kizuna.core.admin import EVERY_ROW, AuditedAdmin, site

from .models import Series


@admin.register(Series, site=site)
class SeriesAdmin(AuditedAdmin):
    scope = staticmethod(EVERY_ROW)  # reference data
    list_display = ["code", "name_ja", "name_en"]
    search_fields = ["code", "name_ja", "name_en"]
