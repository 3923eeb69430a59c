"""Every read of shared items a person or API client sees. Each starts from the policy, so
lists, counts, search, exports, history, related items and the map share one rule."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.apps import apps
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.module_loading import import_string
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext

from kizuna.core.models import Person, Role
from kizuna.core.public_ids import get_public_or_404

from . import policy, search
from .marking import Marking
from .models import (
    Attachment,
    ClassificationLevel,
    Community,
    GlossaryTerm,
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


def search_query(q: str) -> search.Query:
    """The reader's search as a query, with the glossary's translations of the terms it
    names (the glossary is read only when there is something to search for)."""
    return search.parse(q, GlossaryTerm.objects.values_list("name_ja", "name_en"))


def glossary_translations(word: str) -> list[str]:
    """What the glossary gives in the other language for `word` as a whole (燃料 for
    "fuel", fuel for "燃料")."""
    word = word.strip()
    rows = GlossaryTerm.objects.filter(Q(name_ja__iexact=word) | Q(name_en__iexact=word))
    return [
        en if ja.casefold() == word.casefold() else ja
        for ja, en in rows.values_list("name_ja", "name_en")
    ]


def _selected(
    person: Person, filters: ItemFilters, query: search.Query | None = None
) -> QuerySet[SharedItem]:
    """The visible items the filters select, unordered; narrowed by `query` when given."""
    queryset: QuerySet[SharedItem] = policy.visible(person)
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.domain:
        queryset = queryset.filter(domain=filters.domain)
    if filters.originator_nation:
        queryset = queryset.filter(originator__nation_id=filters.originator_nation)
    if not query:
        return queryset
    return search.matching(queryset, query, policy.visible_marking_keys(person))


def items(*, person: Person, filters: ItemFilters | None = None) -> QuerySet[SharedItem]:
    """The items `person` may see, filtered, searched and ranked when there is a query."""
    filters = filters or ItemFilters()
    query = search_query(filters.q)
    queryset = _selected(person, filters)
    if query:
        return _with_marking(search.ranked(queryset, query, policy.visible_marking_keys(person)))
    return _with_marking(queryset.order_by("-created_at", "-id"))


@dataclass(frozen=True)
class Page:
    rows: list[SharedItem]
    count: int
    # Counting every visible row of a large table costs more than the page itself, so the
    # list's count stops at COUNT_CAP and says so ("10,000+"). A search counts exactly.
    count_capped: bool
    query: search.Query


COUNT_CAP = 10_000


def item_page(
    *, person: Person, filters: ItemFilters, page: int = 1, size: int = PAGE_SIZE
) -> Page:
    """One page of the list and how many the person may see (never a hidden row)."""
    query = search_query(filters.q)
    page = max(1, min(page, MAX_PAGE))
    selected = _selected(person, filters)
    if query:
        return _search_page(person, selected, query, page, size)
    rows = list(
        _with_marking(selected.order_by("-created_at", "-id"))[(page - 1) * size : page * size]
    )
    count, capped = _capped_count(selected)
    return Page(rows=rows, count=count, count_capped=capped, query=query)


def _capped_count(selected: QuerySet[SharedItem]) -> tuple[int, bool]:
    count = selected.order_by()[: COUNT_CAP + 1].count()
    return min(count, COUNT_CAP), count > COUNT_CAP


def item_browse(*, person: Person, filters: ItemFilters) -> tuple[QuerySet[SharedItem], int, bool]:
    """The list with no query, for keyset paging (core.paging: newest first by id), with
    how many the person may see (never a hidden row) and whether that count is capped."""
    selected = _selected(person, filters)
    return _with_marking(selected), *_capped_count(selected)


def _search_page(
    person: Person, selected: QuerySet[SharedItem], query: search.Query, page: int, size: int
) -> Page:
    """A ranked page with the exact number of matches (search.ranked_page), then the
    page's rows, whole, by their ids."""
    markings = policy.visible_marking_keys(person)
    ids, count = search.ranked_page(selected, query, (page - 1) * size, page * size, markings)
    by_pk = _with_marking(SharedItem.objects.filter(pk__in=ids)).in_bulk()
    rows = [by_pk[pk] for pk in ids if pk in by_pk]
    return Page(rows=rows, count=count, count_capped=False, query=query)


def item_count(*, person: Person, filters: ItemFilters | None = None) -> int:
    """The exact number of visible items the filters select (the API's count route)."""
    filters = filters or ItemFilters()
    return _selected(person, filters, search_query(filters.q)).count()


def export_items(*, person: Person, filters: ItemFilters) -> list[SharedItem]:
    """What an export carries: the visible items the filters select, capped."""
    return list(items(person=person, filters=filters)[:MAX_EXPORT_ITEMS])


def item_get(*, person: Person, public_id: str) -> SharedItem:
    """One item by its public id; hidden answers 404 exactly as missing does."""
    return get_public_or_404(_with_marking(policy.visible(person)), public_id)


def item_history(*, person: Person, item: SharedItem) -> QuerySet[MarkingChange]:
    """Marking changes of a visible item (the caller got `item` through `item_get`)."""
    item_get(person=person, public_id=item.public_id)
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


def attachment_get(*, person: Person, item_id: str, public_id: str) -> Attachment:
    item = item_get(person=person, public_id=item_id)
    return get_public_or_404(Attachment.objects.filter(item=item), public_id)


def attachments_of(item: SharedItem) -> QuerySet[Attachment]:
    """Attachments of an item the caller already got through `item_get`."""
    return Attachment.objects.filter(item=item)


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
    public_id: str
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
            "public_id",
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
            public_id=item.public_id,
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
    # Glossary terms of the query found in this row through their translation.
    translations: list[search.Expansion]


def hits(*, rows: list[SharedItem], query: search.Query) -> list[Hit]:
    """Highlighted titles and snippets, and the glossary's translations each row matched,
    cut from the rows the policy already let through."""
    terms = query.terms()
    return [
        Hit(
            item=row,
            title=search.highlight(row.title, terms),
            snippet=search.highlight(row.body or row.observation, terms),
            translations=query.matched_expansions(search.item_text(row)),
        )
        for row in rows
    ]


@dataclass(frozen=True)
class ReadFilters:
    username: str = ""
    item: str = ""
    action: str = ""
    since: datetime | None = None
    until: datetime | None = None


def reads(*, person: Person, filters: ReadFilters) -> QuerySet[ReadEvent]:
    """The read audit, for auditors; others get 404 as for a missing page. A line names its
    item, so it shows only where the auditor may see the item."""
    if not policy.may_view_reads(person):
        raise Http404
    queryset = policy.reads_visible(person).select_related("person", "item__originator")
    if filters.username:
        queryset = queryset.filter(person__username=filters.username)
    if filters.item:
        queryset = queryset.filter(item__public_id=filters.item)
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


def releasable_text(nations: Iterable[str]) -> str:
    """Releasable to JPN, USA / JPN、USAに開示可: the one wording of every marking line."""
    japanese = (get_language() or "ja").startswith("ja")
    return gettext("Releasable to %(nations)s") % {
        "nations": ("、" if japanese else ", ").join(nations)
    }


def marking_label(marking: Marking) -> str:
    """A marking as its banners show it, in the reader's language: the level, caveats and
    communities by name, never by code (区分U1（管理） · JPN、USAに開示可)."""
    level = ClassificationLevel.objects.filter(code=marking.level).first()
    parts = [level.name if level else marking.level, releasable_text(marking.releasable_to)]
    for model, wanted in ((HandlingCaveat, marking.caveats), (Community, marking.communities)):
        if wanted:
            parts.extend(row.name for row in model.objects.filter(code__in=wanted))
    return " · ".join(parts)
