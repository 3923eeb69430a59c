from django.contrib import admin

from kizuna.core.admin import AuditedAdmin, site

from .models import AgreementVersion, Category, SituationType


@admin.register(AgreementVersion, site=site)
class AgreementVersionAdmin(AuditedAdmin):
    list_display = ["code", "name_ja", "name_en", "signed_on", "in_force_from"]


@admin.register(Category, site=site)
class CategoryAdmin(AuditedAdmin):
    list_display = ["position", "code", "name_ja", "name_en", "kind", "prohibited"]


@admin.register(SituationType, site=site)
class SituationTypeAdmin(AuditedAdmin):
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
