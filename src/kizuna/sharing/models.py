"""Markings (classification, releasability, caveats, communities), clearances, shared items,
their attachments, marking changes under the two-person rule, and the read audit."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from kizuna.core.models import BilingualName, Nation, Organization, Translated
from kizuna.core.public_ids import PublicIdentified

from .search import searchable


class Domain(models.TextChoices):
    SPACE = "space", _("space")
    CYBER = "cyber", _("cyber")
    AIR_MISSILE_DEFENSE = "amd", _("air and missile defense")
    ISR = "isr", _("ISR")
    MARITIME = "maritime", _("maritime")
    DISASTER = "disaster", _("disaster")
    LOGISTICS = "logistics", _("logistics")


class ClassificationLevel(BilingualName):
    """One nation's classification level. `rank` orders a nation's levels, higher is more
    sensitive; levels of two nations compare only through `LevelEquivalence`."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    nation = models.ForeignKey(
        Nation, on_delete=models.PROTECT, related_name="levels", verbose_name=_("nation")
    )
    rank = models.PositiveSmallIntegerField(_("rank"))

    class Meta:
        ordering = ["nation", "rank"]
        verbose_name = _("classification level")
        verbose_name_plural = _("classification levels")
        constraints = [
            models.UniqueConstraint(fields=["nation", "rank"], name="level_unique_rank"),
        ]

    def __str__(self) -> str:
        return f"{self.nation_id} {self.name}"


class LevelEquivalence(models.Model):
    """An administrator's statement that `level` is handled as `equivalent` by the other
    nation. It reads one way: a clearance at `equivalent` (or above it, in its nation's
    order) covers items marked `level`. Administrators enter both directions."""

    level = models.ForeignKey(
        ClassificationLevel,
        on_delete=models.CASCADE,
        related_name="equivalences",
        verbose_name=_("level"),
    )
    equivalent = models.ForeignKey(
        ClassificationLevel,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("equivalent level"),
    )

    class Meta:
        ordering = ["level__nation", "level__rank"]
        verbose_name = _("level equivalence")
        verbose_name_plural = _("level equivalences")
        constraints = [
            models.UniqueConstraint(fields=["level", "equivalent"], name="equivalence_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.level} = {self.equivalent}"


class HandlingCaveat(BilingualName):
    code = models.SlugField(_("code"), max_length=40, unique=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("handling caveat")
        verbose_name_plural = _("handling caveats")


class Community(BilingualName):
    """A community of interest: the need-to-know group an item may be limited to.

    A community reserved for one app marks that app's own records only (an exercise's
    control cell marks its scenario until each inject goes out): no one may choose it for
    another record, so a total over other records never needs a reader who holds it."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    domain = models.CharField(_("domain"), max_length=20, choices=Domain.choices, blank=True)
    reserved_for = models.CharField(
        _("reserved for"),
        max_length=40,
        blank=True,
        help_text=_("The app whose records alone carry this community; empty for any record."),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("community of interest")
        verbose_name_plural = _("communities of interest")


class GlossaryTerm(BilingualName):
    """One domain term in both languages (地震 / earthquake): a search naming either side
    also looks for the other (sharing/search.py). Reference data with its source,
    amended by administrators in the back office, every change audited."""

    domain = models.CharField(_("domain"), max_length=20, choices=Domain.choices, blank=True)
    source = models.TextField(_("source"), help_text=_("Where this row comes from."))

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("glossary term")
        verbose_name_plural = _("glossary terms")
        constraints = [
            models.UniqueConstraint(fields=["name_ja", "name_en"], name="glossary_term_unique"),
            models.CheckConstraint(
                condition=~models.Q(name_ja="") & ~models.Q(name_en="") & ~models.Q(source=""),
                name="glossary_term_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name_ja} / {self.name_en}"

    def clean(self) -> None:
        problems = {
            name: _("Give letters, digits or Japanese characters that a search can find.")
            for name in ("name_ja", "name_en")
            if getattr(self, name) and not searchable(getattr(self, name))
        }
        if problems:
            raise ValidationError(problems)


class MarkingSet(models.Model):
    """One distinct marking: a level, the nations it is releasable to, the caveats and
    communities it names. Records point at a shared row, so the access rule is decided on
    this small table and a record's filter is one indexed column (`marking_id IN ...`)
    however many records there are. Rows are never edited: a new marking is a new row."""

    # Canonical JSON of the codes (sharing.marking.Marking.as_json), one row per marking.
    key = models.CharField(_("key"), max_length=1000, unique=True, editable=False)
    level = models.ForeignKey(
        ClassificationLevel,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("classification"),
    )
    releasable_to = models.ManyToManyField(
        Nation, related_name="+", verbose_name=_("releasable to")
    )
    caveats = models.ManyToManyField(
        HandlingCaveat, related_name="+", blank=True, verbose_name=_("handling caveats")
    )
    communities = models.ManyToManyField(
        Community, related_name="+", blank=True, verbose_name=_("communities of interest")
    )

    class Meta:
        verbose_name = _("marking")
        verbose_name_plural = _("markings")

    def __str__(self) -> str:
        return self.key


class Marked(models.Model):
    """The marking any record can carry. A model adopts it by inheriting; then
    `sharing.policy.restrict(queryset, person)` works for it unchanged (docs/sharing.md,
    "Adopting the markings")."""

    # No index of its own: a handful of markings cover millions of rows, so an index on it
    # alone never narrows a query; worse, PostgreSQL ANDed its bitmap (a third of the
    # table) into ranked searches and spent 70 ms reading it (docs/performance.md).
    # The filter is checked on the rows another index found. Markings are never deleted.
    marking = models.ForeignKey(
        MarkingSet,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("marking"),
        db_index=False,
    )

    class Meta:
        abstract = True


class Clearance(models.Model):
    """What a person is cleared for: one nation's level, the caveats and communities held."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="clearance",
        verbose_name=_("person"),
    )
    level = models.ForeignKey(
        ClassificationLevel, on_delete=models.PROTECT, related_name="+", verbose_name=_("level")
    )
    caveats = models.ManyToManyField(
        HandlingCaveat, related_name="+", blank=True, verbose_name=_("handling caveats")
    )
    communities = models.ManyToManyField(
        Community, related_name="+", blank=True, verbose_name=_("communities of interest")
    )

    class Meta:
        verbose_name = _("clearance")
        verbose_name_plural = _("clearances")

    def __str__(self) -> str:
        return f"{self.person} · {self.level}"

    def clean(self) -> None:
        if self.level_id and self.person_id and self.level.nation_id not in self.person.nations:
            raise ValidationError(
                {"level": _("A clearance is granted by the person's own nation.")}
            )


class SharedItem(PublicIdentified, Marked, Translated):
    """A report shared between the nations, in one of five kinds, bilingual."""

    class Kind(models.TextChoices):
        REPORT = "report", _("report")
        CYBER_ALERT = "cyber_alert", _("cyber alert")
        MARITIME_CONTACT = "maritime_contact", _("maritime contact report")
        ISR_REPORT = "isr_report", _("ISR report")
        SPACE_REPORT = "space_report", _("space situational report")

    class Language(models.TextChoices):
        JAPANESE = "ja", _("Japanese")
        ENGLISH = "en", _("English")

    # Kinds that report an observation: where, when and what was seen.
    POSITIONED = (Kind.MARITIME_CONTACT, Kind.ISR_REPORT)

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    domain = models.CharField(_("domain"), max_length=20, choices=Domain.choices)
    originator = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="shared_items",
        verbose_name=_("originating organization"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(pgettext_lazy("a time", "created"), db_index=True)
    original_language = models.CharField(
        _("original language"), max_length=2, choices=Language.choices
    )
    title_ja = models.CharField(_("title (Japanese)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    body_ja = models.TextField(_("body (Japanese)"), blank=True)
    body_en = models.TextField(_("body (English)"), blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    observed_at = models.DateTimeField(_("observed at"), null=True, blank=True)
    observation = models.TextField(_("what was seen"), blank=True)
    # The STIX id an imported item arrived with, so a bundle imported twice adds nothing.
    stix_id = models.CharField(
        _("STIX id"), max_length=80, unique=True, null=True, blank=True, editable=False
    )
    # CJK bigrams and Latin words of every text field, for the full-text index (search.py).
    search_grams = models.TextField(editable=False, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("shared item")
        verbose_name_plural = _("shared items")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True)
                | models.Q(latitude__gte=-90, latitude__lte=90),
                name="item_latitude_range",
            ),
            models.CheckConstraint(
                condition=models.Q(longitude__isnull=True)
                | models.Q(longitude__gte=-180, longitude__lte=180),
                name="item_longitude_range",
            ),
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True, longitude__isnull=True)
                | models.Q(latitude__isnull=False, longitude__isnull=False),
                name="item_position_whole",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("sharing:detail", args=[self.public_id])

    def _in_reader_language(self, ja: str, en: str) -> str:
        return (ja or en) if (get_language() or "ja").startswith("ja") else (en or ja)

    @property
    def title(self) -> str:
        return self._in_reader_language(self.title_ja, self.title_en)

    @property
    def body(self) -> str:
        return self._in_reader_language(self.body_ja, self.body_en)

    @property
    def has_position(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class Attachment(PublicIdentified):
    """A file attached to an item with its SHA-256 checksum. The content lives in file storage
    (MEDIA_ROOT, under the data directory), written and served in chunks: a 10 MB file never
    sits whole in memory nor in a database row."""

    item = models.ForeignKey(
        SharedItem, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("item")
    )
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    file = models.FileField(_("content"), upload_to="attachments/", max_length=200)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(_("added"))

    class Meta:
        ordering = ["item", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name


class MarkingChange(PublicIdentified):
    """A change of an item's marking with its reason. Raising applies at once; lowering or
    widening waits for a second information manager of the originating nation."""

    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting a second person")
        APPLIED = "applied", _("applied")
        REJECTED = "rejected", _("rejected")

    item = models.ForeignKey(
        SharedItem,
        on_delete=models.CASCADE,
        related_name="marking_changes",
        verbose_name=_("item"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=pgettext_lazy("a person", "requested by"),
    )
    requested_at = models.DateTimeField(pgettext_lazy("a time", "requested"))
    reason = models.TextField(_("reason"))
    before = models.JSONField(_("marking before"))
    after = models.JSONField(_("marking after"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("marking change")
        verbose_name_plural = _("marking changes")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(decided_by=models.F("requested_by")),
                name="marking_change_two_people",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_id} {self.get_status_display()}"


class ReadEvent(models.Model):
    """Who saw which item, when, and how. Reads are many and carry no content, so they live
    in their own append-only table rather than the hash chain (docs/sharing.md)."""

    class Action(models.TextChoices):
        VIEW = "view", _("viewed")
        DOWNLOAD = "download", _("downloaded an attachment")
        EXPORT = "export", _("exported")

    at = models.DateTimeField(_("time"), db_index=True)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("person"),
    )
    item = models.ForeignKey(
        SharedItem, on_delete=models.PROTECT, related_name="+", verbose_name=_("item")
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    channel = models.CharField(_("channel"), max_length=10)

    # How each channel reads on the read audit page (the column stays a plain code).
    CHANNELS = {"web": _("on a page"), "api": _("through the API")}

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("read event")
        verbose_name_plural = _("read events")

    def __str__(self) -> str:
        return f"{self.at} {self.person_id} {self.action} {self.item_id}"

    @property
    def channel_label(self) -> str:
        return str(self.CHANNELS.get(self.channel, self.channel))
