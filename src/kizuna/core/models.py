"""Nations, organizations, people and their roles, API tokens, and the audit chain."""

from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from .public_ids import PublicIdentified


class BilingualName(models.Model):
    """A record named in both languages; `name` answers in the reader's language."""

    name_ja = models.CharField(_("name (Japanese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_ja if (get_language() or "ja").startswith("ja") else self.name_en


class Translated(models.Model):
    """Who translated a record written in one language into the other, and when (both empty
    until someone does): the reader sees which text is the original and whose translation
    the other is."""

    translated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("translated by"),
    )
    translated_at = models.DateTimeField(_("translated"), null=True, blank=True)

    class Meta:
        abstract = True


class Nation(BilingualName):
    """A nation by its ISO 3166-1 alpha-3 code (JPN, USA, and partners in multilateral work)."""

    code = models.CharField(_("code"), max_length=3, primary_key=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("nation")
        verbose_name_plural = _("nations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^[A-Z]{3}$"), name="nation_code_alpha3"
            ),
        ]


class Organization(BilingualName):
    class Kind(models.TextChoices):
        MINISTRY = "ministry", _("ministry or agency")
        JOINT_STAFF = "joint_staff", _("joint staff or combatant command")
        GROUND = "ground", _("ground force")
        MARITIME = "maritime", _("maritime force")
        AIR = "air", _("air force")
        MARINE = "marine", _("marine corps")
        SPACE = "space", _("space force")
        LOCAL_GOVERNMENT = "local_government", _("local government")
        OTHER = "other", _("other")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    short_name = models.CharField(_("abbreviation"), max_length=40, blank=True)
    nation = models.ForeignKey(
        Nation, on_delete=models.PROTECT, related_name="organizations", verbose_name=_("nation")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent organization"),
    )

    class Meta:
        ordering = ["nation", "name_en"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")


class Role(models.TextChoices):
    ORDERING_OFFICIAL = "ordering_official", _("ordering official")
    APPROVING_OFFICIAL = "approving_official", _("approving official")
    LOGISTICS_OFFICER = "logistics_officer", _("logistics officer")
    COORDINATOR = "coordinator", _("coordinator")
    INFORMATION_MANAGER = "information_manager", _("information manager")
    EXERCISE_CONTROLLER = "exercise_controller", _("exercise controller")
    AUDITOR = "auditor", _("auditor")
    ADMINISTRATOR = "administrator", _("administrator")


def validate_time_zones(value: object) -> None:
    if not isinstance(value, list) or not value:
        raise ValidationError(_("Choose at least one time zone."))
    known = zoneinfo.available_timezones()
    for zone in value:
        if zone not in known:
            raise ValidationError(_("Unknown time zone: %(zone)s"), params={"zone": zone})


def default_time_zones() -> list[str]:
    return list(settings.DEFAULT_TIME_ZONES)


# django-otp's Device base is untyped: the plugin cannot name the managers of signin's devices.
class Person(AbstractUser):  # type: ignore[django-manager-missing]
    """A member of staff of either nation or a joining agency."""

    class Language(models.TextChoices):
        JAPANESE = "ja", _("Japanese")
        ENGLISH = "en", _("English")

    display_name_ja = models.CharField(_("name (Japanese)"), max_length=120, blank=True)
    display_name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.JAPANESE
    )
    # The zones this person reads times in, their own first.
    time_zones = models.JSONField(
        _("time zones"), default=default_time_zones, validators=[validate_time_zones]
    )
    # Demo people may log in only while the server runs in demo mode.
    is_demo = models.BooleanField(_("demo account"), default=False)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")

    @property
    def display_name(self) -> str:
        japanese = (get_language() or "ja").startswith("ja")
        first, second = (
            (self.display_name_ja, self.display_name_en)
            if japanese
            else (self.display_name_en, self.display_name_ja)
        )
        return first or second or self.username

    def __str__(self) -> str:
        return self.display_name

    def membership_rows(self) -> list[Membership]:
        """This person's memberships with their organizations: read once per request when
        the signed-in person was loaded with them (core.auth), else read now."""
        if "memberships" in getattr(self, "_prefetched_objects_cache", {}):
            return list(self.memberships.all())
        return list(self.memberships.select_related("organization"))

    def roles_in(self, organization: Organization) -> set[str]:
        return {m.role for m in self.membership_rows() if m.organization_id == organization.pk}

    def has_role(self, role: Role, *, nation: str | None = None) -> bool:
        return any(
            m.role == role and (nation is None or m.organization.nation_id == nation)
            for m in self.membership_rows()
        )

    @property
    def nations(self) -> set[str]:
        return {m.organization.nation_id for m in self.membership_rows()}


class Membership(models.Model):
    """One role a person holds in one organization."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("person")
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("organization"),
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    position = models.CharField(
        pgettext_lazy("a post a person holds", "position"), max_length=120, blank=True
    )

    class Meta:
        ordering = ["organization", "role"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "organization", "role"], name="membership_unique_role"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.organization} · {self.get_role_display()}"


class ApiToken(PublicIdentified):
    """A machine client's credential. Only a digest is stored; the secret is shown once."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("person")
    )
    label = models.CharField(_("label"), max_length=80)
    prefix = models.CharField(_("prefix"), max_length=12)
    digest = models.CharField(_("digest"), max_length=64, unique=True)
    created_at = models.DateTimeField(pgettext_lazy("a time", "created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.label} ({self.prefix}…)"


class AuditEvent(models.Model):
    """One link of the append-only audit chain.

    `hash` is sha256(prev_hash + canonical JSON of the row), so editing, inserting or deleting
    any row breaks every link after it; `kizuna audit verify` finds the first broken one.
    Database triggers refuse UPDATE and DELETE (migration 0002).
    """

    at = models.DateTimeField(_("time"))
    actor = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    action = models.CharField(_("action"), max_length=80)
    object_type = models.CharField(_("object type"), max_length=80)
    object_id = models.CharField(_("object id"), max_length=64)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64, unique=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.object_type}:{self.object_id}"


class AccessEpoch(models.Model):
    """One row whose token changes with every change of who may see what (core.access):
    database triggers on the tables that decide access draw a new one."""

    token = models.CharField(_("token"), max_length=64)

    class Meta:
        verbose_name = _("access epoch")
        verbose_name_plural = _("access epochs")
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="one_access_epoch")]

    def __str__(self) -> str:
        return self.token


class IdempotentAnswer(models.Model):
    """The first answer to an API write sent with an `Idempotency-Key` header, per person
    (core.idempotency): a retry with the same key gets it back and writes nothing. Stored in
    the same transaction as the write, so a write is answered from here exactly when it
    committed."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="+", verbose_name=_("person")
    )
    key = models.CharField(_("idempotency key"), max_length=255)
    # sha256 of the method, path, query and body: the same key with another request is refused.
    fingerprint = models.CharField(_("fingerprint"), max_length=64)
    status = models.PositiveSmallIntegerField(_("status"), default=0)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    content = models.BinaryField(_("content"), blank=True, default=b"")
    created_at = models.DateTimeField(
        pgettext_lazy("a time", "created"), auto_now_add=True, db_index=True
    )

    class Meta:
        verbose_name = _("idempotent answer")
        verbose_name_plural = _("idempotent answers")
        constraints = [models.UniqueConstraint(fields=["person", "key"], name="one_answer_per_key")]

    def __str__(self) -> str:
        return f"{self.person_id} · {self.key}"


class Provenance(models.Model):
    """Where a demo record comes from: the seed (with the page or section that gives it) or
    made up to show the system at work. Written only by `kizuna demo` (core/demo.py); pages,
    PDFs and exports show an "illustrative" badge on made-up records in demo mode."""

    class Kind(models.TextChoices):
        SEED = "seed", _("from the seed")
        ILLUSTRATIVE = "illustrative", _("illustrative")

    content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.CharField(max_length=64)
    kind = models.CharField(_("provenance"), max_length=12, choices=Kind.choices)
    reference = models.CharField(
        _("reference"), max_length=300, blank=True, help_text=_("The seed's page or section.")
    )

    class Meta:
        verbose_name = _("provenance")
        verbose_name_plural = _("provenances")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="provenance_once_per_record"
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="seed", reference=""), name="provenance_seed_cited"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.reference}".strip()
