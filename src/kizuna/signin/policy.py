"""Who must prove a second factor at sign-in: the one place this is decided."""

from __future__ import annotations

from django.conf import settings

from kizuna.core.models import Person, Role

# People who administer, audit, manage information, or sign and move ACSA orders.
SECOND_FACTOR_ROLES = frozenset(
    {
        Role.ADMINISTRATOR,
        Role.AUDITOR,
        Role.INFORMATION_MANAGER,
        Role.ORDERING_OFFICIAL,
        Role.APPROVING_OFFICIAL,
        Role.LOGISTICS_OFFICER,
    }
)


def second_factor_required(person: Person) -> bool:
    """Required by role (or superuser); waived for demo people while the demo runs, so that
    `make run` signs in with the password alone (docs/security.md, "Sign-in")."""
    if person.is_demo and settings.DEMO_MODE:
        return False
    return person.is_superuser or any(
        m.role in SECOND_FACTOR_ROLES for m in person.membership_rows()
    )


def may_turn_off_second_factor(person: Person) -> bool:
    return not second_factor_required(person)
