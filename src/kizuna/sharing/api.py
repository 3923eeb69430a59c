"""The sharing API, mounted at /api/sharing/ by kizuna.api. Thin: parse, call, shape."""

from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime

from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from kizuna.core import bounds
from kizuna.core.auth import person_of
from kizuna.core.models import Organization

from . import selectors, services, stix
from .models import Attachment, MarkingChange, ReadEvent, SharedItem

router = Router(tags=["sharing"])


class MarkingIn(Schema):
    level: str = Field(max_length=40)
    releasable_to: list[str] = Field(
        max_length=20,
        description='Nation codes, or ["national_only"] for the originating nation alone.',
    )
    caveats: list[str] = Field(default=[], max_length=20)
    communities: list[str] = Field(default=[], max_length=20)

    def marking(self) -> services.Marking:
        return services.Marking(
            level=self.level,
            releasable_to=tuple(self.releasable_to),
            caveats=tuple(self.caveats),
            communities=tuple(self.communities),
        )


class MarkingOut(Schema):
    level: str
    level_nation: str
    releasable_to: list[str]
    caveats: list[str]
    communities: list[str]


class ItemIn(Schema):
    kind: str
    domain: str
    originator: str = Field(description="Organization code")
    original_language: str
    title: str = Field(max_length=bounds.TITLE_CHARS)
    body: str = Field(default="", max_length=bounds.BODY_CHARS)
    marking: MarkingIn
    latitude: float | None = None
    longitude: float | None = None
    observed_at: datetime | None = None
    observation: str = Field(default="", max_length=5000)


class ItemOut(Schema):
    id: str
    kind: str
    domain: str
    originator: str
    originator_nation: str
    created_at: datetime
    original_language: str
    title_ja: str
    title_en: str
    body_ja: str
    body_en: str
    translated_by: str | None
    translated_at: datetime | None
    latitude: float | None
    longitude: float | None
    observed_at: datetime | None
    observation: str
    marking: MarkingOut


class GlossaryPairOut(Schema):
    said: str = Field(description="The glossary term the query named.")
    means: str = Field(description="Its translation, searched for as well.")


class ItemPageOut(Schema):
    count: int
    count_capped: bool = Field(description="True when there are more than `count` items.")
    page: int
    items: list[ItemOut]
    searched_also: list[GlossaryPairOut] = Field(
        default=[], description="What the glossary added to the search, in the other language."
    )


class ListQuery(Schema):
    q: str = ""
    kind: str = ""
    domain: str = ""
    nation: str = ""
    page: int = Field(default=1, ge=1)


class TranslationIn(Schema):
    title: str = Field(max_length=bounds.TITLE_CHARS)
    body: str = Field(default="", max_length=bounds.BODY_CHARS)


class MarkingChangeIn(Schema):
    marking: MarkingIn
    reason: str = Field(max_length=bounds.REASON_CHARS)


class MarkingChangeOut(Schema):
    id: str
    item: str
    status: str
    requested_by: str
    requested_at: datetime
    reason: str
    before: dict[str, object]
    after: dict[str, object]
    decided_by: str | None
    decided_at: datetime | None


class DecisionIn(Schema):
    approve: bool


class AttachmentIn(Schema):
    name: str = Field(max_length=bounds.TITLE_CHARS)
    content_type: str = Field(default="application/octet-stream", max_length=100)
    data_base64: str = Field(max_length=bounds.MAX_ATTACHMENT_BYTES * 4 // 3 + 4)
    # Optional: a sending system may give the checksum it computed, to catch damage on the
    # way; Kizuna computes and stores its own either way.
    sha256: str | None = Field(default=None, max_length=64)


class AttachmentOut(Schema):
    id: str
    name: str
    content_type: str
    size: int
    sha256: str


class TitleOut(Schema):
    id: str
    title: str


class CountOut(Schema):
    count: int


class MapPointOut(Schema):
    id: str
    kind: str
    title: str
    latitude: float
    longitude: float
    observed_at: datetime | None
    level: str


class MapPlaceOut(Schema):
    layer: str
    url: str
    title: str
    latitude: float
    longitude: float
    note: str


class ReadQuery(Schema):
    username: str = ""
    item: str = ""
    action: str = ""
    since: datetime | None = None
    until: datetime | None = None


class ReadOut(Schema):
    at: datetime
    person: str
    item: str
    action: str
    channel: str


def item_out(item: SharedItem) -> ItemOut:
    marking = services.Marking.of(item)
    return ItemOut(
        id=item.public_id,
        kind=item.kind,
        domain=item.domain,
        originator=item.originator.code,
        originator_nation=item.originator.nation_id,
        created_at=item.created_at,
        original_language=item.original_language,
        title_ja=item.title_ja,
        title_en=item.title_en,
        body_ja=item.body_ja,
        body_en=item.body_en,
        translated_by=item.translated_by.username if item.translated_by else None,
        translated_at=item.translated_at,
        latitude=item.latitude,
        longitude=item.longitude,
        observed_at=item.observed_at,
        observation=item.observation,
        marking=MarkingOut(
            level=marking.level,
            level_nation=item.marking.level.nation_id,
            releasable_to=list(marking.releasable_to),
            caveats=list(marking.caveats),
            communities=list(marking.communities),
        ),
    )


def _change_out(change: MarkingChange) -> MarkingChangeOut:
    return MarkingChangeOut(
        id=change.public_id,
        item=change.item.public_id,
        status=change.status,
        requested_by=change.requested_by.username,
        requested_at=change.requested_at,
        reason=change.reason,
        before=change.before,
        after=change.after,
        decided_by=change.decided_by.username if change.decided_by else None,
        decided_at=change.decided_at,
    )


def _filters(query: ListQuery) -> selectors.ItemFilters:
    return selectors.ItemFilters(
        q=query.q, kind=query.kind, domain=query.domain, originator_nation=query.nation
    )


@router.get("/items", response=ItemPageOut)
def items(request: HttpRequest, query: Query[ListQuery]) -> ItemPageOut:
    page = selectors.item_page(person=person_of(request), filters=_filters(query), page=query.page)
    return ItemPageOut(
        count=page.count,
        count_capped=page.count_capped,
        page=query.page,
        items=[item_out(i) for i in page.rows],
        searched_also=[GlossaryPairOut(said=e.said, means=e.means) for e in page.query.expansions],
    )


@router.get("/items/count", response=CountOut)
def count(request: HttpRequest, query: Query[ListQuery]) -> CountOut:
    return CountOut(count=selectors.item_count(person=person_of(request), filters=_filters(query)))


@router.get("/items/titles", response=list[TitleOut])
def titles(request: HttpRequest, prefix: str = "") -> list[TitleOut]:
    rows = selectors.titles_starting(person=person_of(request), prefix=prefix)
    return [TitleOut(id=i.public_id, title=i.title) for i in rows]


@router.post("/items", response={201: ItemOut})
def create(request: HttpRequest, payload: ItemIn) -> Status[ItemOut]:
    person = person_of(request)
    originator = Organization.objects.filter(code=payload.originator).first()
    if originator is None:
        raise ValidationError({"originator": _("Unknown organization.")})
    item = services.item_create(
        person=person,
        kind=payload.kind,
        domain=payload.domain,
        originator=originator,
        original_language=payload.original_language,
        title=payload.title,
        body=payload.body,
        marking=payload.marking.marking(),
        latitude=payload.latitude,
        longitude=payload.longitude,
        observed_at=payload.observed_at,
        observation=payload.observation,
    )
    return Status(201, item_out(selectors.item_get(person=person, public_id=item.public_id)))


@router.get("/items/{item_id}", response=ItemOut)
def item(request: HttpRequest, item_id: str) -> ItemOut:
    person = person_of(request)
    found = selectors.item_get(person=person, public_id=item_id)
    services.record_reads(person=person, items=[found], action=ReadEvent.Action.VIEW, channel="api")
    return item_out(found)


@router.post("/items/{item_id}/translation", response=ItemOut)
def translate(request: HttpRequest, item_id: str, payload: TranslationIn) -> ItemOut:
    person = person_of(request)
    found = selectors.item_get(person=person, public_id=item_id)
    services.item_translate(person=person, item=found, title=payload.title, body=payload.body)
    return item_out(selectors.item_get(person=person, public_id=item_id))


@router.post("/items/{item_id}/marking", response={201: MarkingChangeOut})
def change_marking(
    request: HttpRequest, item_id: str, payload: MarkingChangeIn
) -> Status[MarkingChangeOut]:
    person = person_of(request)
    found = selectors.item_get(person=person, public_id=item_id)
    change = services.marking_change(
        person=person, item=found, marking=payload.marking.marking(), reason=payload.reason
    )
    return Status(201, _change_out(change))


@router.get("/items/{item_id}/history", response=list[MarkingChangeOut])
def history(request: HttpRequest, item_id: str) -> list[MarkingChangeOut]:
    person = person_of(request)
    found = selectors.item_get(person=person, public_id=item_id)
    return [_change_out(c) for c in selectors.item_history(person=person, item=found)]


@router.get("/items/{item_id}/related", response=list[TitleOut])
def related(request: HttpRequest, item_id: str) -> list[TitleOut]:
    person = person_of(request)
    found = selectors.item_get(person=person, public_id=item_id)
    return [
        TitleOut(id=i.public_id, title=i.title)
        for i in selectors.related_items(person=person, item=found)
    ]


@router.get("/marking-changes", response=list[MarkingChangeOut])
def pending(request: HttpRequest) -> list[MarkingChangeOut]:
    return [_change_out(c) for c in selectors.pending_changes(person=person_of(request))]


@router.post("/marking-changes/{change_id}/decision", response=MarkingChangeOut)
def decide(request: HttpRequest, change_id: str, payload: DecisionIn) -> MarkingChangeOut:
    change = services.marking_change_decide(
        person=person_of(request), change_id=change_id, approve=payload.approve
    )
    return _change_out(change)


@router.get("/items/{item_id}/attachments", response=list[AttachmentOut])
def attachments(request: HttpRequest, item_id: str) -> list[AttachmentOut]:
    found = selectors.item_get(person=person_of(request), public_id=item_id)
    return [
        AttachmentOut(
            id=a.public_id, name=a.name, content_type=a.content_type, size=a.size, sha256=a.sha256
        )
        for a in selectors.attachments_of(found)
    ]


@router.post("/items/{item_id}/attachments", response={201: AttachmentOut})
def attach(request: HttpRequest, item_id: str, payload: AttachmentIn) -> Status[AttachmentOut]:
    person = person_of(request)
    found = selectors.item_get(person=person, public_id=item_id)
    try:
        data = base64.b64decode(payload.data_base64, validate=True)
    except (binascii.Error, ValueError):
        raise ValidationError({"data_base64": _("The file is not valid base64.")}) from None
    attachment = services.attachment_add(
        person=person,
        item=found,
        name=payload.name,
        content_type=payload.content_type,
        data=data,
        sha256=payload.sha256,
    )
    return Status(
        201,
        AttachmentOut(
            id=attachment.public_id,
            name=attachment.name,
            content_type=attachment.content_type,
            size=attachment.size,
            sha256=attachment.sha256,
        ),
    )


@router.get("/items/{item_id}/attachments/{attachment_id}")
def download(request: HttpRequest, item_id: str, attachment_id: str) -> FileResponse:
    person = person_of(request)
    attachment = selectors.attachment_get(person=person, item_id=item_id, public_id=attachment_id)
    services.record_reads(
        person=person, items=[attachment.item], action=ReadEvent.Action.DOWNLOAD, channel="api"
    )
    return attachment_response(attachment)


def attachment_response(attachment: Attachment) -> FileResponse:
    """The stored bytes, streamed from storage in chunks, with their checksum for the
    receiver to verify."""
    response = FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.content_type,
        as_attachment=True,
        filename=f"{attachment.public_id}.bin",
    )
    response["Digest"] = "sha-256=" + base64.b64encode(bytes.fromhex(attachment.sha256)).decode()
    return response


class ImportOut(Schema):
    imported: list[str]


@router.get("/export/stix")
def export_stix(request: HttpRequest, query: Query[ListQuery]) -> HttpResponse:
    """A STIX 2.1 bundle of the items the filters select that the caller may see."""
    person = person_of(request)
    rows = selectors.export_items(person=person, filters=_filters(query))
    services.record_reads(person=person, items=rows, action=ReadEvent.Action.EXPORT, channel="api")
    return stix_response(stix.bundle_of(rows))


def stix_response(bundle: dict[str, object]) -> HttpResponse:
    response = HttpResponse(
        json.dumps(bundle, ensure_ascii=False), content_type="application/stix+json;version=2.1"
    )
    response["Content-Disposition"] = 'attachment; filename="kizuna-stix.json"'
    return response


@router.post("/import/stix", response={201: ImportOut})
def import_stix(request: HttpRequest) -> Status[ImportOut]:
    """Import a STIX 2.1 bundle (the request body); refused whole on any unknown marking."""
    if int(request.META.get("CONTENT_LENGTH") or 0) > stix.MAX_BUNDLE_BYTES:
        raise ValidationError({"bundle": _("The bundle is larger than 2 MB.")})
    created = services.stix_import(person=person_of(request), data=request.body)
    return Status(201, ImportOut(imported=[i.public_id for i in created]))


@router.get("/map", response=list[MapPointOut])
def map_data(request: HttpRequest) -> list[MapPointOut]:
    return [
        MapPointOut(
            id=p.public_id,
            kind=p.kind,
            title=p.title,
            latitude=p.latitude,
            longitude=p.longitude,
            observed_at=p.observed_at,
            level=p.level,
        )
        for p in selectors.map_points(person=person_of(request))
    ]


@router.get("/map/places", response=list[MapPlaceOut])
def map_places(request: HttpRequest) -> list[MapPlaceOut]:
    """The other apps' layers of the shared map (open situations), each by its app's rule."""
    return [
        MapPlaceOut(
            layer=p.layer,
            url=p.url,
            title=p.title,
            latitude=p.latitude,
            longitude=p.longitude,
            note=p.note,
        )
        for p in selectors.map_places(person=person_of(request))
    ]


@router.get("/reads", response=list[ReadOut])
def reads(request: HttpRequest, query: Query[ReadQuery]) -> list[ReadOut]:
    rows = selectors.reads(
        person=person_of(request),
        filters=selectors.ReadFilters(
            username=query.username,
            item=query.item,
            action=query.action,
            since=query.since,
            until=query.until,
        ),
    )[:500]
    return [
        ReadOut(
            at=r.at,
            person=r.person.username,
            item=r.item.public_id,
            action=r.action,
            channel=r.channel,
        )
        for r in rows
    ]
