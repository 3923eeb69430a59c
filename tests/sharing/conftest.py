"""A fixed cast for the sharing tests: people of both nations with clearances, and a helper
that shares an item as its originator would."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from kizuna.core.models import Membership, Organization, Person, Role
from kizuna.sharing import services
from kizuna.sharing.models import SharedItem
from kizuna.sharing.services import Marking


@pytest.fixture
def cleared(db: None) -> Callable[..., Person]:
    """A person of `nation` holding `role`, cleared at `level` with caveats and communities.
    No password (the tests sign in with force_login), so no slow hashing."""

    def make(
        username: str,
        *,
        nation: str = "JPN",
        level: str = "jpn-j1",
        role: str = Role.COORDINATOR,
        org: str | None = None,
        caveats: tuple[str, ...] = (),
        communities: tuple[str, ...] = (),
        language: str = "ja",
    ) -> Person:
        person = Person.objects.create(username=username, language=language)
        code = org or f"{nation.lower()}-unit"
        organization, _ = Organization.objects.get_or_create(
            code=code,
            defaults={"name_ja": code, "name_en": code, "kind": "other", "nation_id": nation},
        )
        Membership.objects.create(person=person, organization=organization, role=role)
        services.clearance_grant(
            actor=None, person=person, level=level, caveats=caveats, communities=communities
        )
        return person

    return make


@pytest.fixture
def jp_info(cleared: Callable[..., Person]) -> Person:
    return cleared(
        "jp-im",
        level="jpn-j3",
        role=Role.INFORMATION_MANAGER,
        caveats=("originator-controlled", "no-copies", "exercise-only"),
        communities=("scwg", "cdpwg", "bmd", "joint-isr", "maritime-watch"),
    )


@pytest.fixture
def us_info(cleared: Callable[..., Person]) -> Person:
    return cleared(
        "us-im",
        nation="USA",
        level="usa-u3",
        role=Role.INFORMATION_MANAGER,
        caveats=("originator-controlled", "no-copies", "exercise-only"),
        communities=("scwg", "cdpwg", "bmd", "joint-isr", "maritime-watch"),
        language="en",
    )


@pytest.fixture
def share() -> Callable[..., SharedItem]:
    def make(
        author: Person,
        title: str = "共有報告",
        *,
        level: str = "jpn-j1",
        releasable_to: tuple[str, ...] = ("JPN", "USA"),
        caveats: tuple[str, ...] = (),
        communities: tuple[str, ...] = (),
        body: str = "",
        language: str = "ja",
        kind: str = SharedItem.Kind.REPORT,
        domain: str = "space",
        **extra: Any,
    ) -> SharedItem:
        return services.item_create(
            person=author,
            kind=kind,
            domain=domain,
            originator=author.memberships.first().organization,  # type: ignore[union-attr]
            original_language=language,
            title=title,
            body=body,
            marking=Marking(level, releasable_to, caveats, communities),
            **extra,
        )

    return make
