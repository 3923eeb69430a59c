"""Back office for ACSA's reference data, which every administrator sees whole; every
change audited. Orders and what hangs on them change only through the services."""

from django.contrib import admin

from kizuna.core.admin import EVERY_ROW, AuditedAdmin, site

from .models import (
    AgreementVersion,
    Category,
    EligibilityRule,
    ExchangeRate,
    LiabilityCap,
    SituationType,
)


@admin.register(AgreementVersion, site=site)
class AgreementVersionAdmin(AuditedAdmin):
    scope = staticmethod(EVERY_ROW)
    list_display = ["code", "name_ja", "name_en", "signed_on", "in_force_from"]


@admin.register(Category, site=site)
class CategoryAdmin(AuditedAdmin):
    scope = staticmethod(EVERY_ROW)
    list_display = ["position", "code", "name_ja", "name_en", "kind", "kind_note", "prohibited"]


@admin.register(SituationType, site=site)
class SituationTypeAdmin(AuditedAdmin):
    scope = staticmethod(EVERY_ROW)
    list_display = [
        "position",
        "code",
        "name_ja",
        "name_en",
        "group",
        "treaty_article",
        "effective_from",
        "effective_to",
    ]
    list_filter = ["group", "treaty_article"]


@admin.register(EligibilityRule, site=site)
class EligibilityRuleAdmin(AuditedAdmin):
    scope = staticmethod(EVERY_ROW)
    list_display = ["version", "situation", "category", "allowed", "effective_from", "effective_to"]
    list_filter = ["version", "allowed", "category"]
    search_fields = ["situation__code", "category__code", "note"]
    list_select_related = ["version", "situation", "category"]


@admin.register(LiabilityCap, site=site)
class LiabilityCapAdmin(AuditedAdmin):
    scope = staticmethod(EVERY_ROW)
    list_display = ["code", "name_ja", "name_en", "debtor_nation", "amount", "currency"]


@admin.register(ExchangeRate, site=site)
class ExchangeRateAdmin(AuditedAdmin):
    scope = staticmethod(EVERY_ROW)
    list_display = ["base", "quote", "rate", "effective_from", "effective_to", "source"]
    list_filter = ["base", "quote"]
