"""Every write of the sharing app: one function per action, atomic, audited."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from kizuna.core import bounds
from kizuna.core.audit import record_event, record_fields
from kizuna.core.models import Nation, Organization, Person
from kizuna.core.public_ids import get_public_or_404

from . import policy, stix
from .marking import Marking
from .models import (
    Attachment,
    ClassificationLevel,
    Clearance,
    Community,
    Domain,
    HandlingCaveat,
    MarkingChange,
    MarkingSet,
    ReadEvent,
    SharedItem,
)
from .search import item_grams

MAX_ATTACHMENT_BYTES = bounds.MAX_ATTACHMENT_BYTES
NATIONAL_ONLY = "national_only"


@dataclass(frozen=True)
class ResolvedMarking:
    level: ClassificationLevel
    nations: list[Nation]
    caveats: list[HandlingCaveat]
    communities: list[Community]


def _unknown(model: Any, codes: Iterable[str], field: str, message: str) -> list[Any]:
    wanted = list(dict.fromkeys(codes))
    if not wanted:  # most markings name no caveat or community: no query to build
        return []
    found = {o.code: o for o in model.objects.filter(code__in=wanted)}
    missing = [code for code in wanted if code not in found]
    if missing:
        raise ValidationError({field: message % {"codes": ", ".join(missing)}})
    return [found[code] for code in wanted]


def resolve_marking(marking: Marking, *, originator: Organization) -> ResolvedMarking:
    """The marking's reference rows; refuses unknown codes, a level of another nation and a
    releasability that leaves out the originating nation."""
    if not marking.level:
        raise ValidationError({"level": _("Every item needs a classification.")})
    level = ClassificationLevel.objects.filter(code=marking.level).first()
    if level is None:
        raise ValidationError(
            {"level": _("Unknown classification level: %(code)s") % {"code": marking.level}}
        )
    if level.nation_id != originator.nation_id:
        raise ValidationError({"level": _("Mark the item with a level of the originating nation.")})
    codes = list(marking.releasable_to)
    if codes == [NATIONAL_ONLY]:
        codes = [originator.nation_id]
    if not codes:
        raise ValidationError({"releasable_to": _("Say to which nations the item is releasable.")})
    nations = _unknown(Nation, codes, "releasable_to", _("Unknown nations: %(codes)s"))
    if originator.nation_id not in codes:
        raise ValidationError(
            {"releasable_to": _("The releasability must include the originating nation.")}
        )
    caveats = _unknown(
        HandlingCaveat, marking.caveats, "caveats", _("Unknown handling caveats: %(codes)s")
    )
    communities = _unknown(
        Community, marking.communities, "communities", _("Unknown communities: %(codes)s")
    )
    if reserved := [c.code for c in communities if c.reserved_for]:
        raise ValidationError(
            {
                "communities": _("These communities mark only their own records: %(codes)s")
                % {"codes": ", ".join(reserved)}
            }
        )
    return ResolvedMarking(level, nations, caveats, communities)


def marking_set(resolved: ResolvedMarking) -> MarkingSet:
    """The one row of this marking, made on first use; records point at it."""
    key = Marking(
        level=resolved.level.code,
        releasable_to=tuple(n.code for n in resolved.nations),
        caveats=tuple(c.code for c in resolved.caveats),
        communities=tuple(c.code for c in resolved.communities),
    ).key
    found, created = MarkingSet.objects.get_or_create(key=key, defaults={"level": resolved.level})
    if created:
        found.releasable_to.set(resolved.nations)
        found.caveats.set(resolved.caveats)
        found.communities.set(resolved.communities)
    return found


def _apply_marking(item: SharedItem, resolved: ResolvedMarking) -> None:
    item.marking = marking_set(resolved)
    item.save(update_fields=["marking"])


def require_within_reach(person: Person, resolved: ResolvedMarking) -> None:
    """Nobody marks a record beyond what they themselves may see (other apps' services
    call this too)."""
    reach = policy.reach_of(person)
    if reach is None:
        raise PermissionDenied
    if (
        resolved.level.pk not in reach.levels
        or reach.nation not in {n.code for n in resolved.nations}
        or not {c.pk for c in resolved.caveats} <= reach.caveats
        or not {c.pk for c in resolved.communities} <= reach.communities
    ):
        raise ValidationError({"level": _("You may not mark an item beyond your own clearance.")})


def _item_texts(
    *,
    original_language: str,
    title: str,
    body: str,
) -> dict[str, str]:
    if original_language not in SharedItem.Language.values:
        raise ValidationError({"original_language": _("Choose Japanese or English.")})
    title, body = title.strip(), body.strip()
    if not title:
        raise ValidationError({"title": _("Give the item a title.")})
    if len(title) > 200:
        raise ValidationError({"title": _("The title is at most 200 characters.")})
    return {f"title_{original_language}": title, f"body_{original_language}": body}


@transaction.atomic
def item_create(
    *,
    person: Person,
    kind: str,
    domain: str,
    originator: Organization,
    original_language: str,
    title: str,
    body: str = "",
    marking: Marking,
    latitude: float | None = None,
    longitude: float | None = None,
    observed_at: Any = None,
    observation: str = "",
) -> SharedItem:
    if not policy.may_contribute(person):
        raise PermissionDenied
    if not person.memberships.filter(organization=originator).exists():
        raise ValidationError(
            {"originator": _("You can report only for an organization you belong to.")}
        )
    if kind not in SharedItem.Kind.values:
        raise ValidationError({"kind": _("Unknown kind of item.")})
    if domain not in Domain.values:
        raise ValidationError({"domain": _("Unknown domain.")})
    texts = _item_texts(original_language=original_language, title=title, body=body)
    _check_observation(kind, latitude, longitude, observed_at)
    resolved = resolve_marking(marking, originator=originator)
    require_within_reach(person, resolved)
    item = _new_item(
        resolved,
        kind=kind,
        domain=domain,
        originator=originator,
        created_by=person,
        original_language=original_language,
        latitude=latitude,
        longitude=longitude,
        observed_at=observed_at,
        observation=observation.strip(),
        **texts,
    )
    record_event(
        actor=person,
        action="sharing.item.create",
        obj=item,
        after=record_fields(item, *_ITEM_CONTENT),
    )
    return item


# What an item's creation event seals: everything the item was written with.
_ITEM_CONTENT = (
    *("kind", "domain", "originator", "created_by", "original_language"),
    *("title_ja", "title_en", "body_ja", "body_en"),
    *("latitude", "longitude", "observed_at", "observation", "marking"),
)


def _new_item(resolved: ResolvedMarking, **fields: Any) -> SharedItem:
    """Store an item whose fields and marking were already checked."""
    item = SharedItem(created_at=timezone.now(), marking=marking_set(resolved), **fields)
    item.search_grams = item_grams(item)
    item.full_clean(exclude=["search_grams"])
    item.save()
    return item


def _check_observation(kind: str, latitude: Any, longitude: Any, observed_at: Any) -> None:
    if isinstance(observed_at, str):  # a STIX import hands over the ISO text
        observed_at = parse_datetime(observed_at)
    bounds.check_moment("observed", observed_at, field="observed_at")
    if (latitude is None) != (longitude is None):
        raise ValidationError({"latitude": _("Give both latitude and longitude, or neither.")})
    if latitude is not None and not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise ValidationError({"latitude": _("The position is outside the globe.")})
    if kind in SharedItem.POSITIONED and (latitude is None or observed_at is None):
        raise ValidationError(
            {"latitude": _("A contact or ISR report needs the position and time of the sighting.")}
        )


@transaction.atomic
def item_translate(*, person: Person, item: SharedItem, title: str, body: str = "") -> SharedItem:
    """Give the item its text in the language it was not written in, with provenance."""
    if not policy.may_translate(person):
        raise PermissionDenied
    item = _visible_for_update(person, item.pk)
    target = "en" if item.original_language == "ja" else "ja"
    texts = _item_texts(original_language=target, title=title, body=body)
    before = {k: getattr(item, k) for k in texts}
    for key, value in texts.items():
        setattr(item, key, value)
    item.translated_by = person
    item.translated_at = timezone.now()
    item.search_grams = item_grams(item)
    item.save()
    record_event(
        actor=person, action="sharing.item.translate", obj=item, before=before, after=texts
    )
    return item


def _visible_for_update(person: Person, pk: int) -> SharedItem:
    try:
        return (
            policy.visible(person)
            .select_for_update(of=("self",))
            .select_related("originator", "marking")
            .get(pk=pk)
        )
    except SharedItem.DoesNotExist:
        raise Http404 from None


def is_raising(before: ResolvedMarking, after: ResolvedMarking) -> bool:
    """Raising restricts: level at or above, releasability a subset, caveats and communities
    a superset. Anything else lowers or widens and needs a second person."""
    return (
        after.level.rank >= before.level.rank
        and {n.pk for n in after.nations} <= {n.pk for n in before.nations}
        and {c.pk for c in after.caveats} >= {c.pk for c in before.caveats}
        and {c.pk for c in after.communities} >= {c.pk for c in before.communities}
    )


@transaction.atomic
def marking_change(
    *, person: Person, item: SharedItem, marking: Marking, reason: str
) -> MarkingChange:
    """Ask for a new marking. Raising applies now; lowering or widening waits for another
    information manager of the originating nation (`marking_change_decide`)."""
    item = _visible_for_update(person, item.pk)
    if not policy.may_change_marking(person, item):
        raise PermissionDenied
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the marking changes.")})
    before_marking = Marking.of(item)
    before = resolve_marking(before_marking, originator=item.originator)
    after = resolve_marking(marking, originator=item.originator)
    if before_marking.as_json() == marking.as_json():
        raise ValidationError({"level": _("The new marking is the same as the current one.")})
    now = timezone.now()
    raising = is_raising(before, after)
    change = MarkingChange.objects.create(
        item=item,
        requested_by=person,
        requested_at=now,
        reason=reason,
        before=before_marking.as_json(),
        after=marking.as_json() | {"releasable_to": sorted(n.code for n in after.nations)},
        status=MarkingChange.Status.APPLIED if raising else MarkingChange.Status.PENDING,
    )
    if raising:
        _apply_marking(item, after)
    record_event(
        actor=person,
        action="sharing.marking.raise" if raising else "sharing.marking.request",
        obj=item,
        before=change.before,
        after={**change.after, "reason": reason, "change": change.pk},
    )
    return change


@transaction.atomic
def marking_change_decide(*, person: Person, change_id: str, approve: bool) -> MarkingChange:
    """The second person's decision on a lowering or widening."""
    change = get_public_or_404(
        MarkingChange.objects.select_for_update(of=("self",))
        .select_related("item__originator")
        .filter(item__in=policy.visible(person)),
        change_id,
    )
    if not policy.may_change_marking(person, change.item):
        raise PermissionDenied
    if change.status != MarkingChange.Status.PENDING:
        raise ValidationError({"status": _("This change has already been decided.")})
    if change.requested_by_id == person.pk:
        raise ValidationError(
            {"status": _("A second information manager must decide on this change.")}
        )
    change.status = MarkingChange.Status.APPLIED if approve else MarkingChange.Status.REJECTED
    change.decided_by = person
    change.decided_at = timezone.now()
    change.save(update_fields=["status", "decided_by", "decided_at"])
    if approve:
        after = change.after
        resolved = resolve_marking(
            Marking(
                level=after["level"],
                releasable_to=tuple(after["releasable_to"]),
                caveats=tuple(after["caveats"]),
                communities=tuple(after["communities"]),
            ),
            originator=change.item.originator,
        )
        _apply_marking(change.item, resolved)
    record_event(
        actor=person,
        action="sharing.marking.approve" if approve else "sharing.marking.reject",
        obj=change.item,
        before=change.before,
        after={**change.after, "change": change.pk},
    )
    return change


class _Digesting(File):
    """A file whose chunks are counted and hashed as storage copies them: the checksum comes
    from the bytes written, in one pass, without holding the file."""

    def __init__(self, file: Any) -> None:
        super().__init__(file)
        self.digest = hashlib.sha256()
        self.copied = 0

    def chunks(self, chunk_size: int | None = None) -> Iterator[bytes]:
        for chunk in super().chunks(chunk_size):
            self.digest.update(chunk)
            self.copied += len(chunk)
            yield chunk


@transaction.atomic
def attachment_add(
    *,
    person: Person,
    item: SharedItem,
    name: str,
    content_type: str,
    data: bytes | File,
    sha256: str | None = None,
) -> Attachment:
    """Store a file (bytes, or an upload Django has spooled to disk) in chunks, with the
    SHA-256 checksum Kizuna computes while copying. A checksum a sending system gives (the
    API) is compared with it, and the file refused if they differ."""
    item = _visible_for_update(person, item.pk)
    if not policy.may_contribute(person):
        raise PermissionDenied
    name = name.strip()[:200]
    if not name:
        raise ValidationError({"name": _("Give the file a name.")})
    content = ContentFile(data) if isinstance(data, bytes) else data
    too_large = ValidationError({"file": _("The file is larger than 10 MB.")})
    if content.size > MAX_ATTACHMENT_BYTES:
        raise too_large
    field = Attachment._meta.get_field("file")
    copying = _Digesting(content)
    stored = field.storage.save(f"attachments/{uuid.uuid4().hex}", copying)
    # The row and the file stand or fall together: a refusal below removes the file.
    try:
        digest = copying.digest.hexdigest()
        if copying.copied > MAX_ATTACHMENT_BYTES:
            raise too_large
        if sha256 is not None and digest != sha256.strip().lower():
            raise ValidationError(
                {"sha256": _("The checksum does not match the file: it was damaged on the way.")}
            )
        attachment = Attachment.objects.create(
            item=item,
            name=name,
            content_type=content_type[:100] or "application/octet-stream",
            size=copying.copied,
            sha256=digest,
            file=stored,
            added_by=person,
            added_at=timezone.now(),
        )
        record_event(
            actor=person,
            action="sharing.attachment.add",
            obj=item,
            after={
                "attachment": attachment.pk,
                "name": name,
                "sha256": digest,
                "size": copying.copied,
            },
        )
    except BaseException:
        field.storage.delete(stored)
        raise
    return attachment


def record_reads(*, person: Person, items: Iterable[SharedItem], action: str, channel: str) -> None:
    """Who saw what: one row per item, written even when the request only reads."""
    now = timezone.now()
    ReadEvent.objects.bulk_create(
        [
            ReadEvent(at=now, person=person, item=item, action=action, channel=channel)
            for item in items
        ]
    )


@transaction.atomic
def clearance_grant(
    *,
    actor: Person | None,
    person: Person,
    level: str,
    caveats: Iterable[str] = (),
    communities: Iterable[str] = (),
) -> Clearance:
    """Set a person's clearance; the level must be one of their own nation's."""
    found = ClassificationLevel.objects.filter(code=level).first()
    if found is None:
        raise ValidationError(
            {"level": _("Unknown classification level: %(code)s") % {"code": level}}
        )
    if found.nation_id not in person.nations:
        raise ValidationError({"level": _("A clearance is granted by the person's own nation.")})
    held_caveats = _unknown(
        HandlingCaveat, caveats, "caveats", _("Unknown handling caveats: %(codes)s")
    )
    held_communities = _unknown(
        Community, communities, "communities", _("Unknown communities: %(codes)s")
    )
    clearance, _created = Clearance.objects.update_or_create(
        person=person, defaults={"level": found}
    )
    clearance.caveats.set(held_caveats)
    clearance.communities.set(held_communities)
    policy.forget_reach(person)
    record_event(
        actor=actor,
        action="sharing.clearance.grant",
        obj=clearance,
        after={
            "person": person.pk,
            "level": found.code,
            "caveats": sorted(c.code for c in held_caveats),
            "communities": sorted(c.code for c in held_communities),
        },
    )
    return clearance


@transaction.atomic
def stix_import(*, person: Person, data: bytes) -> list[SharedItem]:
    """Import a STIX bundle whole or not at all: any unknown nation, level, caveat,
    community or organization refuses the bundle with every reason found."""
    if not policy.is_information_manager(person):
        raise PermissionDenied
    parsed = stix.parse(data)
    known = set(
        SharedItem.objects.filter(stix_id__in=[p.stix_id for p in parsed]).values_list(
            "stix_id", flat=True
        )
    )
    organizations = {
        o.code: o for o in Organization.objects.filter(code__in=[p.organization for p in parsed])
    }
    problems: list[str] = []
    created = []
    for entry in parsed:
        if entry.stix_id in known:
            continue
        originator = organizations.get(entry.organization)
        try:
            if originator is None:
                raise ValidationError(
                    {
                        "originator": _("Unknown organization: %(code)s")
                        % {"code": entry.organization}
                    }
                )
            if entry.kind not in SharedItem.Kind.values or entry.domain not in Domain.values:
                raise ValidationError({"kind": _("Unknown kind of item.")})
            _check_observation(entry.kind, entry.latitude, entry.longitude, entry.observed_at)
            resolved = resolve_marking(entry.marking, originator=originator)
            created.append(
                _new_item(
                    resolved,
                    stix_id=entry.stix_id,
                    kind=entry.kind,
                    domain=entry.domain,
                    originator=originator,
                    created_by=person,
                    original_language=entry.original_language,
                    latitude=entry.latitude,
                    longitude=entry.longitude,
                    observed_at=entry.observed_at,
                    observation=entry.observation,
                    **entry.texts,
                )
            )
        except ValidationError as error:
            problems.extend(f"{entry.stix_id}: {message}" for message in error.messages)
    if problems:
        raise ValidationError({"bundle": problems})
    record_event(
        actor=person,
        action="sharing.stix.import",
        object_type="sharing.shareditem",
        after={"items": [i.pk for i in created], "skipped": sorted(known)},
    )
    return created
