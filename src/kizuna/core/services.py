"""Every write in the core app: one function per action, atomic, audited."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import access
from .audit import record_event
from .models import (
    ApiToken,
    Membership,
    Nation,
    Organization,
    Person,
    Role,
    validate_time_zones,
)

TOKEN_PREFIX = "kz_"


def token_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str


@transaction.atomic
def person_set_preferences(
    *, person: Person, language: str | None = None, time_zones: list[str] | None = None
) -> Person:
    before = {"language": person.language, "time_zones": person.time_zones}
    if language is not None:
        if language not in Person.Language.values:
            raise ValidationError({"language": _("Choose Japanese or English.")})
        person.language = language
    if time_zones is not None:
        try:
            validate_time_zones(time_zones)
        except ValidationError as error:
            raise ValidationError({"time_zones": error.messages}) from None
        # Keep the order chosen, drop repeats.
        person.time_zones = list(dict.fromkeys(time_zones))
    person.save(update_fields=["language", "time_zones"])
    record_event(
        actor=person,
        action="person.preferences",
        obj=person,
        before=before,
        after={"language": person.language, "time_zones": person.time_zones},
    )
    return person


@transaction.atomic
def token_issue(*, person: Person, label: str) -> IssuedToken:
    label = label.strip()
    if not label or len(label) > 80:
        raise ValidationError({"label": _("Give the token a label of 1 to 80 characters.")})
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        person=person, label=label, prefix=secret[:10], digest=token_digest(secret)
    )
    record_event(actor=person, action="token.issue", obj=token, after={"label": label})
    return IssuedToken(token=token, secret=secret)


@transaction.atomic
def token_revoke(*, person: Person, token_id: str) -> ApiToken:
    """Revoke one of the person's tokens, named by its public id."""
    token = ApiToken.objects.select_for_update().get(
        public_id=token_id, person=person, revoked_at__isnull=True
    )
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record_event(actor=person, action="token.revoke", obj=token)
    return token


def token_authenticate(secret: str) -> Person | None:
    """The person behind a live token, or None; marks the token as used."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("person")
        .filter(digest=token_digest(secret), revoked_at__isnull=True, person__is_active=True)
        .first()
    )
    if token is None or (token.person.is_demo and not settings.DEMO_MODE):
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.person


def _update_audited(
    instance: Organization | Person,
    values: dict[str, object],
    *,
    actor: Person | None,
    action: str,
) -> None:
    """Apply the values that differ and record them before and after; nothing if none do."""
    changes = {k: v for k, v in values.items() if getattr(instance, k) != v}
    if not changes:
        return
    before = {k: getattr(instance, k) for k in changes}
    for key, value in changes.items():
        setattr(instance, key, value)
    instance.full_clean()
    instance.save()
    record_event(
        actor=actor,
        action=action,
        obj=instance,
        before=_audit_values(before),
        after=_audit_values(changes),
    )


@transaction.atomic
def organization_save(
    *,
    actor: Person | None,
    code: str,
    name_ja: str,
    name_en: str,
    nation: Nation,
    kind: str,
    short_name: str = "",
    parent: Organization | None = None,
) -> Organization:
    """Create or update an organization by its code; audited only when something changed."""
    values: dict[str, object] = {
        "name_ja": name_ja,
        "name_en": name_en,
        "short_name": short_name,
        "nation": nation,
        "kind": kind,
        "parent": parent,
    }
    organization = Organization.objects.filter(code=code).first()
    if organization is None:
        organization = Organization(code=code, **values)
        organization.full_clean()
        organization.save()
        record_event(
            actor=actor, action="organization.create", obj=organization, after=_audit_values(values)
        )
        return organization
    _update_audited(organization, values, actor=actor, action="organization.update")
    return organization


def _audit_values(values: dict[str, object]) -> dict[str, object]:
    """Model instances are recorded by primary key."""
    return {k: getattr(v, "pk", v) for k, v in values.items()}


@transaction.atomic
def person_save(
    *,
    actor: Person | None,
    username: str,
    display_name_ja: str,
    display_name_en: str,
    language: str,
    time_zones: list[str],
    password: str | None = None,
    is_demo: bool = False,
) -> Person:
    """Create or update a person by user name; a password is set only when they have none."""
    values: dict[str, object] = {
        "display_name_ja": display_name_ja,
        "display_name_en": display_name_en,
        "language": language,
        "time_zones": time_zones,
        "is_demo": is_demo,
    }
    validate_time_zones(time_zones)
    person = Person.objects.filter(username=username).first()
    if person is None:
        person = Person(username=username, **values)
        if password:
            person.set_password(password)
        else:
            person.set_unusable_password()
        person.save()
        record_event(actor=actor, action="person.create", obj=person, after=values)
        return person
    _update_audited(person, values, actor=actor, action="person.update")
    return person


@transaction.atomic
def membership_grant(
    *,
    actor: Person | None,
    person: Person,
    organization: Organization,
    role: str,
    position: str = "",
) -> Membership:
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    membership, created = Membership.objects.get_or_create(
        person=person, organization=organization, role=role, defaults={"position": position}
    )
    if created:
        record_event(
            actor=actor,
            action="membership.grant",
            obj=membership,
            after={
                "person": person.pk,
                "organization": organization.code,
                "role": role,
                "position": position,
            },
        )
    elif membership.position != position:
        before = membership.position
        membership.position = position
        membership.save(update_fields=["position"])
        record_event(
            actor=actor,
            action="membership.update",
            obj=membership,
            before={"position": before},
            after={"position": position},
        )
    return membership


@transaction.atomic
def database_restored(*, source: str, whole: bool) -> None:
    """After a restore: a new access token, so that no server process gives an answer it
    remembered from before, and the restore on the audit chain."""
    access.redraw_token()
    record_event(
        actor=None,
        action="database.restore",
        object_type="database",
        after={"backup": source, "checks_passed": whole},
    )
