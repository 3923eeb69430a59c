"""The administrators' back office: reference data and people, every change audited.

Access is the core policy's (the administrator role), not Django's staff flag, so there is
one rule for who administers Kizuna. Other apps register their models on `site` with
`AuditedAdmin` in their `admin.py`, which core imports when it starts (`CoreConfig.ready`):
the project uses `SimpleAdminConfig`, which discovers nothing by itself.

What an administrator sees of each model is what the owning app's policy lets them see:
every `AuditedAdmin` names its `scope`, the policy's `(person) -> queryset` of the rows the
person may see (or `EVERY_ROW` for reference data and rosters, which administrators see
whole), and lists, forms, choices, history and deletion all start from it, so a hidden row
answers as a missing one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import NestedObjects, quote
from django.db import models, router, transaction
from django.db.models import QuerySet
from django.forms import BaseModelFormSet, ModelForm
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from . import policy
from .audit import audit_scopes, jsonable, record_event, visible_events
from .models import ApiToken, AuditEvent, Membership, Nation, Organization, Person


def _is_administrator(request: HttpRequest) -> bool:
    user = request.user
    return isinstance(user, Person) and user.is_active and policy.is_administrator(user)


class KizunaAdminSite(admin.AdminSite):
    site_header = _("Kizuna administration")
    site_title = _("Kizuna administration")

    def has_permission(self, request: HttpRequest) -> bool:
        return _is_administrator(request)

    def register(self, model_or_iterable: Any, admin_class: Any = None, **options: Any) -> None:
        # Fail closed: a model admin that names no policy is a programming error.
        if not (admin_class and issubclass(admin_class, AuditedAdmin)):
            raise TypeError(f"{admin_class} is not an AuditedAdmin")
        if not hasattr(admin_class, "scope"):
            raise TypeError(f"{admin_class.__name__} must name its scope (the app's policy)")
        super().register(model_or_iterable, admin_class, **options)


site = KizunaAdminSite(name="admin")


def EVERY_ROW(person: Person) -> None:
    """The scope of models every administrator sees whole (reference data, rosters)."""


Scope = Callable[[Person], "QuerySet[Any] | None"]


def _snapshot(obj: models.Model) -> dict[str, Any]:
    """The row as the audit chain keeps it: its columns (never a password) and the ids of
    its many-to-many relations."""
    values = {
        f.attname: jsonable(getattr(obj, f.attname))
        for f in obj._meta.concrete_fields
        if f.attname != "password"
    }
    if obj.pk is not None:
        for field in obj._meta.many_to_many:
            values[field.name] = sorted(getattr(obj, field.name).values_list("pk", flat=True))
    return values


def _actor(request: HttpRequest) -> Person | None:
    return request.user if isinstance(request.user, Person) else None


class AuditedAdmin(admin.ModelAdmin):
    """Every save and delete through the back office lands in the audit chain, and every
    list, form and choice shows only the rows `scope` lets the administrator see."""

    scope: Scope

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        if self.scope is EVERY_ROW:
            return queryset
        person = _actor(request)
        if person is None:
            return queryset.none()
        rows = self.scope(person)
        assert rows is not None
        return queryset.filter(pk__in=rows.order_by().values("pk"))

    def _scoped_choices(self, db_field: Any, request: HttpRequest, kwargs: dict[str, Any]) -> None:
        """A form's choices of a related model are that model's rows the person may see."""
        related = self.admin_site._registry.get(db_field.related_model)
        if isinstance(related, AuditedAdmin) and "queryset" not in kwargs:
            kwargs["queryset"] = related.get_queryset(request)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        self._scoped_choices(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        self._scoped_choices(db_field, request, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

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

    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm, change: bool) -> None:
        # The row as it stood; the event is written in save_related, once the many-to-many
        # fields are saved too. The admin's change view runs all of it in one transaction.
        obj._audit_before = _snapshot(type(obj).objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)

    def save_related(
        self, request: HttpRequest, form: ModelForm, formsets: Any, change: bool
    ) -> None:
        super().save_related(request, form, formsets, change)
        obj = form.instance
        record_event(
            actor=_actor(request),
            action=f"admin.{'change' if change else 'add'}",
            obj=obj,
            before=getattr(obj, "_audit_before", None),
            after=_snapshot(obj),
        )

    def save_formset(
        self, request: HttpRequest, form: ModelForm, formset: BaseModelFormSet, change: bool
    ) -> None:
        """An inline's rows (a person's memberships) are audited one event each."""
        model = formset.model
        before = {
            pk: _snapshot(row)
            for pk, row in model._default_manager.in_bulk(
                [f.instance.pk for f in formset.initial_forms if f.instance.pk is not None]
            ).items()
        }
        super().save_formset(request, form, formset, change)
        actor = _actor(request)
        for obj in formset.new_objects:
            record_event(actor=actor, action="admin.add", obj=obj, after=_snapshot(obj))
        for obj, _fields in formset.changed_objects:
            record_event(
                actor=actor,
                action="admin.change",
                obj=obj,
                before=before.get(obj.pk),
                after=_snapshot(obj),
            )
        for form_ in formset.deleted_forms:
            pk = form_.instance.pk or form_.initial.get("id")
            record_event(
                actor=actor,
                action="admin.delete",
                object_type=model._meta.label_lower,
                object_id=str(pk),
                before=before.get(pk),
            )

    def get_deleted_objects(
        self, objs: Any, request: HttpRequest
    ) -> tuple[list[Any], dict[str, int], set[str], list[Any]]:
        """What a deletion would take with it, told only as far as the administrator may see:
        Django's page names every related row. A deletion that would reach a row beyond them
        (a person who wrote an item hidden from them, and the read audit of it) is refused,
        saying only that records outside their clearance stand in the way."""
        collector = NestedObjects(using=router.db_for_write(self.model))
        collector.collect(list(objs))
        person = _actor(request)
        perms_needed: set[str] = set()
        model_count: dict[str, int] = {}
        hidden = False

        def shown(tree: list[Any]) -> list[Any]:
            nonlocal hidden
            kept: list[Any] = []
            for node in tree:
                if isinstance(node, list):
                    children = shown(node)
                    if kept and kept[-1] is not None and children:  # the row just kept's
                        kept.append(children)
                    continue
                if person is None or not self._may_see(request, person, node):
                    hidden = True
                    kept.append(None)  # drop it and its children
                    continue
                kept.append(self._describe(request, node, perms_needed))
                plural = str(node._meta.verbose_name_plural)
                model_count[plural] = model_count.get(plural, 0) + 1
            return [n for n in kept if n is not None]

        to_delete = shown(collector.nested())
        protected = shown(list(collector.protected))
        if hidden:
            protected.append(_("records outside your clearance"))
        return to_delete, model_count, perms_needed, protected

    def _may_see(self, request: HttpRequest, person: Person, obj: models.Model) -> bool:
        """Whether a related row is one the administrator may see: its back office's scope,
        else the audit scope of its app's policy; other rows (links, reference data) are."""
        related = self.admin_site._registry.get(type(obj))
        if isinstance(related, AuditedAdmin):
            return related.get_queryset(request).filter(pk=obj.pk).exists()
        visible = audit_scopes().get(obj._meta.label_lower)
        return visible is None or visible(person).filter(pk=obj.pk).exists()

    def _describe(self, request: HttpRequest, obj: models.Model, perms_needed: set[str]) -> str:
        """One row as Django's deletion page names it: a link when it has a back office."""
        opts = obj._meta
        label = f"{capfirst(opts.verbose_name)}: {obj}"
        related = self.admin_site._registry.get(type(obj))
        if related is None:
            return label
        if not related.has_delete_permission(request, obj):
            perms_needed.add(str(opts.verbose_name))
        try:
            url = reverse(
                f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_change",
                args=(quote(obj.pk),),
            )
        except NoReverseMatch:
            return label
        return format_html('{}: <a href="{}">{}</a>', capfirst(opts.verbose_name), url, obj)

    @transaction.atomic
    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        record_event(actor=_actor(request), action="admin.delete", obj=obj, before=_snapshot(obj))
        super().delete_model(request, obj)

    @transaction.atomic
    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        """The list's delete action: one audited deletion per row (Django's own deletes the
        queryset at once and would write no event)."""
        for obj in queryset:
            self.delete_model(request, obj)


class ReadOnlyAdmin(AuditedAdmin):
    """Records written only by the apps' services: the back office shows them, never edits."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Nation, site=site)
class NationAdmin(AuditedAdmin):
    scope = staticmethod(EVERY_ROW)
    list_display = ["code", "name_ja", "name_en"]


@admin.register(Organization, site=site)
class OrganizationAdmin(AuditedAdmin):
    scope = staticmethod(EVERY_ROW)
    list_display = ["code", "name_ja", "name_en", "nation", "kind", "parent"]
    list_filter = ["nation", "kind"]
    search_fields = ["code", "name_ja", "name_en", "short_name"]


class MembershipInline(admin.TabularInline):
    """A person's roles, decided by the administrator role like the rest of the back office
    (Django's own permissions are not used); each row's change is audited (save_formset)."""

    model = Membership
    extra = 0

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_administrator(request)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_administrator(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_administrator(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_administrator(request)


@admin.register(Person, site=site)
class PersonAdmin(AuditedAdmin):
    """People and their roles: administrators see every roster (core.policy)."""

    scope = staticmethod(EVERY_ROW)
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
    scope = staticmethod(EVERY_ROW)
    list_display = ["person", "label", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["person", "label", "prefix", "digest", "created_at", "last_used_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # tokens are issued by their owner, who alone sees the secret


@admin.register(AuditEvent, site=site)
class AuditEventAdmin(ReadOnlyAdmin):
    """The chain is written by services, never by hand. An administrator sees the events of
    the records their clearance covers (core.audit.visible_events), and never the hashes:
    with a visible event's content they would tell whether a hidden event lies before it.
    The signed checkpoints and `kizuna audit verify` prove the chain instead."""

    scope = staticmethod(visible_events)
    list_display = ["id", "at", "actor", "action", "object_type", "object_id"]
    list_filter = ["action", "object_type"]
    fields = ["at", "actor", "action", "object_type", "object_id", "before", "after"]
