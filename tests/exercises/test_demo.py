"""The seed's exercises load through the services, each record saying where in the seed it
comes from, and the yearly table gives back the seed's figures as the seed gives them."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import translation

from kizuna.coordination.models import Situation
from kizuna.core.models import Person
from kizuna.core.models import Provenance as Origin
from kizuna.exercises import policy, selectors
from kizuna.exercises.models import (
    Area,
    Exercise,
    Inject,
    Objective,
    Participation,
    Provenance,
)

pytestmark = pytest.mark.django_db

KEEN_SWORD = "Keen Sword 21 (Japan–US Joint Exercise, field training exercise)"


def _year(fiscal_year: int | None) -> selectors.Year:
    reader = Person.objects.get(username="jp-exercise")
    years = selectors.yearly_table(selectors.exercise_list(person=reader))
    return next(y for y in years if y.fiscal_year == fiscal_year)


def test_the_demo_command_loads_every_record_with_its_provenance_once() -> None:
    with override_settings(DEMO_MODE=True):
        call_command("demo", verbosity=0)
        counts = [m.objects.count() for m in (Exercise, Participation, Area, Objective)]
        call_command("demo", verbosity=0)  # idempotent
    assert [m.objects.count() for m in (Exercise, Participation, Area, Objective)] == counts
    assert counts[0] >= 12
    for model in (Exercise, Participation, Area, Objective):
        for record in model.objects.all():
            assert record.provenance == Provenance.SEED, record
            assert record.source.startswith("Defense of Japan 2021, III-2-2"), record


def test_every_event_the_seed_names_is_there(seeded: None) -> None:
    names = set(Exercise.objects.values_list("name_en", flat=True))
    for fragment in (
        "Keen Sword 21",
        "YS-79",
        "Kashima and Shimayuki",
        "B-1 bombers and F-15",
        "Forest Light",
        "Christmas Drop",
        "Nankai Trough",
    ):
        assert any(fragment in name for name in names), fragment
    assert set(Exercise.objects.values_list("kind", flat=True)) == set(Exercise.Kind.values)


def test_keen_sword_21_keeps_the_seeds_approximate_figures_in_both_languages(seeded: None) -> None:
    exercise = Exercise.objects.get(name_en=KEEN_SWORD)
    sdf = exercise.participations.get(nation="JPN")
    assert (sdf.personnel, sdf.ships, sdf.aircraft) == (37_000, 20, 170)
    with translation.override("ja"):
        assert [str(sdf.figure(m)) for m in ("personnel", "ships", "aircraft")] == [
            "約37,000",
            "約20",
            "約170",
        ]
        assert exercise.period == "2020年10月 – 2020年11月"
    with translation.override("en"):
        assert str(sdf.personnel_figure) == "about 37,000"
    assert {a.name_en for a in exercise.areas.exclude(latitude=None)} == {"Tanegashima", "Gajajima"}
    assert exercise.fiscal_year == 2020
    us = exercise.participations.get(nation="USA")
    assert (us.personnel, us.ships, us.aircraft) == (None, None, None)  # the seed gives none


def test_the_yearly_table_reproduces_the_seeds_figures_for_fiscal_2020(seeded: None) -> None:
    with translation.override("ja"):
        year = _year(2020)
        rows = {name: [str(f) for f in figures] for name, *figures in year.nation_rows()}
    # Japan: Keen Sword's about 37,000 / about 20 / about 170, the two training ships and the
    # 20 F-15s: totals of approximate figures stay approximate.
    assert rows["日本"] == ["約37,000", "約22", "約190"]
    # The United States: the seed gives only the 2 B-1 bombers.
    assert rows["アメリカ合衆国"] == ["—", "—", "2"]
    kinds = dict(year.kind_counts())
    assert kinds[Exercise.Kind.FIELD.label] == 2  # Keen Sword 21, Forest Light
    assert kinds[Exercise.Kind.COMMAND_POST.label] == 1  # YS-79
    assert kinds[Exercise.Kind.TRAINING.label] == 3  # Kashima, Sept. B-1/F-15, 4 Dec flights
    names = [e.name_en for e in year.exercises]
    assert any("YS-79" in n for n in names)
    assert any("Kashima" in n for n in names)


def test_events_without_dates_in_the_seed_are_counted_under_year_not_given(seeded: None) -> None:
    year = _year(None)
    names = {e.name_en for e in year.exercises}
    assert any("Christmas Drop" in n for n in names)
    assert any("Nankai Trough" in n for n in names)
    assert all(e.starts_on is None and e.period for e in year.exercises)


def test_the_map_layer_shows_positioned_areas_to_a_cleared_reader_only(
    seeded: None, make_person: object
) -> None:
    reader = Person.objects.get(username="jp-exercise")
    places = selectors.areas_on_map(reader)
    assert {p.layer for p in places} == {"exercise"}
    assert all(p.note.startswith("EXERCISE EXERCISE EXERCISE") for p in places)
    assert len(places) == Area.objects.exclude(latitude=None).count()
    stranger = make_person("stranger", role="coordinator")  # type: ignore[operator]
    assert not policy.may_read(stranger)
    assert selectors.areas_on_map(stranger) == []


def test_ys_79_runs_on_the_real_tools_with_illustrative_injects_the_console_sends(
    seeded: None, make_person: object, settings: object
) -> None:
    settings.DEMO_MODE = True  # type: ignore[attr-defined]  # demo people sign in only then
    exercise = Exercise.objects.get(name_en__contains="YS-79")
    assert exercise.situation is not None
    assert exercise.situation.kind == Situation.Kind.EXERCISE
    injects = list(exercise.injects.order_by("number"))
    assert [i.status for i in injects] == [
        Inject.Status.APPROVED,
        Inject.Status.APPROVED,
        Inject.Status.DRAFT,
    ]
    inject_type = ContentType.objects.get_for_model(Inject)
    for inject in injects:
        origin = Origin.objects.get(content_type=inject_type, object_id=str(inject.pk))
        assert origin.kind == Origin.Kind.ILLUSTRATIVE
    controller = Person.objects.get(username="jp-exercise")
    assert policy.may_control(controller, exercise)
    player = make_person(  # type: ignore[operator]
        "player", role="information_manager", org="gsdf-western-army", clearance="jpn-j1"
    )
    base = f"/exercises/{exercise.public_id}"
    watcher = Client()
    watcher.force_login(player)
    assert watcher.get(f"{base}/injects/{injects[0].public_id}/").status_code == 404
    console = Client()
    console.force_login(controller)
    board = console.get(f"{base}/console/")
    assert board.status_code == 200
    assert board.content.decode().count('data-testid="inject-row"') == 3
    fired = console.post(f"{base}/injects/{injects[0].public_id}/fire/")
    assert fired.status_code == 302
    injects[0].refresh_from_db()
    assert injects[0].status == Inject.Status.DELIVERED
    assert injects[0].entry is not None
    assert injects[0].entry.body == injects[0].target_body
    assert watcher.get(f"{base}/injects/{injects[0].public_id}/").status_code == 200
