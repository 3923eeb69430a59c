"""Writes: bad input refused whole with a clear reason, marking changes under the two-person
rule, translation provenance, attachments checked against their checksum."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import translation

from kizuna.core.audit import proves
from kizuna.core.models import AuditEvent, Person, Role
from kizuna.sharing import services
from kizuna.sharing.models import Attachment, MarkingChange, SharedItem
from kizuna.sharing.services import Marking

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_english() -> Iterator[None]:
    """The services answer in the reader's language; these tests read English."""
    with translation.override("en"):
        yield


def _marking(item: SharedItem) -> dict[str, object]:
    item.refresh_from_db()
    return Marking.of(item).as_json()


@pytest.mark.parametrize(
    ("marking", "field"),
    [
        (Marking("", ("JPN",)), "level"),
        (Marking("no-such-level", ("JPN",)), "level"),
        (Marking("usa-u1", ("JPN", "USA")), "level"),  # a level of another nation
        (Marking("jpn-j1", ()), "releasable_to"),
        (Marking("jpn-j1", ("USA",)), "releasable_to"),  # leaves out its own nation
        (Marking("jpn-j1", ("JPN", "XXX")), "releasable_to"),
        (Marking("jpn-j1", ("JPN",), caveats=("no-such",)), "caveats"),
        (Marking("jpn-j1", ("JPN",), communities=("no-such",)), "communities"),
    ],
)
def test_a_bad_marking_is_refused_and_nothing_is_stored(
    jp_info: Person, share: Callable, marking: Marking, field: str
) -> None:
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as error:
        share(
            jp_info,
            level=marking.level,
            releasable_to=marking.releasable_to,
            caveats=marking.caveats,
            communities=marking.communities,
        )
    assert field in error.value.message_dict
    assert SharedItem.objects.count() == 0
    assert AuditEvent.objects.count() == events


def test_nobody_marks_an_item_beyond_their_own_clearance(
    cleared: Callable, share: Callable
) -> None:
    low = cleared("low", level="jpn-j1")
    with pytest.raises(ValidationError, match="clearance"):
        share(low, level="jpn-j2")
    with pytest.raises(ValidationError, match="clearance"):
        share(low, communities=("bmd",))


def test_a_contact_report_needs_position_and_time(jp_info: Person, share: Callable) -> None:
    with pytest.raises(ValidationError) as error:
        share(jp_info, kind=SharedItem.Kind.MARITIME_CONTACT, domain="maritime")
    assert "latitude" in error.value.message_dict
    item = share(
        jp_info,
        kind=SharedItem.Kind.MARITIME_CONTACT,
        domain="maritime",
        latitude=34.3,
        longitude=129.6,
        observed_at=datetime(2020, 11, 2, tzinfo=UTC),
        observation="貨物船1隻",
    )
    assert item.has_position


def test_an_auditor_cannot_share(cleared: Callable, share: Callable) -> None:
    auditor = cleared("aud", role=Role.AUDITOR)
    with pytest.raises(PermissionDenied):
        share(auditor)


def test_a_clearance_of_another_nation_is_refused(make_person: Callable) -> None:
    person = make_person("jp", role=Role.COORDINATOR)
    with pytest.raises(ValidationError, match="own nation"):
        services.clearance_grant(actor=None, person=person, level="usa-u1")
    with pytest.raises(ValidationError, match="Unknown"):
        services.clearance_grant(actor=None, person=person, level="jpn-j9")


def test_translation_keeps_the_original_and_records_who_translated(
    jp_info: Person, us_info: Person, share: Callable
) -> None:
    item = share(jp_info, "宇宙状況監視の報告", body="本文")
    services.item_translate(person=us_info, item=item, title="SSA report", body="Body")
    item.refresh_from_db()
    assert (item.original_language, item.title_ja, item.title_en) == (
        "ja",
        "宇宙状況監視の報告",
        "SSA report",
    )
    assert item.translated_by == us_info
    assert item.translated_at is not None
    assert "ssa" in item.search_grams.split()


def test_raising_the_marking_applies_at_once(jp_info: Person, share: Callable) -> None:
    item = share(jp_info)
    change = services.marking_change(
        person=jp_info,
        item=item,
        marking=Marking("jpn-j2", ("JPN",), caveats=("no-copies",)),
        reason="内容に機微な情報を含むため",
    )
    assert change.status == MarkingChange.Status.APPLIED
    assert _marking(item) == {
        "level": "jpn-j2",
        "releasable_to": ["JPN"],
        "caveats": ["no-copies"],
        "communities": [],
    }
    event = AuditEvent.objects.filter(action="sharing.marking.raise").get()
    # The reason is sealed in the event, not kept there: the change proves it.
    assert "機微" not in str(event.after)
    assert proves(event, {**change.after, "reason": change.reason, "change": change.pk})


def test_lowering_waits_for_a_second_information_manager(
    jp_info: Person, cleared: Callable, share: Callable
) -> None:
    item = share(jp_info, level="jpn-j2", releasable_to=("national_only",))
    wider = Marking("jpn-j1", ("JPN", "USA"))
    change = services.marking_change(person=jp_info, item=item, marking=wider, reason="公表済み")
    assert change.status == MarkingChange.Status.PENDING
    assert _marking(item)["releasable_to"] == ["JPN"]
    with pytest.raises(ValidationError, match="second"):
        services.marking_change_decide(person=jp_info, change_id=change.public_id, approve=True)
    second = cleared("jp-im-2", level="jpn-j3", role=Role.INFORMATION_MANAGER)
    services.marking_change_decide(person=second, change_id=change.public_id, approve=True)
    assert _marking(item) == wider.as_json()
    with pytest.raises(ValidationError, match="already"):
        services.marking_change_decide(person=second, change_id=change.public_id, approve=False)


def test_a_rejected_change_leaves_the_marking(
    jp_info: Person, cleared: Callable, share: Callable
) -> None:
    item = share(jp_info, level="jpn-j2")
    change = services.marking_change(
        person=jp_info, item=item, marking=Marking("jpn-j1", ("JPN", "USA")), reason="r"
    )
    second = cleared("jp-im-2", level="jpn-j3", role=Role.INFORMATION_MANAGER)
    services.marking_change_decide(person=second, change_id=change.public_id, approve=False)
    assert _marking(item)["level"] == "jpn-j2"


def test_only_an_information_manager_of_the_originating_nation_changes_markings(
    jp_info: Person, us_info: Person, cleared: Callable, share: Callable
) -> None:
    item = share(jp_info)
    coordinator = cleared("jp-coord", level="jpn-j3")
    for person in (us_info, coordinator):
        with pytest.raises(PermissionDenied):
            services.marking_change(
                person=person, item=item, marking=Marking("jpn-j2", ("JPN",)), reason="r"
            )
    change = services.marking_change(
        person=jp_info, item=item, marking=Marking("jpn-j1", ("JPN", "USA", "AUS")), reason="r"
    )
    with pytest.raises(PermissionDenied):
        services.marking_change_decide(person=us_info, change_id=change.public_id, approve=True)


def test_a_change_needs_a_reason(jp_info: Person, share: Callable) -> None:
    item = share(jp_info)
    with pytest.raises(ValidationError, match="why"):
        services.marking_change(
            person=jp_info, item=item, marking=Marking("jpn-j2", ("JPN",)), reason="  "
        )


def test_an_attachment_whose_checksum_differs_is_refused(jp_info: Person, share: Callable) -> None:
    item = share(jp_info)
    data = "宇宙状況報告".encode()
    with pytest.raises(ValidationError, match="checksum"):
        services.attachment_add(
            person=jp_info,
            item=item,
            name="r.txt",
            content_type="text/plain",
            data=data,
            sha256=hashlib.sha256(b"other").hexdigest(),
        )
    assert Attachment.objects.count() == 0
    attachment = services.attachment_add(
        person=jp_info,
        item=item,
        name="r.txt",
        content_type="text/plain",
        data=data,
        sha256=hashlib.sha256(data).hexdigest().upper(),
    )
    assert attachment.sha256 == hashlib.sha256(data).hexdigest()


def test_a_hidden_item_cannot_be_translated_or_attached_to(
    jp_info: Person, us_info: Person, share: Callable
) -> None:
    item = share(jp_info, releasable_to=("national_only",))
    with pytest.raises(Http404):
        services.item_translate(person=us_info, item=item, title="x")
    with pytest.raises(Http404):
        services.attachment_add(
            person=us_info,
            item=item,
            name="x",
            content_type="",
            data=b"x",
            sha256=hashlib.sha256(b"x").hexdigest(),
        )
