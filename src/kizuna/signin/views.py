"""Sign-in pages after the password: proving or enrolling the second factor, the settings
section (second factor, recovery codes, open sessions), changing the password, and the
sign-in page as a lockout shows it."""

from __future__ import annotations

from base64 import b32encode
from typing import Any

import django_otp
import segno
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from kizuna.core.auth import person_of
from kizuna.core.forms import LoginForm
from kizuna.core.views import preferences_page

from . import selectors, services
from .forms import CodeForm
from .middleware import second_factor_due
from .receivers import SECOND_FACTOR_DUE
from .throttle import SignInAttempts

# The authenticator key offered on the enrolment page, until the person's app proves it.
PENDING_KEY = "kizuna_authenticator_key"


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME, "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


def _verified(request: HttpRequest, device: Any) -> None:
    django_otp.login(request, device)
    request.session[SECOND_FACTOR_DUE] = False


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: a code from the authenticator app or a recovery code."""
    person = person_of(request)
    if not second_factor_due(request):
        return redirect(_next_url(request))
    form = CodeForm(request.POST or None)
    retry_at = None
    if request.method == "POST" and form.is_valid():
        try:
            device = services.second_factor_verify(person=person, code=form.cleaned_data["code"])
        except services.SecondFactorRefused as refusal:
            form.add_error("code", refusal.messages)
            retry_at = refusal.retry_at
        else:
            _verified(request, device)
            if not isinstance(device, TOTPDevice):
                left = selectors.second_factor_of(person).recovery_codes_left
                messages.warning(
                    request,
                    _(
                        "You signed in with a recovery code; %(left)s are left. Issue new "
                        "ones from your settings if you are running low."
                    )
                    % {"left": left},
                )
            return redirect(_next_url(request))
    return render(
        request,
        "signin/verify.html",
        {"form": form, "retry_at": retry_at, "next": _next_url(request)},
        status=400 if form.errors else 200,
    )


def _qr_svg(device: TOTPDevice) -> str:
    return segno.make(device.config_url, error="m").svg_inline(
        scale=4, border=2, light="#fff", title=_("QR code for your authenticator app")
    )


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@login_required
def enrol(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: a QR code and the same secret as text; the code the app
    then shows proves it, and the recovery codes are shown once."""
    person = person_of(request)
    if second_factor_due(request) and selectors.has_second_factor(person):
        # Someone holding only the password must not replace the second factor.
        return redirect(f"{reverse('signin:verify')}?{request.GET.urlencode()}")
    key = request.session.get(PENDING_KEY) or services.new_authenticator_key()
    request.session[PENDING_KEY] = key
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            issued = services.authenticator_enrol(
                person=person, key=key, code=form.cleaned_data["code"]
            )
        except ValidationError as error:
            form.add_error("code", error.messages)
        else:
            del request.session[PENDING_KEY]
            _verified(request, TOTPDevice.objects.get(user=person))
            return _recovery_codes_page(request, issued, enrolled=True)
    device = TOTPDevice(user=person, key=key)
    return render(
        request,
        "signin/enrol.html",
        {
            "form": form,
            "qr": _qr_svg(device),
            "secret": _grouped(b32encode(device.bin_key).decode()),
            "required": selectors.second_factor_of(person).required,
            "next": _next_url(request),
        },
        status=400 if form.errors else 200,
    )


def _recovery_codes_page(
    request: HttpRequest, issued: services.IssuedRecoveryCodes, *, enrolled: bool
) -> HttpResponse:
    return render(
        request,
        "signin/recovery_codes.html",
        {"issued": issued, "enrolled": enrolled, "next": _next_url(request)},
    )


@login_required
@require_POST
def recovery_codes(request: HttpRequest) -> HttpResponse:
    try:
        issued = services.recovery_codes_issue(person=person_of(request))
    except ValidationError as error:
        return _settings_refused(request, error)
    return _recovery_codes_page(request, issued, enrolled=False)


@login_required
@require_POST
def turn_off(request: HttpRequest) -> HttpResponse:
    try:
        services.second_factor_turn_off(person=person_of(request))
    except ValidationError as error:
        return _settings_refused(request, error)
    messages.success(request, _("The second factor is turned off."))
    return redirect("core:preferences")


def _settings_refused(request: HttpRequest, error: ValidationError) -> HttpResponse:
    """The settings page again, the second factor's section saying why above its buttons."""
    request.second_factor_refused = error.messages  # type: ignore[attr-defined]
    return preferences_page(request, status=422)


@login_required
@require_POST
def end_everywhere(request: HttpRequest) -> HttpResponse:
    count = services.sessions_end_everywhere(person=person_of(request))
    logout(request)
    messages.success(
        request, _("You are signed out everywhere (%(count)s sessions ended).") % {"count": count}
    )
    return redirect(settings.LOGIN_URL)


@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    form = PasswordChangeForm(person, request.POST or None)
    if request.method == "POST" and form.is_valid():
        kept = request.session.session_key
        services.password_change(
            person=person, new_password=form.cleaned_data["new_password1"], keep_session=kept
        )
        update_session_auth_hash(request, person)  # issues this session a new key
        services.session_rekeyed(old=kept, new=request.session.session_key)
        messages.success(request, _("Your password is changed; your other sessions have ended."))
        return redirect("core:preferences")
    return render(
        request, "signin/password.html", {"form": form}, status=400 if form.errors else 200
    )


def settings_panel(request: HttpRequest) -> str:
    """The sign-in section of the settings page."""
    person = person_of(request)
    return render_to_string(
        "signin/_settings.html",
        {
            "second_factor": selectors.second_factor_of(person),
            "refused": getattr(request, "second_factor_refused", ()),
            "sessions": selectors.sessions_of(person),
            "this_session": request.session.session_key,
        },
        request=request,
    )


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    """The sign-in page again, saying kindly what is locked and when it opens (django-axes
    calls this for every refused attempt, the right password included)."""
    attempts = AxesProxyHandler.get_implementation()
    assert isinstance(attempts, SignInAttempts)
    lock = attempts.lock(request, credentials)
    # Unbound: validating it again would be one more sign-in attempt.
    form = LoginForm(request, initial={"username": request.POST.get("username", "")})
    return render(
        request,
        "core/login.html",
        {
            "form": form,
            "lock": lock,
            "next": request.POST.get(REDIRECT_FIELD_NAME, ""),
        },
        status=429,
    )
