"""Sharing pages: list and search, detail, create, translate, marking changes, attachments,
the read audit and the map. Thin: every read through selectors, every write through services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from kizuna.core.auth import person_of
from kizuna.core.forms import put_errors
from kizuna.core.models import Person
from kizuna.core.navigation import guarded_by
from kizuna.core.paging import keyset_page

from . import policy, selectors, services, stix
from .api import attachment_response, stix_response
from .forms import (
    AttachmentForm,
    FilterForm,
    ImportForm,
    ItemForm,
    MarkingChangeForm,
    ReadFilterForm,
    TranslationForm,
)
from .models import ReadEvent, SharedItem


def _filters(form: FilterForm) -> selectors.ItemFilters:
    data = form.cleaned_data if form.is_bound else {}
    return selectors.ItemFilters(
        q=data.get("q") or "",
        kind=data.get("kind") or "",
        domain=data.get("domain") or "",
        originator_nation=data["nation"].code if data.get("nation") else "",
    )


def home_panel(request: HttpRequest) -> str | None:
    """Marking changes waiting for a second person, for the information managers who may
    decide them (nothing for anyone else)."""
    person = request.user
    if not isinstance(person, Person) or not policy.is_information_manager(person):
        return None
    count = selectors.pending_changes(person=person).count()
    return render_to_string("sharing/_home.html", {"pending": count}, request=request)


@login_required
def item_list(request: HttpRequest) -> HttpResponse:
    """The list pages by a sealed keyset (core.paging), the filters kept in the URL; a
    search is ranked, so it pages by number (a rank is no key to resume from)."""
    person = person_of(request)
    form = FilterForm(request.GET or None)
    context: dict[str, Any] = {
        "form": form,
    }
    if form.is_valid() or not request.GET:
        filters = _filters(form)
        page = (form.cleaned_data.get("page") if form.is_bound else None) or 1
        try:
            if filters.q.strip():
                found = selectors.item_page(person=person, filters=filters, page=page)
                rows, count, capped, query = (
                    found.rows,
                    found.count,
                    found.count_capped,
                    found.query,
                )
                context |= {"page": page, "has_next": page * selectors.PAGE_SIZE < count}
            else:
                browsed, count, capped = selectors.item_browse(person=person, filters=filters)
                pager = keyset_page(browsed, request.GET, reader=person.pk)
                rows, query = pager.rows, selectors.search_query("")
                context["pager"] = pager
        except ValidationError as error:
            put_errors(form, error)
        else:
            context |= {
                "hits": selectors.hits(rows=rows, query=query),
                "expansions": query.expansions,
                "count": count,
                "count_capped": capped,
            }
    template = "sharing/_results.html" if request.htmx else "sharing/item_list.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@login_required
@guarded_by(policy.may_contribute)
def item_create(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    form = ItemForm(request.POST or None, person=person)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = services.item_create(
                person=person,
                kind=data["kind"],
                domain=data["domain"],
                originator=data["originator"],
                original_language=data["original_language"],
                title=data["title"],
                body=data["body"],
                marking=form.marking(),
                latitude=data["latitude"],
                longitude=data["longitude"],
                observed_at=data["observed_at"],
                observation=data["observation"],
            )
        except ValidationError as error:
            put_errors(form, error)
        else:
            messages.success(request, _("The item is shared."))
            return redirect("sharing:detail", item_id=item.public_id)
    return render(request, "sharing/item_form.html", {"form": form})


def _detail_context(person: Person, item: SharedItem, **forms: Form) -> dict[str, Any]:
    may_change = policy.may_change_marking(person, item)
    return {
        "item": item,
        "marking": services.Marking.of(item),
        "marking_label": selectors.marking_label(services.Marking.of(item)),
        "attachments": selectors.attachments_of(item),
        "history": selectors.item_history(person=person, item=item),
        "related": selectors.related_items(person=person, item=item),
        "may_translate": policy.may_translate(person),
        "may_change_marking": may_change,
        "may_attach": policy.may_contribute(person),
        "translation_form": forms.get("translation_form") or TranslationForm(),
        "marking_form": forms.get("marking_form")
        or MarkingChangeForm(initial=services.Marking.of(item).as_json()),
        "attachment_form": forms.get("attachment_form") or AttachmentForm(),
    }


@login_required
def item_detail(request: HttpRequest, item_id: str) -> HttpResponse:
    person = person_of(request)
    item = selectors.item_get(person=person, public_id=item_id)
    services.record_reads(person=person, items=[item], action=ReadEvent.Action.VIEW, channel="web")
    return render(request, "sharing/item_detail.html", _detail_context(person, item))


@login_required
@require_POST
def item_translate(request: HttpRequest, item_id: str) -> HttpResponse:
    person = person_of(request)
    item = selectors.item_get(person=person, public_id=item_id)
    form = TranslationForm(request.POST)
    if form.is_valid():
        try:
            services.item_translate(person=person, item=item, **form.cleaned_data)
        except ValidationError as error:
            put_errors(form, error)
        else:
            messages.success(request, _("The translation is saved."))
            return redirect("sharing:detail", item_id=item_id)
    return render(
        request, "sharing/item_detail.html", _detail_context(person, item, translation_form=form)
    )


@login_required
@require_POST
def item_change_marking(request: HttpRequest, item_id: str) -> HttpResponse:
    person = person_of(request)
    item = selectors.item_get(person=person, public_id=item_id)
    form = MarkingChangeForm(request.POST)
    if form.is_valid():
        try:
            change = services.marking_change(
                person=person, item=item, marking=form.marking(), reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            put_errors(form, error)
        else:
            if change.status == change.Status.APPLIED:
                messages.success(request, _("The marking is raised."))
            else:
                messages.success(
                    request, _("The change waits for a second information manager to approve it.")
                )
            return redirect("sharing:detail", item_id=item_id)
    return render(
        request, "sharing/item_detail.html", _detail_context(person, item, marking_form=form)
    )


@login_required
@require_POST
def attachment_add(request: HttpRequest, item_id: str) -> HttpResponse:
    person = person_of(request)
    item = selectors.item_get(person=person, public_id=item_id)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            services.attachment_add(
                person=person,
                item=item,
                name=upload.name,
                content_type=upload.content_type or "",
                data=upload,
            )
        except ValidationError as error:
            put_errors(form, error)
        else:
            messages.success(request, _("The file is attached."))
            return redirect("sharing:detail", item_id=item_id)
    return render(
        request,
        "sharing/item_detail.html",
        _detail_context(person, item, attachment_form=form),
        status=422,
    )


@login_required
def attachment_download(request: HttpRequest, item_id: str, attachment_id: str) -> FileResponse:
    person = person_of(request)
    attachment = selectors.attachment_get(person=person, item_id=item_id, public_id=attachment_id)
    services.record_reads(
        person=person, items=[attachment.item], action=ReadEvent.Action.DOWNLOAD, channel="web"
    )
    return attachment_response(attachment)


@login_required
@guarded_by(policy.is_information_manager)
def pending_changes(request: HttpRequest) -> HttpResponse:
    return _pending_page(request)


def _pending_page(request: HttpRequest, refused: Form | None = None) -> HttpResponse:
    """The changes awaiting a decision; with a refused decision's form, its reason above
    them and 422 (its buttons take no field)."""
    person = person_of(request)
    changes = [
        (
            change,
            selectors.marking_label(services.Marking.from_json(change.before)),
            selectors.marking_label(services.Marking.from_json(change.after)),
        )
        for change in selectors.pending_changes(person=person)
    ]
    context = {"changes": changes, "decision_form": refused}
    return render(
        request, "sharing/pending_changes.html", context, status=200 if refused is None else 422
    )


@login_required
@require_POST
def decide_change(request: HttpRequest, change_id: str) -> HttpResponse:
    person = person_of(request)
    approve = request.POST.get("decision") == "approve"
    try:
        services.marking_change_decide(person=person, change_id=change_id, approve=approve)
    except ValidationError as error:
        form = Form({})
        put_errors(form, error)
        return _pending_page(request, form)
    except PermissionDenied:
        raise Http404 from None
    messages.success(
        request, _("The change is approved.") if approve else _("The change is rejected.")
    )
    return redirect("sharing:pending")


@login_required
@guarded_by(policy.may_view_reads)
def read_audit(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    form = ReadFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    rows = selectors.reads(
        person=person,
        filters=selectors.ReadFilters(
            username=data.get("username") or "",
            item=data.get("item") or "",
            action=data.get("action") or "",
            since=data.get("since"),
            until=data.get("until"),
        ),
    )[:200]
    return render(request, "sharing/read_audit.html", {"form": form, "reads": rows})


@login_required
def shared_map(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    return render(
        request,
        "sharing/map.html",
        {
            "points": selectors.map_points(person=person),
            "places": selectors.map_places(person=person),
        },
    )


@login_required
def export_stix(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    form = FilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        raise Http404
    try:
        rows = selectors.export_items(person=person, filters=_filters(form))
    except ValidationError:
        raise Http404 from None
    services.record_reads(person=person, items=rows, action=ReadEvent.Action.EXPORT, channel="web")
    return stix_response(stix.bundle_of(rows))


@login_required
@guarded_by(policy.is_information_manager)
def import_stix(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["bundle"]
        try:
            if upload.size > stix.MAX_BUNDLE_BYTES:
                raise ValidationError({"bundle": _("The bundle is larger than 2 MB.")})
            created = services.stix_import(person=person, data=upload.read())
        except ValidationError as error:
            put_errors(form, error)
        else:
            messages.success(
                request,
                ngettext("%(count)d item imported.", "%(count)d items imported.", len(created))
                % {"count": len(created)},
            )
            return redirect("sharing:list")
    return render(request, "sharing/import.html", {"form": form})
