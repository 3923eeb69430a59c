"""Sign-in and sign-out as Django announces them: the session is remembered (so that it can
be ended from anywhere), and a person with a second factor owes it from this moment."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver
from django.http import HttpRequest

from kizuna.core.models import Person

from . import selectors, services

# Set at sign-in when the person has a second factor; the gate asks for it until proven.
SECOND_FACTOR_DUE = "kizuna_second_factor_due"


@receiver(user_logged_in, dispatch_uid="kizuna.signin.opened")
def on_signed_in(sender: Any, request: HttpRequest, user: Person, **kwargs: Any) -> None:
    if request is None or not hasattr(request, "session"):
        return
    request.session[SECOND_FACTOR_DUE] = selectors.has_second_factor(user)
    if request.session.session_key is None:
        request.session.save()
    services.session_opened(
        person=user,
        session_key=str(request.session.session_key),
        address=getattr(request, "axes_ip_address", None) or request.META.get("REMOTE_ADDR"),
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
    )


@receiver(user_logged_out, dispatch_uid="kizuna.signin.closed")
def on_signed_out(sender: Any, request: HttpRequest, user: Person | None, **kwargs: Any) -> None:
    if request is not None and getattr(request, "session", None) and request.session.session_key:
        services.session_closed(session_key=request.session.session_key)
