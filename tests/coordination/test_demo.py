"""The coordination demo scenarios load through the services, idempotently."""

from __future__ import annotations

import importlib
import pkgutil
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from kizuna.coordination import demo, selectors, services
from kizuna.coordination.models import Body, LogEntry, Situation, SupportRequest
from kizuna.core.audit import verify_chain
from kizuna.core.models import AuditEvent
from tests.core.test_translations import REFERENCE_EXCEPTIONS
from tests.glossary import mismatches

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(settings: object) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]
    with override_settings(DEMO_MODE=True):
        call_command("demo", verbosity=0)


def test_kumamoto_has_its_bilateral_centre_the_acm_and_both_airlifts_completed(
    loaded: None,
) -> None:
    kumamoto = Situation.objects.get(title_en=demo.KUMAMOTO)
    kinds = set(kumamoto.bodies.values_list("kind", flat=True))
    assert kinds == {Body.Kind.ACG, Body.Kind.BOCC, Body.Kind.BILATERAL_CENTRE}
    assert Body.objects.get(code="kumamoto-bcc").parent.code == "kumamoto-bocc"
    requests = kumamoto.support_requests.order_by("pk")
    assert [("MV-22" in r.summary, "C-130" in r.summary) for r in requests] == [
        (True, False),
        (False, True),
    ]
    assert {r.status for r in requests} == {SupportRequest.Status.COMPLETED}
    during = kumamoto.starts_at + timedelta(days=2)
    assert selectors.designation_in_force(kumamoto, during).code == "disaster-relief"
    # Closed at a plausible date, not left open since 2016.
    assert not kumamoto.is_open
    assert kumamoto.ends_at.date() == date(2016, 5, 30)


def test_the_missile_launch_runs_through_the_acm_with_information_shared(loaded: None) -> None:
    launch = Situation.objects.get(title_en=demo.MISSILE)
    shared = LogEntry.objects.get(situation=launch, kind="information")
    assert shared.body.kind == Body.Kind.BOCC
    assert shared.translated_by.username == "jp-info"
    assert shared.on_board
    designation = selectors.designation_in_force(launch, timezone.now())
    assert designation.code == "ballistic-missile-destruction"


def test_operation_tomodachi_peaks_at_the_seeds_figures(loaded: None) -> None:
    tomodachi = Situation.objects.get(title_en=demo.TOMODACHI)
    usa = selectors.resource_totals(selectors.resource_series(tomodachi))["USA"]
    assert (usa.personnel, usa.ships, usa.aircraft, usa.approximate) == (16000, 15, 140, True)
    # The seed gives the peak only: no invented build-up before it.
    assert tomodachi.resource_reports.count() == 1
    assert not tomodachi.is_open


def test_the_working_groups_carry_the_seeds_dates(loaded: None) -> None:
    scwg = Body.objects.get(code="scwg")
    assert scwg.established_on.year == 2015
    meetings = list(scwg.meetings.order_by("number"))
    assert [m.number for m in meetings] == [1, 7]
    assert meetings[0].held_on == date(2015, 10, 1)
    assert meetings[-1].held_on == date(2021, 3, 1)
    assert Body.objects.get(code="cdpwg").established_on == date(2013, 10, 1)
    assert set(Body.objects.filter(kind="working_group").values_list("code", flat=True)) == {
        "scwg",
        "cdpwg",
        "it-forum",
        "space-dialogue",
    }


def test_loading_twice_changes_nothing_and_the_chain_holds(loaded: None) -> None:
    counts = (Situation.objects.count(), LogEntry.objects.count(), AuditEvent.objects.count())
    with override_settings(DEMO_MODE=True):
        call_command("demo", verbosity=0)
    assert (
        Situation.objects.count(),
        LogEntry.objects.count(),
        AuditEvent.objects.count(),
    ) == counts
    assert verify_chain().intact


def test_demo_entries_are_marked_and_the_national_ones_stay_with_their_nation(
    loaded: None,
) -> None:
    from kizuna.core.models import Person
    from kizuna.sharing.models import Clearance

    launch = Situation.objects.get(title_en=demo.MISSILE)
    kumamoto = Situation.objects.get(title_en=demo.KUMAMOTO)

    def texts(username: str, situation: Situation) -> str:
        person = Person.objects.get(username=username)
        return " ".join(e.text for e in selectors.entries_page(person=person, situation=situation))

    assert "日本限り" in texts("jp-coordinator", launch)
    assert "日本限り" not in texts("us-coordinator", launch)
    assert "III MEF internal" in texts("us-logistics", kumamoto)
    assert "III MEF internal" not in texts("jp-coordinator", kumamoto)
    assert "Launch detected" in texts("jp-coordinator", launch)
    readers = Person.objects.filter(memberships__isnull=False).distinct()
    assert readers.exists()
    assert not readers.exclude(pk__in=Clearance.objects.values("person_id")).exists()


def test_the_demo_data_uses_the_glossarys_japanese(loaded: None) -> None:
    """Every bilingual name and title the demo loads (organizations, bodies, situations,
    shared items, action items) names a glossary term with the glossary's Japanese."""
    from django.apps import apps

    from kizuna.coordination.models import ActionItem
    from kizuna.core.models import BilingualName
    from kizuna.sharing.models import SharedItem

    rows = [
        (model._meta.label, row.name_en, row.name_ja)
        for model in apps.get_models()
        if issubclass(model, BilingualName)
        for row in model.objects.all()
    ]
    for model in (Situation, ActionItem, SharedItem):
        rows += [
            (model._meta.label, en, ja)
            for en, ja in model.objects.values_list("title_en", "title_ja")
            if en and ja
        ]
    assert any(label == "coordination.Body" for label, _, _ in rows)
    exceptions = {
        **REFERENCE_EXCEPTIONS,
        # A unit's official name: the JMSDF's 練習艦隊 is its Training Squadron.
        ("Training", "JMSDF Training Squadron"): "the unit's own name",
    }
    assert mismatches(rows, exceptions) == []
    assert all(english in {en for _, en, _ in rows} for _, english in exceptions)


def test_the_demo_sets_the_clock_of_every_service_room_that_reads_it() -> None:
    """A room left out of `as_of` would stamp the demo's past with today's date."""
    rooms = [
        importlib.import_module(f"{services.__name__}.{room.name}")
        for room in pkgutil.iter_modules(services.__path__)
    ]
    clocked = {room.__name__ for room in rooms if hasattr(room, "timezone")}
    assert clocked == {room.__name__ for room in demo.CLOCK_READERS}
