"""Every read of shared items a person or API client sees. Each starts from the policy, so
lists, counts, search, exports, history, related items and the map share one rule."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from django.apps import apps
from django.db.models import QuerySet
from django.http import Http404
from django.utils.module_loading import import_string
from django.utils.safestring import SafeString

from kizuna.core.models import Person, Role

from . import policy, search
from .models import (
    Attachment,
    ClassificationLevel,
    Community,
    HandlingCaveat,
    MarkingChange,
    ReadEvent,
    SharedItem,
)

PAGE_SIZE = 50
MAX_PAGE = 200
MAX_EXPORT_ITEMS = 1000


@dataclass(frozen=True)
class ItemFilters:
    q: str = ""
    kind: str = ""
    domain: str = ""
    originator_nation: str = ""


def _with_marking(queryset: QuerySet[SharedItem]) -> QuerySet[SharedItem]:
    return queryset.select_related("marking__level", "originator", "translated_by")


def _selected(person: Person, filters: ItemFilters) -> QuerySet[SharedItem]:
    """The visible items the filters and the search select, unordered."""
    queryset: QuerySet[SharedItem] = policy.visible(person)
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.domain:
        queryset = queryset.filter(domain=filters.domain)
    if filters.originator_nation:
        queryset = queryset.filter(originator__nation_id=filters.originator_nation)
    terms = search.parse(filters.q)
    return search.matching(queryset, terms) if terms else queryset


def items(*, person: Person, filters: ItemFilters | None = None) -> QuerySet[SharedItem]:
    """The items `person` may see, filtered, searched and ranked when there is a query."""
    filters = filters or ItemFilters()
    terms = search.parse(filters.q)
    queryset = _selected(person, replace(filters, q=""))
    if terms:
        return _with_marking(search.ranked(queryset, terms))
    return _with_marking(queryset.order_by("-created_at", "-id"))


@dataclass(frozen=True)
class Page:
    rows: list[SharedItem]
    count: int
    # Counting every visible row of a large table costs more than the page itself, so the
    # count stops at COUNT_CAP and says so ("10,000+").
    count_capped: bool


COUNT_CAP = 10_000


def item_page(
    *, person: Person, filters: ItemFilters, page: int = 1, size: int = PAGE_SIZE
) -> Page:
    """One page of the list and how many the person may see (never a hidden row)."""
    queryset = items(person=person, filters=filters)
    page = max(1, min(page, MAX_PAGE))
    rows = list(queryset[(page - 1) * size : page * size])
    count = _selected(person, filters).order_by()[: COUNT_CAP + 1].count()
    return Page(rows=rows, count=min(count, COUNT_CAP), count_capped=count > COUNT_CAP)


def item_count(*, person: Person, filters: ItemFilters | None = None) -> int:
    """The exact number of visible items the filters select (the API's count route)."""
    return _selected(person, filters or ItemFilters()).count()


def export_items(*, person: Person, filters: ItemFilters) -> list[SharedItem]:
    """What an export carries: the visible items the filters select, capped."""
    return list(items(person=person, filters=filters)[:MAX_EXPORT_ITEMS])


def item_get(*, person: Person, pk: int) -> SharedItem:
    """One item; hidden answers 404 exactly as missing does."""
    try:
        return _with_marking(policy.visible(person)).get(pk=pk)
    except SharedItem.DoesNotExist:
        raise Http404 from None


def item_history(*, person: Person, item: SharedItem) -> QuerySet[MarkingChange]:
    """Marking changes of a visible item (the caller got `item` through `item_get`)."""
    item_get(person=person, pk=item.pk)
    return MarkingChange.objects.filter(item=item).select_related("requested_by", "decided_by")


def related_items(*, person: Person, item: SharedItem, limit: int = 5) -> list[SharedItem]:
    """Other items of the same domain the person may see, newest first."""
    return list(
        policy.visible(person)
        .filter(domain=item.domain)
        .exclude(pk=item.pk)
        .select_related("marking__level", "originator")
        .order_by("-created_at", "-id")[:limit]
    )


def attachment_get(*, person: Person, item_pk: int, pk: int) -> Attachment:
    item = item_get(person=person, pk=item_pk)
    try:
        return Attachment.objects.get(item=item, pk=pk)
    except Attachment.DoesNotExist:
        raise Http404 from None


def attachments_of(item: SharedItem) -> QuerySet[Attachment]:
    """Attachments of an item the caller already got through `item_get`."""
    return Attachment.objects.filter(item=item).defer("data")


def pending_changes(*, person: Person) -> QuerySet[MarkingChange]:
    """Changes waiting for a second person that `person` may decide: visible items of a
    nation where they are an information manager, requested by someone else."""
    nations = set(
        person.memberships.filter(role=Role.INFORMATION_MANAGER).values_list(
            "organization__nation_id", flat=True
        )
    )
    return (
        MarkingChange.objects.filter(
            status=MarkingChange.Status.PENDING,
            item__in=policy.visible(person),
            item__originator__nation_id__in=nations,
        )
        .exclude(requested_by=person)
        .select_related("item", "requested_by")
    )


def titles_starting(*, person: Person, prefix: str, limit: int = 10) -> list[SharedItem]:
    """Autocomplete: titles of visible items that start with `prefix`."""
    prefix = prefix.strip()[:100]
    if not prefix:
        return []
    queryset: QuerySet[SharedItem] = policy.visible(person)
    return list(
        (
            queryset.filter(title_ja__istartswith=prefix)
            | queryset.filter(title_en__istartswith=prefix)
        ).order_by("-created_at", "-id")[:limit]
    )


@dataclass(frozen=True)
class MapPlace:
    """A place another app puts on the shared map (a situation, say): its own rule decided
    whether the person sees it before it got here."""

    layer: str
    url: str
    title: str
    latitude: float
    longitude: float
    note: str


def map_places(*, person: Person) -> list[MapPlace]:
    """What the apps put on the shared map: each AppConfig may name a `map_layer`, the
    dotted path of `(person) -> list[MapPlace]`; sharing knows none of those apps."""
    places: list[MapPlace] = []
    for config in apps.get_app_configs():
        if path := getattr(config, "map_layer", None):
            places.extend(import_string(path)(person))
    return places


@dataclass(frozen=True)
class MapPoint:
    pk: int
    kind: str
    title: str
    latitude: float
    longitude: float
    observed_at: datetime | None
    level: str


def map_points(*, person: Person, limit: int = 500) -> list[MapPoint]:
    """Positioned items the person may see, newest first, as light rows for the map."""
    rows: QuerySet[SharedItem] = (
        policy.visible(person)
        .filter(latitude__isnull=False)
        .select_related("marking__level")
        .only(
            "pk",
            "kind",
            "title_ja",
            "title_en",
            "latitude",
            "longitude",
            "observed_at",
            "marking__level__name_ja",
            "marking__level__name_en",
            "marking__level__nation",
        )
        .order_by("-created_at", "-id")[:limit]
    )
    return [
        MapPoint(
            pk=item.pk,
            kind=item.kind,
            title=item.title,
            latitude=item.latitude or 0.0,
            longitude=item.longitude or 0.0,
            observed_at=item.observed_at,
            level=str(item.marking.level),
        )
        for item in rows
    ]


@dataclass(frozen=True)
class Hit:
    item: SharedItem
    title: SafeString
    snippet: SafeString


def hits(*, rows: list[SharedItem], q: str) -> list[Hit]:
    """Highlighted titles and snippets, cut from the rows the policy already let through."""
    terms = search.parse(q)
    return [
        Hit(
            item=row,
            title=search.highlight(row.title, terms),
            snippet=search.highlight(row.body or row.observation, terms),
        )
        for row in rows
    ]


@dataclass(frozen=True)
class ReadFilters:
    username: str = ""
    item: int | None = None
    action: str = ""
    since: datetime | None = None
    until: datetime | None = None


def reads(*, person: Person, filters: ReadFilters) -> QuerySet[ReadEvent]:
    """The read audit, for auditors; others get 404 as for a missing page."""
    if not policy.may_view_reads(person):
        raise Http404
    queryset = ReadEvent.objects.select_related("person", "item__originator")
    if filters.username:
        queryset = queryset.filter(person__username=filters.username)
    if filters.item:
        queryset = queryset.filter(item_id=filters.item)
    if filters.action:
        queryset = queryset.filter(action=filters.action)
    if filters.since:
        queryset = queryset.filter(at__gte=filters.since)
    if filters.until:
        queryset = queryset.filter(at__lt=filters.until)
    return queryset.order_by("-at", "-id")


def marking_choices() -> tuple[
    QuerySet[ClassificationLevel], QuerySet[HandlingCaveat], QuerySet[Community]
]:
    return (
        ClassificationLevel.objects.select_related("nation"),
        HandlingCaveat.objects.all(),
        Community.objects.all(),
    )
