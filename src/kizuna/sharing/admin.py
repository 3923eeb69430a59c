"""Back office for the markings' reference data and people's clearances, every change audited."""

from __future__ import annotations

from django.contrib import admin

from kizuna.core.admin import EVERY_ROW, AuditedAdmin, ReadOnlyAdmin, site

from . import policy
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
    scope = staticmethod(EVERY_ROW)
    list_display = ["code", "nation", "rank", "name_ja", "name_en"]
    list_filter = ["nation"]


@admin.register(LevelEquivalence, site=site)
class LevelEquivalenceAdmin(AuditedAdmin):
    scope = staticmethod(EVERY_ROW)
    list_display = ["level", "equivalent"]


@admin.register(HandlingCaveat, site=site)
class HandlingCaveatAdmin(AuditedAdmin):
    scope = staticmethod(EVERY_ROW)
    list_display = ["code", "name_ja", "name_en"]


@admin.register(Community, site=site)
class CommunityAdmin(AuditedAdmin):
    scope = staticmethod(EVERY_ROW)
    list_display = ["code", "domain", "name_ja", "name_en"]
    list_filter = ["domain"]


@admin.register(GlossaryTerm, site=site)
class GlossaryTermAdmin(AuditedAdmin):
    """The search glossary: a query naming either side also finds the other."""

    scope = staticmethod(EVERY_ROW)

    list_display = ["name_ja", "name_en", "domain", "source"]
    list_filter = ["domain"]
    search_fields = ["name_ja", "name_en", "source"]


@admin.register(Clearance, site=site)
class ClearanceAdmin(AuditedAdmin):
    scope = staticmethod(EVERY_ROW)
    list_display = ["person", "level"]
    list_filter = ["level__nation"]
    search_fields = ["person__username"]
    filter_horizontal = ["caveats", "communities"]


@admin.register(MarkingSet, site=site)
class MarkingSetAdmin(ReadOnlyAdmin):
    """Made by the services when a record is marked; never edited (a new marking is a new
    row). A marking names caveats and communities: shown to those who may read it."""

    scope = staticmethod(policy.visible_markings)

    list_display = ["key", "level"]


@admin.register(MarkingChange, site=site)
class MarkingChangeAdmin(ReadOnlyAdmin):
    """A change and its reason show only to those who may see its item."""

    scope = staticmethod(policy.marking_changes_visible)
    list_display = ["item_id", "status", "requested_by", "requested_at", "decided_by"]
    list_filter = ["status"]


@admin.register(ReadEvent, site=site)
class ReadEventAdmin(ReadOnlyAdmin):
    scope = staticmethod(policy.reads_visible)
    list_display = ["at", "person", "action", "channel", "item_id"]
    list_filter = ["action", "channel"]
