"""Guessing passwords: django-axes counts failed sign-ins per account and per address, each
against its own limit (settings.SIGNIN_ACCOUNT_FAILURE_LIMIT, SIGNIN_ADDRESS_FAILURE_LIMIT),
over the cool-off window. An address gets a higher limit than an account: many people may
sign in through one proxy, while one account has one owner.

Axes compares a single count with a single limit (AXES_FAILURE_LIMIT), so this handler
answers its count in per cent of the way to the nearer of the two limits, and the limit is 100.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off, get_lockout_parameters
from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest

from .services import lockout_record


def _limits() -> dict[str, int]:
    return {
        "username": settings.SIGNIN_ACCOUNT_FAILURE_LIMIT,
        "ip_address": settings.SIGNIN_ADDRESS_FAILURE_LIMIT,
    }


@dataclass(frozen=True)
class Lock:
    """What is locked (the account, the address or both) and when the last lock lifts."""

    locked: list[str]
    until: datetime | None


class SignInAttempts(AxesDatabaseHandler):
    def _counted(
        self, request: HttpRequest, credentials: dict | None
    ) -> list[tuple[str, QuerySet]]:
        parameters = get_lockout_parameters(request, credentials)
        attempts = self.get_user_attempts(request, credentials)
        return [(str(p), a) for p, a in zip(parameters, attempts, strict=True)]

    def get_failures(self, request: HttpRequest, credentials: dict | None = None) -> int:
        limits = _limits()
        share = 0
        for parameter, attempts in self._counted(request, credentials):
            failures = sum(a.failures_since_start for a in attempts)
            share = max(share, 100 * failures // limits[parameter])
        return share

    def lock(self, request: HttpRequest, credentials: dict | None) -> Lock:
        """Which counts are at their limit, and when the oldest failures that hold the lock
        have left the cool-off window."""
        cool_off = get_cool_off(request)
        limits = _limits()
        locked, until = [], None
        for parameter, attempts in self._counted(request, credentials):
            rows = sorted(attempts, key=lambda a: a.attempt_time)
            remaining = sum(a.failures_since_start for a in rows)
            if remaining < limits[parameter]:
                continue
            locked.append("account" if parameter == "username" else "address")
            for row in rows:
                remaining -= row.failures_since_start
                if remaining < limits[parameter]:
                    lifts = row.attempt_time + cool_off if cool_off else None
                    if lifts is not None and (until is None or lifts > until):
                        until = lifts
                    break
        return Lock(locked=locked, until=until)

    def user_login_failed(
        self, sender: Any, credentials: dict, request: HttpRequest | None = None, **kwargs: Any
    ) -> None:
        already_locked = bool(getattr(request, "axes_locked_out", False))
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is not None and request.axes_locked_out and not already_locked:  # type: ignore[attr-defined]
            lockout_record(
                username=str(credentials.get("username") or ""),
                address=request.axes_ip_address,  # type: ignore[attr-defined]
                locked=self.lock(request, credentials).locked,
            )
