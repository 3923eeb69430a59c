"""Core pages: sign-in, home, the organization directory and rosters, settings, audit."""

from __future__ import annotations

import csv
from collections.abc import Iterator

from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.module_loading import import_string
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from . import policy, selectors, services
from .auth import person_of
from .forms import LoginForm, PreferencesForm, TokenForm
from .health import health
from .models import ApiToken, Person
from .navigation import guarded_by
from .paging import keyset_page


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


def _app_panels(request: HttpRequest, attribute: str) -> list[SafeString]:
    """What the apps put on a core page: `home_panel` (a person's first page) or
    `settings_panel` (their settings page) on their AppConfig."""
    panels = []
    for config in apps.get_app_configs():
        if path := getattr(config, attribute, None):
            html = import_string(path)(request)
            if html:
                panels.append(SafeString(html))
    return panels


@login_required
def home(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    return render(
        request,
        "core/home.html",
        {
            "memberships": selectors.memberships_of(person),
            "panels": _app_panels(request, "home_panel"),
        },
    )


@login_required
def home_panels(request: HttpRequest) -> HttpResponse:
    """The home page's panels alone, which the page asks for again every 30 seconds."""
    return render(request, "core/_home_panels.html", {"panels": _app_panels(request, "home_panel")})


@login_required
def organization_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "core/organization_list.html",
        {"organizations": selectors.organization_list()},
    )


@login_required
@guarded_by(policy.may_view_roster)
def organization_roster(request: HttpRequest, code: str) -> HttpResponse:
    organization, members = selectors.roster(person=person_of(request), code=code)
    return render(
        request,
        "core/organization_roster.html",
        {"organization": organization, "members": members},
    )


def _preferences_of(person: Person) -> dict[str, object]:
    return {
        "language": person.language,
        "home_zone": person.time_zones[0],
        "other_zones": person.time_zones[1:],
    }


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    form = PreferencesForm(request.POST or None, initial=_preferences_of(person))
    if request.method == "POST" and form.is_valid():
        services.person_set_preferences(
            person=person, language=form.cleaned_data["language"], time_zones=form.time_zones()
        )
        translation.activate(person.language)
        messages.success(request, _("Your settings are saved."))
        return redirect("core:preferences")
    return preferences_page(request, form)


def preferences_page(
    request: HttpRequest, form: PreferencesForm | None = None, *, status: int = 200
) -> HttpResponse:
    """The settings page; also how an app shows it again after refusing an action of its
    panel (422, the panel saying why above the button it refused)."""
    person = person_of(request)
    form = form or PreferencesForm(initial=_preferences_of(person))
    return render(
        request,
        "core/preferences.html",
        {
            "form": form,
            "token_form": TokenForm(),
            "tokens": selectors.tokens_of(person),
            "panels": _app_panels(request, "settings_panel"),
        },
        status=status,
    )


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """The language switch in the header: remembered on the person and in a cookie."""
    language = request.POST.get("language", "")
    if language not in Person.Language.values:
        language = translation.get_language() or "ja"
    if request.user.is_authenticated:
        services.person_set_preferences(person=person_of(request), language=language)
    translation.activate(language)
    next_url = request.POST.get("next") or "/"
    if not next_url.startswith("/") or next_url.startswith("//"):
        next_url = "/"
    response = redirect(next_url)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        secure=settings.LANGUAGE_COOKIE_SECURE,
    )
    return response


@login_required
@require_POST
def token_issue(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    form = TokenForm(request.POST)
    issued = None
    if form.is_valid():
        try:
            issued = services.token_issue(person=person, label=form.cleaned_data["label"])
            form = TokenForm()
        except ValidationError as error:
            form.add_error(None, error)
    return render(
        request,
        "core/_tokens.html",
        {"token_form": form, "tokens": selectors.tokens_of(person), "issued": issued},
    )


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: str) -> HttpResponse:
    person = person_of(request)
    try:
        services.token_revoke(person=person, token_id=token_id)
    except ApiToken.DoesNotExist:
        raise Http404 from None
    return render(
        request,
        "core/_tokens.html",
        {"token_form": TokenForm(), "tokens": selectors.tokens_of(person)},
    )


@login_required
@guarded_by(policy.may_view_audit)
def audit_log(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    events = selectors.audit_events(person=person, filters=request.GET)
    return render(
        request,
        "core/audit_log.html",
        {
            "pager": keyset_page(events, request.GET, reader=person.pk),
            "filters": {key: request.GET.get(key, "") for key in selectors.AUDIT_FILTERS},
            "check": selectors.chain_check(person=person) if request.GET.get("verify") else None,
        },
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


@login_required
@guarded_by(policy.may_view_audit)
def audit_export(request: HttpRequest) -> StreamingHttpResponse:
    """What the audit page shows under its filters, every page of it, as CSV."""
    events = selectors.audit_events(person=person_of(request), filters=request.GET)
    writer = csv.writer(_Echo())

    def rows() -> Iterator[str]:
        # No hash: beside a visible event's content it would tell whether a hidden event
        # sits between two visible ones (docs/security.md).
        yield writer.writerow(["id", "at", "actor", "action", "object_type", "object_id"])
        for e in events.iterator(chunk_size=500):
            actor = e.actor.username if e.actor else ""
            yield writer.writerow(
                [e.pk, e.at.isoformat(), actor, e.action, e.object_type, e.object_id]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="audit.csv"'
    return response


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """200 when this process can serve (the database answers, every migration is applied),
    503 otherwise; the task worker's heartbeat is reported beside (kizuna.core.health)."""
    report = health()
    return JsonResponse(report.as_json(), status=200 if report.serving else 503)
