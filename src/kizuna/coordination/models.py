"""Situations and their legal designations, the coordination bodies of the Alliance
Coordination Mechanism, the shared activity log, requests for support and resources committed.

The log is append-only by design: entries are never deleted and their recording time never
changes; a correction is a new entry pointing at what it corrects, and an edit of the event
time is kept as its own row. Each entry carries a sequence number per situation, assigned
under the situation's row lock, so a live client that reconnects asks for "everything after
N" and gets exactly what it missed.
"""

from __future__ import annotations

import base64
import hashlib
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from kizuna.acsa.models import Category, SituationType
from kizuna.core.models import BilingualName, Organization, Translated
from kizuna.core.public_ids import PublicIdentified
from kizuna.sharing.models import Marked


class Language(models.TextChoices):
    JAPANESE = "ja", _("Japanese")
    ENGLISH = "en", _("English")


def other_language(language: str) -> str:
    return Language.ENGLISH if language == Language.JAPANESE else Language.JAPANESE


def _reader_is_japanese() -> bool:
    return (get_language() or "ja").startswith("ja")


class Situation(PublicIdentified):
    """A situation or activity (事態・活動), from routine activity to contingency."""

    class Kind(models.TextChoices):
        ROUTINE = "routine", _("routine activity")
        EXERCISE = "exercise", _("exercise")
        DISASTER = "disaster", _("disaster")
        MISSILE_LAUNCH = "missile_launch", _("missile launch")
        CONTINGENCY = "contingency", _("contingency")
        OTHER = "other", _("other")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

    title_ja = models.CharField(_("title (Japanese)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.OPEN)
    starts_at = models.DateTimeField(_("start"))
    ends_at = models.DateTimeField(_("end"), null=True, blank=True)
    place_name = models.CharField(_("place"), max_length=200, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    # The organization that opened it; its staff see the situation before any body stands up.
    lead_organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("lead organization"),
    )
    # The last sequence number handed to an entry of this situation (see the module doc).
    last_seq = models.PositiveBigIntegerField(_("last entry number"), default=0)
    closing_entry = models.OneToOneField(
        "LogEntry",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closing entry"),
    )
    created_at = models.DateTimeField(pgettext_lazy("a time", "created"), auto_now_add=True)

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("situation")
        verbose_name_plural = _("situations")
        constraints = [
            models.CheckConstraint(
                condition=~Q(title_ja="", title_en=""), name="situation_has_a_title"
            ),
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gte=F("starts_at")),
                name="situation_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(status="open") | Q(closing_entry__isnull=False, ends_at__isnull=False),
                name="situation_closed_by_an_entry",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="situation_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="situation_longitude_range",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        first, second = (
            (self.title_ja, self.title_en)
            if _reader_is_japanese()
            else (self.title_en, self.title_ja)
        )
        return first or second

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def is_exercise(self) -> bool:
        """Exercise traffic (core.traffic): marked as such wherever it shows, and left out
        of real-world lists unless asked for."""
        return self.kind == self.Kind.EXERCISE


class Designation(models.Model):
    """A legal designation of a situation as one of the ACSA situation types, for a period.

    `ends_at` is empty while it is in force. Designations of one situation never overlap:
    the service refuses one that would, and each is recorded by a decision entry in the log.
    """

    situation = models.ForeignKey(
        Situation,
        on_delete=models.PROTECT,
        related_name="designations",
        verbose_name=_("situation"),
    )
    situation_type = models.ForeignKey(
        SituationType,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("situation type"),
    )
    starts_at = models.DateTimeField(pgettext_lazy("a designation", "in force from"))
    ends_at = models.DateTimeField(_("in force until"), null=True, blank=True)
    decision = models.OneToOneField(
        "LogEntry",
        on_delete=models.PROTECT,
        related_name="designation",
        verbose_name=_("decision entry"),
    )
    ending_decision = models.OneToOneField(
        "LogEntry",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ended_designation",
        verbose_name=_("ending decision entry"),
    )

    class Meta:
        ordering = ["situation", "starts_at"]
        verbose_name = pgettext_lazy("either, generically", "designation")
        verbose_name_plural = _("designations")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=F("starts_at")),
                name="designation_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.situation} · {self.situation_type}"


class Body(BilingualName):
    """A coordination body (調整機関) of the Alliance Coordination Mechanism, or a standing
    working group. Member organizations decide who may post and who sees its log."""

    class Kind(models.TextChoices):
        ACG = "acg", _("Alliance Coordination Group")
        BOCC = "bocc", _("Bilateral Operations Coordination Center")
        CCC = "ccc", _("Component Coordination Center")
        BILATERAL_CENTRE = "bilateral_centre", _("bilateral coordination centre")
        WORKING_GROUP = "working_group", _("working group")

    code = models.SlugField(_("code"), max_length=60, unique=True)
    short_name = models.CharField(_("abbreviation"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # Empty for standing bodies (working groups); set when stood up for a situation.
    situation = models.ForeignKey(
        Situation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bodies",
        verbose_name=_("situation"),
    )
    # Where a request escalates to: CCC -> BOCC -> ACG.
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("escalates to"),
    )
    organizations = models.ManyToManyField(
        Organization, related_name="coordination_bodies", verbose_name=_("member organizations")
    )
    established_on = models.DateField(_("established on"), null=True, blank=True)
    stood_up_at = models.DateTimeField(_("stood up"))
    stood_down_at = models.DateTimeField(_("stood down"), null=True, blank=True)

    class Meta:
        ordering = ["kind", "code"]
        verbose_name = _("coordination body")
        verbose_name_plural = _("coordination bodies")
        constraints = [
            models.CheckConstraint(
                condition=Q(stood_down_at__isnull=True) | Q(stood_down_at__gte=F("stood_up_at")),
                name="body_stood_down_after_up",
            ),
        ]

    def __str__(self) -> str:
        return self.short_name or self.name

    @property
    def is_active(self) -> bool:
        return self.stood_down_at is None


def entry_series_code(body_code: str, marking_key: str, length: int = 5) -> str:
    """A series' part of an entry's number: a short digest of its body and marking (as ACSA's
    order series), not a running letter whose gaps would count the series one cannot see."""
    digest = base64.b32encode(hashlib.sha256(f"{body_code}|{marking_key}".encode()).digest())
    return digest.decode()[:length]


class EntrySeries(models.Model):
    """One run of entry numbers within a situation: its entries of one body (or the
    situation-wide ones) under one marking. Whether a person reads an entry of a situation
    depends on nothing else (the body rule on its body, the marking rule on its marking), so
    whoever reads one entry of a series reads all of it, and numbers drawn in turn leave no
    reader a gap made by an entry hidden from them (docs/sharing.md, "Totals and numbers")."""

    situation = models.ForeignKey(
        Situation, on_delete=models.PROTECT, related_name="+", verbose_name=_("situation")
    )
    body = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("coordination body"),
    )
    marking = models.ForeignKey(
        "sharing.MarkingSet", on_delete=models.PROTECT, related_name="+", verbose_name=_("marking")
    )
    code = models.CharField(_("code"), max_length=40)
    last_number = models.PositiveIntegerField(_("last number drawn"), default=0)

    class Meta:
        verbose_name = _("entry number series")
        verbose_name_plural = _("entry number series")
        constraints = [
            models.UniqueConstraint(
                fields=["situation", "body", "marking"],
                condition=Q(body__isnull=False),
                name="entry_series_per_body_marking",
            ),
            models.UniqueConstraint(
                fields=["situation", "marking"],
                condition=Q(body__isnull=True),
                name="entry_series_per_marking",
            ),
            models.UniqueConstraint(fields=["situation", "code"], name="entry_series_code"),
        ]

    def __str__(self) -> str:
        return self.code


class LogEntry(PublicIdentified, Marked, Translated):
    """One entry of the activity log (活動記録). Never deleted; see the module doc. Marked like
    shared items: `kizuna.sharing.policy` decides who reads it."""

    class Kind(models.TextChoices):
        REPORT = "report", _("report")
        INFORMATION = "information", _("information")
        DECISION = "decision", _("decision")
        REQUEST = "request", _("request")
        TASKING = "tasking", _("tasking")

    situation = models.ForeignKey(
        Situation, on_delete=models.PROTECT, related_name="entries", verbose_name=_("situation")
    )
    # The situation's order of creation: pages and the live stream key on it, never shown.
    seq = models.PositiveBigIntegerField(_("sequence"))
    # What readers see (`label`): the entry's number in its series, drawn without gaps.
    series = models.ForeignKey(
        EntrySeries, on_delete=models.PROTECT, related_name="+", verbose_name=_("number series")
    )
    number = models.PositiveIntegerField(_("number in its series"))
    # The series' code and the number, as shown (`K7Q2M-3`): kept so no page joins for it.
    label = models.CharField(_("number"), max_length=60, editable=False)
    # The situation's sequence number of this entry's latest change (its creation, a
    # translation, a vetting, an event-time edit): what the live stream sends and resumes by.
    rev = models.PositiveBigIntegerField(_("revision"))
    # Empty for situation-wide entries (designations, closing), which every reader sees.
    body = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
        verbose_name=_("coordination body"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )
    author_organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("organization")
    )
    author_position = models.CharField(
        pgettext_lazy("a post a person holds", "position"), max_length=120, blank=True
    )
    # The system time of recording: set once, never edited (the event time is the editable one).
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now, editable=False)
    event_at = models.DateTimeField(_("event time"))
    language = models.CharField(_("original language"), max_length=2, choices=Language.choices)
    text = models.TextField(_("original text"))
    translation = models.TextField(_("translation"), blank=True)
    significant = models.BooleanField(_("significant event"), default=False)
    vetted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vetted by"),
    )
    vetted_at = models.DateTimeField(_("vetted"), null=True, blank=True)
    corrects = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("corrects"),
    )
    support_request = models.ForeignKey(
        "SupportRequest",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
        verbose_name=_("request for support"),
    )

    class Meta:
        ordering = ["situation", "-seq"]
        verbose_name = _("log entry")
        verbose_name_plural = _("log entries")
        constraints = [
            models.UniqueConstraint(fields=["situation", "seq"], name="entry_seq_per_situation"),
            models.UniqueConstraint(fields=["situation", "rev"], name="entry_rev_per_situation"),
            models.UniqueConstraint(fields=["series", "number"], name="entry_number_per_series"),
            models.CheckConstraint(
                condition=Q(translated_by__isnull=True) | ~Q(translation=""),
                name="entry_translation_has_text",
            ),
            models.CheckConstraint(
                condition=Q(vetted_by__isnull=True) | Q(significant=True),
                name="entry_only_significant_vetted",
            ),
        ]
        indexes = [
            # The log page of one body, newest first, by keyset on seq.
            models.Index(fields=["situation", "body", "seq"], name="entry_body_seq"),
            models.Index(
                fields=["situation", "seq"],
                condition=Q(significant=True, vetted_at__isnull=False),
                name="entry_board",
            ),
            models.Index(
                fields=["situation", "seq"], condition=Q(translation=""), name="entry_untranslated"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.label}"

    def text_in(self, language: str) -> str:
        return self.text if language == self.language else self.translation

    @property
    def on_board(self) -> bool:
        return self.significant and self.vetted_at is not None


class EventTimeEdit(models.Model):
    """A kept edit of an entry's event time: what it was, what it became, who and why."""

    entry = models.ForeignKey(
        LogEntry, on_delete=models.PROTECT, related_name="event_time_edits", verbose_name=_("entry")
    )
    previous = models.DateTimeField(_("previous event time"))
    new = models.DateTimeField(_("new event time"))
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    edited_at = models.DateTimeField(_("edited"), auto_now_add=True)
    reason = models.CharField(_("reason"), max_length=300)

    class Meta:
        ordering = ["entry", "edited_at"]
        verbose_name = _("event time edit")
        verbose_name_plural = _("event time edits")

    def __str__(self) -> str:
        return f"{self.entry} {self.previous:%Y-%m-%d %H:%M} -> {self.new:%Y-%m-%d %H:%M}"


class Meeting(PublicIdentified):
    """A meeting of a working group: agenda, minutes in both languages, decisions."""

    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("working group")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    held_on = models.DateField(_("held on"))
    agenda_ja = models.TextField(_("agenda (Japanese)"), blank=True)
    agenda_en = models.TextField(_("agenda (English)"), blank=True)
    minutes_ja = models.TextField(_("minutes (Japanese)"), blank=True)
    minutes_en = models.TextField(_("minutes (English)"), blank=True)
    decisions_ja = models.TextField(_("decisions (Japanese)"), blank=True)
    decisions_en = models.TextField(_("decisions (English)"), blank=True)

    class Meta:
        ordering = ["body", "held_on"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.UniqueConstraint(fields=["body", "number"], name="meeting_number_per_body"),
        ]

    def __str__(self) -> str:
        return f"{self.body} #{self.number}"

    def in_reader_language(self, field: str) -> str:
        ja, en = getattr(self, f"{field}_ja"), getattr(self, f"{field}_en")
        return (ja or en) if _reader_is_japanese() else (en or ja)

    @property
    def agenda(self) -> str:
        return self.in_reader_language("agenda")

    @property
    def minutes(self) -> str:
        return self.in_reader_language("minutes")

    @property
    def decisions(self) -> str:
        return self.in_reader_language("decisions")


class ActionItem(PublicIdentified):
    """An action a working group assigned, followed to closure."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="action_items", verbose_name=_("meeting")
    )
    title_ja = models.CharField(_("title (Japanese)"), max_length=300, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    owner = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("owner")
    )
    due_on = models.DateField(_("due"), null=True, blank=True)
    closed_at = models.DateTimeField(pgettext_lazy("a time", "closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    closing_note = models.TextField(_("closing note"), blank=True)

    class Meta:
        ordering = ["meeting", "pk"]
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        constraints = [
            models.CheckConstraint(
                condition=~Q(title_ja="", title_en=""), name="action_item_has_a_title"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return (
            (self.title_ja or self.title_en)
            if _reader_is_japanese()
            else (self.title_en or self.title_ja)
        )


class SupportRequest(PublicIdentified):
    """A request for support (支援要請) from one organization to another, handled by a body."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        ACKNOWLEDGED = "acknowledged", _("acknowledged")
        ACCEPTED = "accepted", _("accepted")
        PARTLY_ACCEPTED = "partly_accepted", _("partly accepted")
        DECLINED = "declined", _("declined")
        IN_PROGRESS = "in_progress", _("in progress")
        COMPLETED = "completed", _("completed")

    class Priority(models.TextChoices):
        ROUTINE = "routine", _("routine")
        PRIORITY = "priority", _("priority")
        IMMEDIATE = "immediate", _("immediate")

    # Statuses in which a request still asks something of someone.
    OPEN_STATUSES = (
        Status.DRAFT,
        Status.SUBMITTED,
        Status.ACKNOWLEDGED,
        Status.ACCEPTED,
        Status.PARTLY_ACCEPTED,
        Status.IN_PROGRESS,
    )

    situation = models.ForeignKey(
        Situation,
        on_delete=models.PROTECT,
        related_name="support_requests",
        verbose_name=_("situation"),
    )
    body = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        related_name="support_requests",
        verbose_name=_("handled by"),
    )
    requesting_organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    supporting_organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested of")
    )
    language = models.CharField(_("original language"), max_length=2, choices=Language.choices)
    summary = models.CharField(_("summary"), max_length=300)
    place_name = models.CharField(_("where"), max_length=200)
    needed_by = models.DateTimeField(_("needed by"))
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.ROUTINE
    )
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.DRAFT)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    # The ACSA order this request became, when it asked the other nation's forces.
    acsa_order = models.OneToOneField(
        "acsa.Order",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="support_request",
        verbose_name=_("ACSA order"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    created_at = models.DateTimeField(pgettext_lazy("a time", "created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("request for support")
        verbose_name_plural = _("requests for support")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""),
                name="request_declined_with_reason",
            ),
        ]
        indexes = [models.Index(fields=["situation", "status"], name="request_situation_status")]

    def __str__(self) -> str:
        return f"#{self.reference} {self.summary}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class RequestLine(PublicIdentified):
    """What is needed, line by line, with how much is committed, in transit and fulfilled.

    The category is the ACSA category code, so that a line asked of the other nation's forces
    becomes a line of an ACSA order as it stands.
    """

    request = models.ForeignKey(
        SupportRequest, on_delete=models.CASCADE, related_name="lines", verbose_name=_("request")
    )
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="+", verbose_name=_("category")
    )
    description = models.CharField(_("description"), max_length=300)
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=3)
    unit = models.CharField(_("unit"), max_length=30)
    accepted = models.DecimalField(
        _("accepted"), max_digits=14, decimal_places=3, default=Decimal(0)
    )
    committed = models.DecimalField(
        _("committed"), max_digits=14, decimal_places=3, default=Decimal(0)
    )
    in_transit = models.DecimalField(
        _("in transit"), max_digits=14, decimal_places=3, default=Decimal(0)
    )
    fulfilled = models.DecimalField(
        _("fulfilled"), max_digits=14, decimal_places=3, default=Decimal(0)
    )

    class Meta:
        ordering = ["request", "pk"]
        verbose_name = _("request line")
        verbose_name_plural = _("request lines")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="line_quantity_positive"),
            models.CheckConstraint(
                condition=Q(accepted__gte=0, accepted__lte=F("quantity")),
                name="line_accepted_within_quantity",
            ),
            models.CheckConstraint(
                condition=Q(committed__gte=0, in_transit__gte=0, fulfilled__gte=0)
                & Q(committed__lte=F("accepted")),
                name="line_progress_within_accepted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.description} {self.quantity} {self.unit}"


class RequestEvent(models.Model):
    """The history of a request: each step, with who, when and which body held it."""

    class Action(models.TextChoices):
        CREATED = "created", pgettext_lazy("an event in a history", "created")
        SUBMITTED = "submitted", _("submitted")
        ACKNOWLEDGED = "acknowledged", _("acknowledged")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")
        STARTED = "started", _("work started")
        PROGRESS = "progress", _("progress recorded")
        COMPLETED = "completed", _("completed")
        ESCALATED = "escalated", _("escalated")

    request = models.ForeignKey(
        SupportRequest, on_delete=models.PROTECT, related_name="events", verbose_name=_("request")
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("time"), auto_now_add=True)
    from_body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="+", verbose_name=_("from body")
    )
    to_body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="+", verbose_name=_("to body")
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["request", "at", "pk"]
        verbose_name = _("request event")
        verbose_name_plural = _("request events")

    def __str__(self) -> str:
        return f"{self.request_id} {self.action}"


class ResourceReport(models.Model):
    """Resources an organization has committed to a situation as of a moment."""

    situation = models.ForeignKey(
        Situation,
        on_delete=models.PROTECT,
        related_name="resource_reports",
        verbose_name=_("situation"),
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("organization")
    )
    as_of = models.DateTimeField(_("as of"))
    personnel = models.PositiveIntegerField(_("personnel"), default=0)
    ships = models.PositiveIntegerField(_("ships"), default=0)
    aircraft = models.PositiveIntegerField(_("aircraft"), default=0)
    # The figures are approximate, as a source gives them ("about 16,000"): shown with "about".
    approximate = models.BooleanField(_("approximate figures"), default=False)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("reported by"),
    )

    class Meta:
        ordering = ["situation", "as_of"]
        verbose_name = _("resource report")
        verbose_name_plural = _("resource reports")
        constraints = [
            models.UniqueConstraint(
                fields=["situation", "organization", "as_of"], name="resource_report_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.as_of:%Y-%m-%d %H:%M}"
