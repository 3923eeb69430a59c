"""Coordination pages. Thin: read through selectors, write through services, render.

Writes are plain form posts that come back to the page they were made on; a refused write
says why in the person's language and changes nothing.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar
from urllib.parse import urlsplit

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from kizuna.core import paging
from kizuna.core.auth import person_of
from kizuna.core.forms import put_errors
from kizuna.core.models import Person, Role
from kizuna.core.navigation import back_to_next, guarded_by
from kizuna.core.public_ids import get_public_or_404
from kizuna.core.selectors import zones_for
from kizuna.core.traffic import EXERCISE_BANNER

from . import charts, forms, policy, selectors, services
from .forms import (
    AcsaOrderForm,
    CloseForm,
    DesignationForm,
    EntryForm,
    EventTimeForm,
    LineFormSet,
    ProgressForm,
    ReasonForm,
    RequestForm,
    SituationForm,
)
from .models import Body, LogEntry, Situation, SupportRequest
from .stream import cursor_for

T = TypeVar("T")


def home_panel(request: HttpRequest) -> str | None:
    """What waits for the person in coordination, on their first page (nothing for those
    who sit in no body and answer for no organization)."""
    person = request.user
    if not isinstance(person, Person):
        return None
    waiting = selectors.waiting_for(person=person)
    if not (
        waiting["translation"] or waiting["vetting"] or waiting["requests"] or waiting["situations"]
    ):
        return None
    return render_to_string("coordination/_home.html", {"waiting": waiting}, request=request)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    return _index(request, _situation_form(person_of(request)))


def _index(request: HttpRequest, form: SituationForm | None, status: int = 200) -> HttpResponse:
    person = person_of(request)
    exercises = request.GET.get("exercises") == "1"  # real-world situations unless asked
    return render(
        request,
        "coordination/index.html",
        {
            "situations": selectors.situation_list(person=person, exercises=exercises),
            "exercises": exercises,
            "working_groups": selectors.working_groups(person=person),
            "queue_size": len(selectors.translation_queue(person=person)),
            "situation_form": form,
        },
        status=status,
    )


def _attempt(action: Callable[[], T]) -> tuple[T | None, ValidationError | PermissionDenied | None]:
    """Run a service; what it made, or why it refused."""
    try:
        return action(), None
    except (ValidationError, PermissionDenied) as error:
        return None, error


def _situation_form(person: Person, data: Any = None) -> SituationForm | None:
    organizations = policy.acting_organizations(person, Role.COORDINATOR)
    return SituationForm(data, organizations=organizations) if organizations else None


@login_required
@require_POST
def situation_open(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    form = _situation_form(person, request.POST)
    if form is None:
        raise PermissionDenied
    if form.is_valid():
        data = form.cleaned_data
        opened, error = _attempt(
            lambda: services.situation_open(
                actor=person,
                organization=data["organization"],
                title_ja=data["title_ja"],
                title_en=data["title_en"],
                kind=data["kind"],
                starts_at=data["starts_at"],
                place_name=data["place_name"],
                latitude=data["latitude"],
                longitude=data["longitude"],
            )
        )
        if opened is not None:
            messages.success(request, _("Situation opened."))
            return redirect("coordination:situation", situation_id=opened.public_id)
        assert error is not None
        put_errors(form, error)
    # Refused: the page again, each error beside its field, with what was typed.
    return _index(request, form, status=422)


def _request_forms(
    person: Person, bodies: list[Body], data: Any = None
) -> tuple[RequestForm, Any] | None:
    if not bodies:
        return None
    form = RequestForm(data, bodies=bodies, organizations=policy.acting_organizations(person))
    return form, LineFormSet(data, prefix="lines")


@login_required
@require_POST
def request_create(request: HttpRequest, situation_id: str) -> HttpResponse:
    person = person_of(request)
    situation = selectors.situation_get(person=person, public_id=situation_id)
    forms_ = _request_forms(
        person, selectors.postable_bodies(person=person, situation=situation), request.POST
    )
    if forms_ is None:
        raise PermissionDenied
    form, lines = forms_
    if form.is_valid() and lines.is_valid():
        data = form.cleaned_data
        filled = [i for i, line in enumerate(lines.cleaned_data) if any(line.values())]
        created, error = _attempt(
            lambda: services.request_create(
                actor=person,
                body=data["body"],
                requesting_organization=data["requesting_organization"],
                supporting_organization=data["supporting_organization"],
                summary=data["summary"],
                language=data["language"],
                place_name=data["place_name"],
                needed_by=data["needed_by"],
                priority=data["priority"],
                lines=[
                    services.LineInput(
                        category=line["category"].code if line.get("category") else "",
                        description=line.get("description", ""),
                        quantity=line.get("quantity"),
                        unit=line.get("unit", ""),
                    )
                    for line in (lines.cleaned_data[i] for i in filled)
                ],
            )
        )
        if created is not None:
            messages.success(request, _("Request drafted: submit it when it is complete."))
            return redirect("coordination:request", request_id=created.public_id)
        assert error is not None
        _put_line_errors(form, lines, filled, error)
    context = _situation_context(request, situation)
    context["request_forms"] = (form, lines)
    return render(request, "coordination/situation.html", context, status=422)


def _put_line_errors(
    form: RequestForm, lines: Any, filled: list[int], error: ValidationError | PermissionDenied
) -> None:
    """A refusal beside its fields: "lines.<n>.<field>" on the n-th line filled in."""
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        rest = {}
        for key, problems in error.message_dict.items():
            where = key.split(".")
            if len(where) == 3 and where[0] == "lines" and where[1].isdigit():
                index = int(where[1])
                line_form = lines.forms[filled[index]] if index < len(filled) else None
                if line_form is not None and where[2] in line_form.fields:
                    line_form.add_error(where[2], problems)
                    continue
            rest[key] = problems
        if not rest:
            return
        error = ValidationError(rest)
    put_errors(form, error)


def _log_body(request: HttpRequest, person: Person) -> Body | None:
    """The log's body filter from the URL (`?body=<code>`): a body the reader may read."""
    code = request.GET.get("body", "")
    return selectors.body_in_reach(person=person, code=code) if code else None


def _situation_context(request: HttpRequest, situation: Situation) -> dict[str, Any]:
    person = person_of(request)
    # One decision of what the reader sees serves the page's three lists of entries.
    reach = policy.log_reach(person)
    log_body = _log_body(request, person)
    # The log pages by its sequence, which counts hidden entries too: the cursor in the URL
    # is it sealed for the reader and this log (core.paging), so no gap shows.
    scope = selectors.log_scope(situation.public_id)
    before = paging.cursor(request.GET, reader=person.pk, scope=scope)
    entries = selectors.entries_page(
        person=person,
        situation=situation,
        before=before,
        limit=selectors.PAGE_SIZE + 1,
        reach=reach,
        body=log_body,
    )
    more, entries = len(entries) > selectors.PAGE_SIZE, entries[: selectors.PAGE_SIZE]
    postable = selectors.postable_bodies(person=person, situation=situation)
    series = selectors.resource_series(situation)
    return {
        "situation": situation,
        "in_force": selectors.designation_in_force(situation, timezone.now()),
        "designations": selectors.designations_of(situation),
        "bodies": selectors.bodies_of(person=person, situation=situation),
        "board": selectors.board(person=person, situation=situation, reach=reach),
        "awaiting_vetting": selectors.awaiting_vetting(
            person=person, situation=situation, reach=reach
        ),
        "entries": entries,
        "log_body": log_body.code if log_body else "",
        "pager": paging.KeysetPage(
            rows=entries,
            after=paging.seal_position(
                entries[-1].seq if more else None, reader=person.pk, scope=scope
            ),
            later=before is not None,
        ),
        "totals": sorted(selectors.resource_totals(series).items()),
        "resource_charts": charts.resources_views(situation, series, zones_for(person)[0]),
        "requests": selectors.requests_of(person=person, situation=situation),
        "entry_form": EntryForm(bodies=postable) if postable else None,
        "may_designate": situation.is_open
        and policy.designating_membership(person, situation) is not None,
        "may_close": situation.is_open and policy.may_manage_situation(person, situation),
        "designation_form": DesignationForm(),
        "close_form": CloseForm(),
        # Where the live stream starts, sealed for this reader (stream.py).
        "live_after": cursor_for(person, situation.public_id, situation.last_seq),
        "request_forms": _request_forms(person, postable),
        **_entry_actions(request, entries),
    }


@login_required
def log_export(request: HttpRequest, situation_id: str) -> StreamingHttpResponse:
    """The log as the page filters it, every page of it, as CSV (what the reader may read)."""
    person = person_of(request)
    situation = selectors.situation_get(person=person, public_id=situation_id)
    body = _log_body(request, person)
    payloads = selectors.log_export(
        person=person, situation_id=situation.public_id, body=body.code if body else None
    )
    writer = csv.writer(_Echo())
    columns = [
        "id", "number", "recorded_dtg", "event_dtg", "body", "author", "organization", "kind",
        "significant", "on_board", "language", "text", "translation", "level", "releasable_to",
    ]  # fmt: skip

    def rows() -> Iterator[str]:
        if situation.is_exercise:
            yield writer.writerow([EXERCISE_BANNER])  # opens the file, as every exercise export
        yield writer.writerow(columns)
        for p in payloads:
            marking = p["marking"]
            values = {**p, "level": marking["level"]}
            values["releasable_to"] = " ".join(marking["releasable_to"])
            yield writer.writerow([values[c] if values[c] is not None else "" for c in columns])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="log-{situation.reference}.csv"'
    return response


class _Echo:
    def write(self, value: str) -> str:
        return value


@login_required
def situation_detail(request: HttpRequest, situation_id: str) -> HttpResponse:
    situation = selectors.situation_get(person=person_of(request), public_id=situation_id)
    return render(request, "coordination/situation.html", _situation_context(request, situation))


@login_required
@require_POST
def entry_post(request: HttpRequest, situation_id: str) -> HttpResponse:
    person = person_of(request)
    situation = selectors.situation_get(person=person, public_id=situation_id)
    form = EntryForm(
        request.POST, bodies=list(selectors.bodies_of(person=person, situation=situation))
    )
    if form.is_valid():
        data = form.cleaned_data
        made, error = _attempt(
            lambda: services.entry_post(
                actor=person,
                body=data["body"],
                kind=data["kind"],
                text=data["text"],
                language=data["language"],
                event_at=data["event_at"],
                significant=data["significant"],
                marking=form.chosen_marking(),
            )
        )
        if made is not None:
            messages.success(request, _("Entry recorded."))
            return redirect("coordination:situation", situation_id=situation.public_id)
        assert error is not None
        put_errors(form, error)
    return _situation_refused(request, situation, entry_form=form)


def _situation_refused(
    request: HttpRequest,
    situation: Situation,
    error: ValidationError | PermissionDenied | None = None,
    **forms: Any,
) -> HttpResponse:
    """The situation page again, with the refused form bound: errors beside its fields. A
    person who may not act is shown no such form, so their refusal is a flash."""
    if isinstance(error, PermissionDenied):
        messages.error(request, str(error) or _("You do not have permission to do this."))
        return redirect("coordination:situation", situation_id=situation.public_id)
    context = _situation_context(request, situation) | forms
    return render(request, "coordination/situation.html", context, status=422)


def _entry_actions(request: HttpRequest, entries: Sequence[LogEntry]) -> dict[str, set[int]]:
    """What the reader may do on these entries: where they translate (liaison officers) and
    vet, by body; and what other apps put beneath an entry, set on it as `app_parts` — each
    app that names `log_entry_parts` on its AppConfig (`(request, entries) -> {entry pk:
    HTML}`; exercises: a delivered inject's acknowledge and answer). Coordination imports no
    app for it."""
    for entry in entries:
        entry.app_parts = []  # type: ignore[attr-defined]
    by_pk = {entry.pk: entry for entry in entries}
    for config in apps.get_app_configs():
        if entries and (path := getattr(config, "log_entry_parts", None)):
            for pk, html in import_string(path)(request, entries).items():
                by_pk[pk].app_parts.append(SafeString(html))  # type: ignore[attr-defined]
    person = person_of(request)
    return {
        "liaison_bodies": policy.bodies_where(person, Role.INFORMATION_MANAGER),
        "vetting_bodies": policy.bodies_where(person, Role.COORDINATOR),
    }


@login_required
def entry_row(request: HttpRequest, entry_id: str) -> HttpResponse:
    """One entry as the log shows it: what the live page fetches when an entry changes."""
    person = person_of(request)
    entry = selectors.entry_get(person=person, public_id=entry_id)
    context = {"entry": entry, **_entry_actions(request, [entry])}
    return render(request, "coordination/_entry.html", context)


@login_required
@require_POST
def entry_translate(request: HttpRequest, entry_id: str) -> HttpResponse:
    person = person_of(request)
    entry = selectors.entry_get(person=person, public_id=entry_id)
    form = forms.TranslationForm(request.POST)
    error: ValidationError | PermissionDenied | None = None
    if form.is_valid():
        made, error = _attempt(
            lambda: services.entry_translate(
                actor=person,
                entry=entry,
                text=form.cleaned_data["text"],
                language="en" if entry.language == "ja" else "ja",
            )
        )
        if made is not None:
            if request.htmx and _on_translation_queue(request):  # type: ignore[attr-defined]
                return HttpResponse("")  # translated: the entry leaves the queue
            return _entry_done(request, entry, _("Translation recorded."))
        assert error is not None
        put_errors(form, error)
    return _entry_refused(request, entry, error, translation_form=form)


def _on_translation_queue(request: HttpRequest) -> bool:
    """Whether an HTMX request was made from the translation queue's page."""
    current = urlsplit(request.htmx.current_url or "").path  # type: ignore[attr-defined]
    return current == reverse("coordination:translation_queue")


def _entry_done(request: HttpRequest, entry: LogEntry, done: str) -> HttpResponse:
    """After a write on an entry: from HTMX the entry as it is now, else back to the page."""
    if request.htmx:  # type: ignore[attr-defined]
        return entry_row(request, entry.public_id)
    messages.success(request, done)
    return back_to_next(
        request, reverse("coordination:situation", args=[entry.situation.public_id])
    )


def _entry_refused(
    request: HttpRequest,
    entry: LogEntry,
    error: ValidationError | PermissionDenied | None,
    **forms: Any,
) -> HttpResponse:
    """A refused write on an entry: the entry's form bound, errors beside its fields. From
    HTMX the entry alone (200: htmx swaps only successful responses); else the page the
    form was on again (the translation queue or the situation), 422. A person who may not
    act is shown no such form, so their refusal is a flash."""
    person = person_of(request)
    if isinstance(error, PermissionDenied):
        messages.error(request, str(error) or _("You do not have permission to do this."))
        return back_to_next(
            request, reverse("coordination:situation", args=[entry.situation.public_id])
        )
    refused = {"refused_entry": entry.public_id, **forms}
    if request.htmx:  # type: ignore[attr-defined]
        context = {"entry": entry, **_entry_actions(request, [entry]), **refused}
        return render(request, "coordination/_entry.html", context)
    if request.POST.get("next", "").startswith(reverse("coordination:translation_queue")):
        queue = selectors.translation_queue(person=person)
        context = {"entries": queue, **_entry_actions(request, queue), **refused}
        return render(request, "coordination/translation_queue.html", context, status=422)
    return _situation_refused(request, entry.situation, **refused)


@login_required
@require_POST
def entry_vet(request: HttpRequest, entry_id: str) -> HttpResponse:
    person = person_of(request)
    entry = selectors.entry_get(person=person, public_id=entry_id)
    made, error = _attempt(lambda: services.entry_vet(actor=person, entry=entry))
    if made is not None:
        return _entry_done(request, entry, _("Vetted for the board."))
    assert error is not None
    # Vetting takes no field: its refusal shows above the entry's forms.
    form = Form({})
    put_errors(form, error)
    return _entry_refused(request, entry, error, vet_form=form)


@login_required
@require_POST
def entry_event_time(request: HttpRequest, entry_id: str) -> HttpResponse:
    person = person_of(request)
    entry = selectors.entry_get(person=person, public_id=entry_id)
    form = EventTimeForm(request.POST)
    error: ValidationError | PermissionDenied | None = None
    if form.is_valid():
        made, error = _attempt(
            lambda: services.entry_set_event_time(
                actor=person,
                entry=entry,
                event_at=form.cleaned_data["event_at"],
                reason=form.cleaned_data["reason"],
            )
        )
        if made is not None:
            return _entry_done(request, entry, _("Event time changed; the previous time is kept."))
        assert error is not None
        put_errors(form, error)
    return _entry_refused(request, entry, error, event_time_form=form)


@login_required
@require_POST
def designate(request: HttpRequest, situation_id: str, action: str) -> HttpResponse:
    if action not in ("add", "change", "end"):
        raise Http404
    person = person_of(request)
    situation = selectors.situation_get(person=person, public_id=situation_id)
    form = DesignationForm(request.POST)
    if action == "end":
        form.fields["situation_type"].required = False
    at_name = "starts_at" if action == "add" else "at"
    error: ValidationError | PermissionDenied | None = None
    if form.is_valid():
        if action == "end":
            made, error = _attempt(
                lambda: services.designation_end(
                    actor=person, situation=situation, at=form.cleaned_data["at"]
                )
            )
        else:
            service = services.designation_add if action == "add" else services.designation_change
            made, error = _attempt(
                lambda: service(
                    actor=person,
                    situation=situation,
                    situation_type=form.cleaned_data["situation_type"],
                    **{at_name: form.cleaned_data["at"]},
                )
            )
        if made is not None:
            messages.success(
                request, _("Designation ended.") if action == "end" else _("Designation recorded.")
            )
            return redirect("coordination:situation", situation_id=situation.public_id)
        assert error is not None
        put_errors(form, error, {"starts_at": "at", "ends_at": "at"})
    return _situation_refused(request, situation, error, designation_form=form)


@login_required
@require_POST
def situation_close(request: HttpRequest, situation_id: str) -> HttpResponse:
    person = person_of(request)
    situation = selectors.situation_get(person=person, public_id=situation_id)
    form = CloseForm(request.POST)
    error: ValidationError | PermissionDenied | None = None
    if form.is_valid():
        made, error = _attempt(
            lambda: services.situation_close(
                actor=person, situation=situation, text=form.cleaned_data["text"]
            )
        )
        if made is not None:
            messages.success(request, _("The situation is closed."))
            return redirect("coordination:situation", situation_id=situation.public_id)
        assert error is not None
        put_errors(form, error)
    return _situation_refused(request, situation, error, close_form=form)


@login_required
def requests_panel(request: HttpRequest, situation_id: str) -> HttpResponse:
    person = person_of(request)
    situation = selectors.situation_get(person=person, public_id=situation_id)
    return render(
        request,
        "coordination/_requests.html",
        {"requests": selectors.requests_of(person=person, situation=situation)},
    )


def _progress_forms(
    person: Person, support_request: SupportRequest, bound: ProgressForm | None = None
) -> list[tuple[Any, ProgressForm]]:
    """Each line with its progress form, filled with what is recorded (or, for the line just
    refused, with what was typed); none where the person may not record progress."""
    if not policy.may_record_progress(person, support_request):
        return []
    return [
        (
            line,
            bound
            if bound is not None and bound.prefix == f"line-{line.public_id}"
            else ProgressForm(
                prefix=f"line-{line.public_id}",
                initial={
                    "committed": line.committed,
                    "in_transit": line.in_transit,
                    "fulfilled": line.fulfilled,
                },
            ),
        )
        for line in support_request.lines.all()
    ]


def _request_context(
    person: Person, support_request: SupportRequest, **forms: Any
) -> dict[str, Any]:
    """The request's page; `forms` are the refused ones, bound (errors beside their fields,
    what was typed kept), in place of the empty ones."""
    return {
        "req": support_request,
        "progress_forms": _progress_forms(person, support_request, forms.pop("progress", None)),
        "actions": policy.request_actions(person, support_request),
        "acsa_order": selectors.acsa_order_shown(person=person, request=support_request),
        "steps_form": Form(),
        "reason_form": ReasonForm(),
        "acsa_form": AcsaOrderForm(support_request),
        **forms,
    }


def _request_refused(
    request: HttpRequest, support_request: SupportRequest, partial: str, **forms: Any
) -> HttpResponse:
    """A refused write on a request: from HTMX the card it was made on (200: htmx swaps only
    successful responses), else the whole page again (422)."""
    context = _request_context(person_of(request), support_request, **forms)
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, partial, context)
    return render(request, "coordination/request.html", context, status=422)


def _request_done(request: HttpRequest, target: str, done: str) -> HttpResponse:
    """After a write on a request: the page it leads to (from HTMX, htmx goes there)."""
    messages.success(request, done)
    if request.htmx:  # type: ignore[attr-defined]
        return HttpResponseClientRedirect(target)
    return redirect(target)


@login_required
def request_detail(request: HttpRequest, request_id: str) -> HttpResponse:
    person = person_of(request)
    support_request = selectors.request_get(person=person, public_id=request_id)
    return render(request, "coordination/request.html", _request_context(person, support_request))


@login_required
@require_POST
def request_line_progress(request: HttpRequest, request_id: str, line_id: str) -> HttpResponse:
    """One line's progress from the request's page, through the service the API uses. From
    HTMX the lines' card comes back (errors beside their fields, what was typed kept)."""
    person = person_of(request)
    support_request = selectors.request_get(person=person, public_id=request_id)
    line = get_public_or_404(support_request.lines.all(), line_id)
    form = ProgressForm(request.POST, prefix=f"line-{line.public_id}")
    if form.is_valid():
        error = _attempt(
            lambda: services.request_progress(
                actor=person, request=support_request, line_id=line.pk, **form.cleaned_data
            )
        )[1]
        if error is None:
            if not request.htmx:  # type: ignore[attr-defined]
                messages.success(request, _("Progress recorded."))
                return redirect("coordination:request", request_id=support_request.public_id)
            support_request = selectors.request_get(person=person, public_id=request_id)
            context = _request_context(person, support_request)
            return render(request, "coordination/_request_lines.html", context)
        put_errors(form, error)
    return _request_refused(
        request, support_request, "coordination/_request_lines.html", progress=form
    )


REQUEST_ACTIONS: dict[str, Callable[..., SupportRequest]] = {
    **services.SIMPLE_STEPS,
    "accept": services.request_accept,
}


def _request_step(
    action: str, actor: Person, support_request: SupportRequest, reason: str
) -> SupportRequest:
    if action == "decline":
        return services.request_decline(actor=actor, request=support_request, reason=reason)
    if action == "escalate":
        return services.request_escalate(actor=actor, request=support_request, note=reason)
    return REQUEST_ACTIONS[action](actor=actor, request=support_request)


@login_required
@require_POST
def request_action(request: HttpRequest, request_id: str, action: str) -> HttpResponse:
    """A step of the request's life. Decline and escalate take a reason (refused beside it);
    the other steps take nothing, so their refusal shows above their buttons."""
    person = person_of(request)
    support_request = selectors.request_get(person=person, public_id=request_id)
    if action not in ("decline", "escalate", *REQUEST_ACTIONS):
        raise Http404
    form: Form = ReasonForm(request.POST) if action in ("decline", "escalate") else Form({})
    error: ValidationError | PermissionDenied | None = None
    if form.is_valid():
        reason = form.cleaned_data.get("reason", "")
        made, error = _attempt(lambda: _request_step(action, person, support_request, reason))
        if made is not None:
            done = {"decline": _("Request declined."), "escalate": _("Request escalated.")}
            return _request_done(
                request,
                reverse("coordination:request", args=[support_request.public_id]),
                done.get(action, _("Request updated.")),
            )
        assert error is not None
        put_errors(form, error, {"note": "reason"})
    name = "reason_form" if isinstance(form, ReasonForm) else "steps_form"
    return _request_refused(
        request, support_request, "coordination/_request_actions.html", **{name: form}
    )


@login_required
@require_POST
def request_acsa_order(request: HttpRequest, request_id: str) -> HttpResponse:
    """The form beside a request: its unit prices and terms make it an ACSA order."""
    person = person_of(request)
    support_request = selectors.request_get(person=person, public_id=request_id)
    form = AcsaOrderForm(support_request, request.POST)
    if form.is_valid():
        order, error = _attempt(
            lambda: services.request_to_order(actor=person, request=support_request, **form.terms())
        )
        if order is not None:
            return _request_done(
                request,
                reverse("acsa:order", args=[order.public_id]),
                _("The request is now an ACSA order."),
            )
        assert error is not None
        put_errors(form, error)
    return _request_refused(
        request, support_request, "coordination/_request_acsa.html", acsa_form=form
    )


@login_required
@guarded_by(policy.may_translate_entries)
def translation_queue(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    entries = selectors.translation_queue(person=person)
    return render(
        request,
        "coordination/translation_queue.html",
        {"entries": entries, **_entry_actions(request, entries)},
    )


@login_required
@guarded_by(policy.may_view_working_group)
def working_group(request: HttpRequest, code: str) -> HttpResponse:
    body = selectors.working_group_get(person=person_of(request), code=code)
    return render(
        request,
        "coordination/working_group.html",
        {"body": body, "meetings": selectors.meetings_of(body)},
    )


@login_required
def resources_chart(request: HttpRequest, situation_id: str, measure: str) -> HttpResponse:
    """One measure's chart (personnel, ships or aircraft), drawn for the reader."""
    person = person_of(request)
    situation = selectors.situation_get(person=person, public_id=situation_id)
    if measure not in charts.MEASURES:
        raise Http404
    series = selectors.resource_series(situation)
    svg = charts.resources_svg(situation, series, measure, zones_for(person)[0])
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Cache-Control"] = "private, no-cache"
    return response
