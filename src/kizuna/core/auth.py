"""Log-in rules: Argon2 passwords (settings), and demo people only in demo mode."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.db.models import Prefetch
from django.http import HttpRequest

from .models import Membership, Person


class PersonBackend(ModelBackend):
    def user_can_authenticate(self, user: Any) -> bool:
        if isinstance(user, Person) and user.is_demo and not settings.DEMO_MODE:
            return False
        return super().user_can_authenticate(user)

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Person | None:
        user = super().authenticate(request, username=username, password=password, **kwargs)
        return user if isinstance(user, Person) else None

    def get_user(self, user_id: int) -> Person | None:
        """The signed-in person with their memberships, so each request reads roles once."""
        person = (
            Person.objects.prefetch_related(
                Prefetch("memberships", Membership.objects.select_related("organization"))
            )
            .filter(pk=user_id)
            .first()
        )
        return person if person is not None and self.user_can_authenticate(person) else None


def person_of(request: HttpRequest) -> Person:
    """The signed-in person behind a page or API request that required one."""
    user = request.user
    assert isinstance(user, Person)
    return user
