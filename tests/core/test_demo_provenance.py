"""Demo data says what it is: every record the demo makes carries its provenance (from the
seed, with the section, or illustrative), and the seed's figures appear as the seed gives
them ("about 16,000"), at the dates it gives."""

from __future__ import annotations

import subprocess
from collections.abc import Callable

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.test import Client, override_settings

from kizuna.coordination import demo as coordination_demo
from kizuna.coordination import selectors
from kizuna.coordination.models import Situation
from kizuna.core.models import AuditEvent, Person, Provenance

pytestmark = pytest.mark.django_db

NOT_RECORDS = {Provenance, AuditEvent}


def _kizuna_models() -> list[type]:
    return [
        model
        for model in apps.get_models()
        if model.__module__.startswith("kizuna.") and model not in NOT_RECORDS
    ]


@pytest.fixture
def loaded(settings: object) -> dict[type, set[str]]:
    """The demo loaded; returns, per model, the records that were there before it."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]
    before = {
        model: {str(pk) for pk in model._default_manager.values_list("pk", flat=True)}
        for model in _kizuna_models()
    }
    with override_settings(DEMO_MODE=True):
        call_command("demo", verbosity=0)
    return before


def _part_of_a_known_record(row: object) -> bool:
    """A part saved in bulk with its whole (no save signal): an order's lines, a delivery's
    documents, a request's lines, an exercise's domains, which the whole's provenance covers."""
    for name in ("order", "delivery", "request", "exercise"):
        whole = getattr(row, f"{name}_id", None)
        if (
            whole is not None
            and Provenance.objects.filter(
                content_type=ContentType.objects.get_for_model(
                    row._meta.get_field(name).related_model  # type: ignore[attr-defined]
                ),
                object_id=str(whole),
            ).exists()
        ):
            return True
    return False


def test_every_demo_record_carries_its_provenance(loaded: dict[type, set[str]]) -> None:
    missing: dict[str, int] = {}
    checked = 0
    for model, before in loaded.items():
        made = {str(pk) for pk in model._default_manager.values_list("pk", flat=True)} - before
        if not made:
            continue
        kind = ContentType.objects.get_for_model(model)
        known = set(
            Provenance.objects.filter(content_type=kind, object_id__in=made).values_list(
                "object_id", flat=True
            )
        )
        checked += len(made)
        without = [row for row in model._default_manager.filter(pk__in=made - known)]
        # A part saved in bulk with its whole (an order's lines, a delivery's documents)
        # carries the provenance of the record it belongs to.
        without = [row for row in without if not _part_of_a_known_record(row)]
        if without:
            missing[model._meta.label] = len(without)
    assert checked > 200
    assert missing == {}
    seed = Provenance.objects.filter(kind=Provenance.Kind.SEED)
    assert seed.exists()
    assert all(
        "Defense of Japan 2021" in p.reference and ("§" in p.reference or "column" in p.reference)
        for p in seed
    )  # a section or a column of the seed
    assert Provenance.objects.filter(kind=Provenance.Kind.ILLUSTRATIVE).exists()


def test_seed_figures_as_the_seed_gives_them(
    loaded: dict[type, set[str]], client: Client, make_person: Callable[..., Person]
) -> None:
    tomodachi = Situation.objects.get(title_en=coordination_demo.TOMODACHI)
    usa = selectors.resource_totals(selectors.resource_series(tomodachi))["USA"]
    assert (usa.personnel, usa.ships, usa.aircraft, usa.approximate) == (16000, 15, 140, True)
    keen_sword = Situation.objects.get(title_en=coordination_demo.KEEN_SWORD)
    japan = selectors.resource_totals(selectors.resource_series(keen_sword))["JPN"]
    assert (japan.personnel, japan.ships, japan.aircraft, japan.approximate) == (
        37000,
        20,
        170,
        True,
    )
    assert (keen_sword.starts_at.month, keen_sword.ends_at.month) == (9, 11)  # 1 Oct JST
    september = Situation.objects.get(title_en=coordination_demo.SEPTEMBER_2020)
    assert "2 US B-1" in september.title_en
    assert "20 JASDF F-15s from four bases" in september.title_en
    client.force_login(make_person("reader", role="coordinator", org="joint-staff"))
    response = client.get(f"/coordination/situations/{tomodachi.public_id}/")
    assert response.status_code == 200, response.status_code
    page = response.content.decode()
    assert "約 16,000" in page
    assert "約 15" in page
    # Demo mode: the made-up Kumamoto log is badged, the seed's situation is not.
    assert 'data-testid="illustrative"' not in page


def test_pages_pdfs_and_exports_badge_made_up_records_in_demo_mode(
    loaded: dict[type, set[str]], client: Client, make_person: Callable[..., Person]
) -> None:
    from kizuna.acsa.models import Order

    reader = make_person(
        "acsa-reader", role="ordering_official", org="asdf-6aw", clearance="jpn-j1"
    )
    client.force_login(reader)
    order = Order.objects.get(idempotency_key="demo-ws-accepted")
    launch = Situation.objects.get(title_en=coordination_demo.MISSILE)
    tomodachi = Situation.objects.get(title_en=coordination_demo.TOMODACHI)
    coordinator = make_person("coord-reader", role="coordinator", org="joint-staff")
    with override_settings(DEMO_MODE=True):
        assert 'data-testid="illustrative"' in client.get(f"/acsa/orders/{order.public_id}/").text
        pdf = client.get(f"/acsa/orders/{order.public_id}.pdf").content
        csv = b"".join(client.get("/acsa/orders.csv").streaming_content).decode()
        client.force_login(coordinator)
        assert (
            'data-testid="illustrative"'
            in client.get(f"/coordination/situations/{launch.public_id}/").text
        )
        seed_page = client.get(f"/coordination/situations/{tomodachi.public_id}/").text
    assert 'data-testid="from-seed"' in seed_page
    assert "§7" in seed_page
    assert csv.splitlines()[0].endswith(",provenance")
    assert f"{order.number}," in csv
    assert any(
        line.startswith(order.number) and line.endswith(",illustrative")
        for line in csv.splitlines()
    )
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert "Illustrative (made up for the demo)" in text
    # Outside demo mode nothing is badged.
    client.force_login(reader)
    assert 'data-testid="illustrative"' not in client.get(f"/acsa/orders/{order.public_id}/").text


def test_every_history_step_is_stamped_at_its_own_time(loaded: dict[type, set[str]]) -> None:
    from kizuna.acsa.models import Order
    from kizuna.coordination.models import RequestEvent

    kumamoto = Situation.objects.get(title_en=coordination_demo.KUMAMOTO)
    events = RequestEvent.objects.filter(request__situation=kumamoto)
    assert events.count() >= 10
    assert {event.at.year for event in events} == {2016}
    assert kumamoto.ends_at.date().isoformat() == "2016-05-30"
    order = Order.objects.get(idempotency_key="demo-kumamoto-2016")
    steps = AuditEvent.objects.filter(object_type="acsa.order", object_id=str(order.pk))
    assert steps.count() >= 4
    assert {step.at.date().isoformat() for step in steps} == {"2016-04-18"}
    assert order.created_at.date().isoformat() == "2016-04-18"
