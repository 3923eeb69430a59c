"""Back office for the markings' reference data and people's clearances, every change audited."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from kizuna.core.admin import AuditedAdmin, site

from .models import (
    ClassificationLevel,
    Clearance,
    Community,
    GlossaryTerm,
    HandlingCaveat,
    LevelEquivalence,
    MarkingChange,
    MarkingSet,
    ReadEvent,
)


@admin.register(ClassificationLevel, site=site)
class ClassificationLevelAdmin(AuditedAdmin):
    list_display = ["code", "nation", "rank", "name_ja", "name_en"]
    list_filter = ["nation"]


@admin.register(LevelEquivalence, site=site)
class LevelEquivalenceAdmin(AuditedAdmin):
    list_display = ["level", "equivalent"]


@admin.register(HandlingCaveat, site=site)
class HandlingCaveatAdmin(AuditedAdmin):
    list_display = ["code", "name_ja", "name_en"]


@admin.register(Community, site=site)
class CommunityAdmin(AuditedAdmin):
    list_display = ["code", "domain", "name_ja", "name_en"]
    list_filter = ["domain"]


@admin.register(GlossaryTerm, site=site)
class GlossaryTermAdmin(AuditedAdmin):
    """The search glossary: a query naming either side also finds the other."""

    list_display = ["name_ja", "name_en", "domain", "source"]
    list_filter = ["domain"]
    search_fields = ["name_ja", "name_en", "source"]


@admin.register(Clearance, site=site)
class ClearanceAdmin(AuditedAdmin):
    list_display = ["person", "level"]
    list_filter = ["level__nation"]
    search_fields = ["person__username"]
    filter_horizontal = ["caveats", "communities"]


class ReadOnlyAdmin(AuditedAdmin):
    """Records written only by the app's services."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(MarkingSet, site=site)
class MarkingSetAdmin(ReadOnlyAdmin):
    """Made by the services when a record is marked; never edited (a new marking is a new row)."""

    list_display = ["key", "level"]


@admin.register(MarkingChange, site=site)
class MarkingChangeAdmin(ReadOnlyAdmin):
    list_display = ["item_id", "status", "requested_by", "requested_at", "decided_by"]
    list_filter = ["status"]


@admin.register(ReadEvent, site=site)
class ReadEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "person", "action", "channel", "item_id"]
    list_filter = ["action", "channel"]
