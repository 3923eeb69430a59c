"""Property: for generated worlds (administrators and auditors of either nation with
generated clearances; shared items with generated markings, each with its audit event, a
marking change with its reason and a read-audit line), every back-office list and form and
every audit view (the audit page, the back office's audit events, the read audit page and
API) shows a record, its id, its words and its actor only to those whose clearance covers
the record (the marking rule restated in tests/marked_worlds.py), and a hidden record's
back-office pages answer exactly as a missing one's."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone, translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kizuna.core.admin import site
from kizuna.core.audit import record_event
from kizuna.core.models import AuditEvent, Membership, Nation, Organization, Person, Role
from kizuna.sharing.models import MarkingChange, ReadEvent, SharedItem

from ..marked_worlds import ClearanceSpec, MarkingSpec, allows, clear, clearances, mark, markings

pytestmark = pytest.mark.django_db

ORGS = {"JPN": "jsdf-audit", "USA": "usfj-audit"}


@dataclass(frozen=True)
class ItemSpec:
    nation: str
    marking: MarkingSpec


@st.composite
def items(draw: st.DrawFn) -> ItemSpec:
    nation = draw(st.sampled_from(sorted(ORGS)))
    return ItemSpec(nation, draw(markings(nation)))


def _org(nation: str) -> Organization:
    organization, _ = Organization.objects.get_or_create(
        code=ORGS[nation],
        defaults={
            "name_ja": f"{nation}監査",
            "name_en": f"{nation} audit",
            "kind": "other",
            "nation": Nation.objects.get(code=nation),
        },
    )
    return organization


def _person(username: str, nation: str, role: Role) -> Person:
    person = Person.objects.create(username=username, language="en")
    Membership.objects.create(person=person, organization=_org(nation), role=role)
    return person


@dataclass(frozen=True)
class Row:
    """One generated record and everything that names it."""

    item: SharedItem
    event: AuditEvent
    change: MarkingChange
    read: ReadEvent
    words: str  # its title, in the event's content and the change's reason
    actor: str  # the username of the only person who acted on it


def _row(n: int, spec: ItemSpec) -> Row:
    organization = _org(spec.nation)
    actor = _person(f"who{n}q", spec.nation, Role.INFORMATION_MANAGER)
    words = f"secret{n}words"
    now = timezone.now()
    item = SharedItem.objects.create(
        kind=SharedItem.Kind.REPORT,
        domain="cyber",
        originator=organization,
        created_by=actor,
        created_at=now,
        original_language="en",
        title_en=words,
        body_en=words,
        marking=mark(spec.marking, organization),
    )
    event = record_event(actor=actor, action="sharing.item.create", obj=item, after={"t": words})
    change = MarkingChange.objects.create(
        item=item,
        requested_by=actor,
        requested_at=now,
        reason=f"reason of {words}",
        before=spec.marking.level,
        after=spec.marking.level,
        status=MarkingChange.Status.PENDING,
    )
    read = ReadEvent.objects.create(at=now, person=actor, item=item, action="view", channel="web")
    return Row(item, event, change, read, words, actor.username)


def _listed(html: str, model: type) -> set[int]:
    """The rows a back-office list links to."""
    meta = model._meta
    return {
        int(pk)
        for pk in re.findall(rf"/admin/{meta.app_label}/{meta.model_name}/(\d+)/change/", html)
    }


def _same_answer(client: Client, url: str, missing_url: str) -> None:
    hidden, missing = client.get(url), client.get(missing_url)
    assert hidden.status_code == missing.status_code
    assert hidden.get("Location") == missing.get("Location")
    assert hidden.content == missing.content


def _check_administrator(client: Client, rows: list[Row], allowed: set[int]) -> None:
    seen = [r for r in rows if r.item.pk in allowed]
    hidden = [r for r in rows if r.item.pk not in allowed]
    # Every list of the back office: no word or actor of a hidden record.
    for model in site._registry:
        meta = model._meta
        html = client.get(f"/admin/{meta.app_label}/{meta.model_name}/").content.decode()
        for row in hidden:
            assert row.words not in html, (meta.label, row.words)
            if model is not Person:  # the roster is every administrator's
                assert f">{row.actor}<" not in html, (meta.label, row.actor)
    # A deletion's page names what the deletion would take: not a hidden record's words.
    for row in hidden:
        author = Person.objects.get(username=row.actor)
        page = client.get(f"/admin/core/person/{author.pk}/delete/").content.decode()
        assert row.words not in page
    lists = {
        AuditEvent: lambda r: r.event.pk,
        MarkingChange: lambda r: r.change.pk,
        ReadEvent: lambda r: r.read.pk,
    }
    for model, pk_of in lists.items():
        html = client.get(f"/admin/{model._meta.app_label}/{model._meta.model_name}/").content
        mine = {pk_of(r) for r in rows}
        assert _listed(html.decode(), model) & mine == {pk_of(r) for r in seen}
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}"
        for row in seen:
            page = client.get(f"{base}/{pk_of(row)}/change/")
            assert page.status_code == 200
            # An audit event keeps a seal of a marked record's words, not the words.
            assert row.words in page.content.decode() or model in (ReadEvent, AuditEvent)
        for row in hidden:
            for view in ("change", "history", "delete"):
                _same_answer(client, f"{base}/{pk_of(row)}/{view}/", f"{base}/999999/{view}/")


def _check_auditor(client: Client, rows: list[Row], allowed: set[int]) -> None:
    hidden = [r for r in rows if r.item.pk not in allowed]
    mine = {r.item.pk for r in rows}
    audit = client.get("/audit/").content.decode()
    # The page names a record by its kind in the reader's language and its number.
    names = set()
    for language in ("ja", "en"):
        with translation.override(language):
            names.add(re.escape(str(SharedItem._meta.verbose_name)))
    listed = {int(pk) for pk in re.findall(rf"(?:{'|'.join(names)}) #(\d+)", audit)}
    assert listed & mine == allowed
    reads_page = client.get("/sharing/reads/").content.decode()
    api = client.get("/api/sharing/reads").json()
    public = {r.item.public_id: r.item.pk for r in rows}
    assert {public[r["item"]] for r in api if r["item"] in public} == allowed
    for row in hidden:
        for html in (audit, reads_page):
            assert f">{row.actor}<" not in html
            assert row.words not in html
        assert row.actor not in {r["person"] for r in api}


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    world_people=st.lists(clearances(), min_size=1, max_size=2),
    world_items=st.lists(items(), min_size=1, max_size=4),
)
def test_the_back_office_and_the_audit_show_nothing_beyond_a_clearance(
    world_people: list[ClearanceSpec], world_items: list[ItemSpec]
) -> None:
    with transaction.atomic():
        rows = [_row(n, spec) for n, spec in enumerate(world_items)]
        for n, spec in enumerate(world_people):
            allowed = {
                row.item.pk
                for row, item in zip(rows, world_items, strict=True)
                if allows(spec, item.marking)
            }
            administrator = _person(f"admin{n}", spec.nation, Role.ADMINISTRATOR)
            auditor = _person(f"auditor{n}", spec.nation, Role.AUDITOR)
            for person in (administrator, auditor):
                clear(person, spec)
            client = Client()
            client.force_login(administrator)
            _check_administrator(client, rows, allowed)
            _check_auditor(client, rows, allowed)
            client = Client()
            client.force_login(auditor)
            _check_auditor(client, rows, allowed)
        transaction.set_rollback(True)
