"""Some situations run one way (the SDF to US forces), and the special measures laws lapsed:
the engine, the command line and the API answer both directions and both sides of each lapse
date, cited, in Japanese and English; an unsettled direction is unknown, never guessed."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from datetime import date

import pytest
from django.core.management import call_command
from django.test import Client

from kizuna.acsa import rules

pytestmark = pytest.mark.django_db

NEW_AGREEMENT = date(2017, 4, 25)


def _command(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("acsa", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    return code, out.getvalue(), err.getvalue()


def test_the_one_way_row_of_the_figure_answers_each_direction() -> None:
    row = "sdf-peace-cooperation-to-us-disaster"
    to_us = rules.check(row, "food", NEW_AGREEMENT, "JPN")
    assert to_us.allowed is True
    to_sdf = rules.check(row, "food", NEW_AGREEMENT, "USA")
    assert to_sdf.allowed is False
    assert "only the SDF's provision to US forces" in to_sdf.reasons[0].en
    assert "Figure III-2-2-1" in " ".join(to_sdf.citations)
    either = rules.check(row, "food", NEW_AGREEMENT)
    assert either.allowed is None
    assert "JPN or USA" in either.reasons[0].en


@pytest.mark.parametrize(
    "situation", ["warning-and-surveillance", "counter-piracy", "sdf-at-us-facilities"]
)
def test_sdf_act_100_6_rows_settle_the_sdfs_provision_only(situation: str) -> None:
    assert rules.check(situation, "petroleum", NEW_AGREEMENT, "JPN").allowed is True
    reverse = rules.check(situation, "petroleum", NEW_AGREEMENT, "USA")
    assert reverse.allowed is None
    assert "not settled" in reverse.reasons[0].en
    assert "確認" in reverse.reasons[0].ja
    assert any("100-6" in c for c in reverse.citations)


def test_two_way_situations_answer_alike_in_both_directions_and_without_one() -> None:
    for supplier in (None, "JPN", "USA"):
        assert rules.check("bilateral-exercise", "water", NEW_AGREEMENT, supplier).allowed is True


def test_a_supplier_that_is_neither_nation_is_refused_in_both_languages() -> None:
    from django.utils import translation

    for language, words in (("ja", "JPN"), ("en", "must be JPN")):
        with translation.override(language), pytest.raises(rules.BadSupplier) as caught:
            rules.supplier("AUS")
        assert words in caught.value.messages[0]
    assert rules.supplier(" jpn ") == "JPN"
    assert rules.supplier("") is None


@pytest.mark.parametrize(
    ("situation", "last_day"),
    [("anti-terrorism-sml", date(2007, 11, 1)), ("iraq-sml", date(2009, 7, 31))],
)
def test_after_its_law_lapsed_a_situation_is_not_allowed(situation: str, last_day: date) -> None:
    before = rules.check(situation, "petroleum", last_day, "JPN")
    assert before.allowed is True
    after = rules.check(situation, "petroleum", date.fromordinal(last_day.toordinal() + 1), "JPN")
    assert after.allowed is False
    assert last_day.isoformat() in after.reasons[0].en
    assert "失効" in after.reasons[0].ja
    assert any("Special Measures Law" in c and "lapsed" in c for c in after.citations)


def test_the_combined_row_cannot_tell_between_the_two_lapses() -> None:
    row = "special-measures-laws"
    assert rules.check(row, "food", date(2007, 11, 1), "JPN").allowed is True
    between = rules.check(row, "food", date(2008, 6, 1), "JPN")
    assert between.allowed is None
    assert any("2007" in r.en and "2009" in r.en for r in between.reasons)
    assert rules.check(row, "food", date(2009, 8, 1), "JPN").allowed is False
    assert rules.check(row, "food", NEW_AGREEMENT, "JPN").allowed is False


@pytest.mark.parametrize(
    ("args", "allowed"),
    [
        (("anti-terrorism-sml", "2007-11-01", "JPN"), "allowed"),
        (("anti-terrorism-sml", "2007-11-02", "JPN"), "not allowed"),
        (("iraq-sml", "2009-07-31", "JPN"), "allowed"),
        (("iraq-sml", "2009-08-01", "JPN"), "not allowed"),
        (("sdf-peace-cooperation-to-us-disaster", "2020-01-01", "JPN"), "allowed"),
        (("sdf-peace-cooperation-to-us-disaster", "2020-01-01", "USA"), "not allowed"),
        (("warning-and-surveillance", "2020-01-01", "usa"), "unknown"),
    ],
)
def test_the_command_line_answers_both_sides_in_both_languages(
    args: tuple[str, str, str], allowed: str
) -> None:
    situation, on, supplier = args
    base = ("check", "--situation", situation, "--category", "food", "--on", on)
    code, out, _ = _command(*base, "--from", supplier, "--json")
    assert code == 0
    answer = json.loads(out)
    assert answer["allowed"] is {"allowed": True, "not allowed": False, "unknown": None}[allowed]
    code, english, _ = _command(*base, "--from", supplier, "--lang", "en")
    assert english.startswith(allowed + " ")
    code, japanese, _ = _command(*base, "--from", supplier, "--lang", "ja")
    verdict = {"allowed": "提供可", "not allowed": "提供不可", "unknown": "不明"}[allowed]
    assert japanese.startswith(verdict + " ")
    # Every reason reads in the operator's language: no English sentence in the Japanese.
    for line in japanese.splitlines()[1:]:
        if not line.strip().startswith("["):
            assert not any(word in line for word in (" the ", " is ", " of ")), line


def test_the_command_line_refuses_a_supplier_that_is_neither_nation() -> None:
    code, out, err = _command(
        "check", "--situation", "bilateral-exercise", "--category", "food", "--from", "GBR"
    )
    assert code == 2
    assert out == ""
    assert "GBR" in err


def test_the_api_takes_the_direction(client: Client, make_person: Callable) -> None:
    client.force_login(make_person("anyone", role="coordinator"))
    query = {"situation": "sdf-peace-cooperation-to-us-disaster", "category": "water"}
    assert client.get("/api/acsa/check", {**query, "from": "JPN"}).json()["allowed"] is True
    assert client.get("/api/acsa/check", {**query, "from": "USA"}).json()["allowed"] is False
    refused = client.get("/api/acsa/check", {**query, "from": "XYZ"})
    assert refused.status_code == 422
    assert "XYZ" in json.dumps(refused.json(), ensure_ascii=False)
    rows = {s["code"]: s for s in client.get("/api/acsa/situations").json()}
    assert rows["sdf-peace-cooperation-to-us-disaster"]["from_us"] is False
    assert rows["warning-and-surveillance"]["from_us"] is None
    assert rows["iraq-sml"]["law_lapsed_on"] == "2009-07-31"
    assert rows["areas-surrounding-japan"]["replaced_by"] == "important-influence"


def test_the_order_form_takes_the_direction_from_the_supplying_unit(
    client: Client, make_person: Callable
) -> None:
    from tests.acsa.factories import make_cast

    cast = make_cast(make_person)
    client.force_login(cast.jp_ordering)
    query = {
        "situation_type": "sdf-peace-cooperation-to-us-disaster",
        "category": "water",
        "delivery_date": "2024-05-01",
    }
    japan = client.get("/acsa/check/", {**query, "supplying_org": cast.jp_unit.pk})
    us = client.get("/acsa/check/", {**query, "supplying_org": cast.us_unit.pk})
    assert "only the SDF" not in japan.content.decode()
    assert "自衛隊から米軍への提供のみ" in us.content.decode()


def test_an_order_the_other_way_round_is_refused_on_request(make_person: Callable) -> None:
    from django.core.exceptions import ValidationError

    from kizuna.acsa import services
    from kizuna.acsa.models import Order, SituationType
    from tests.acsa.factories import fuel_line, make_cast

    cast = make_cast(make_person)
    situation = SituationType.objects.get(code="sdf-peace-cooperation-to-us-disaster")
    common = {
        "situation_type": situation,
        "legal_basis": "—",
        "currency": "JPY",
        "settlement_method": Order.SettlementMethod.CURRENCY,
        "lines": [fuel_line()],
    }
    to_us = services.order_create(
        actor=cast.us_ordering, supplying_org=cast.jp_unit, receiving_org=cast.us_unit, **common
    )
    services.order_request(order=to_us, actor=cast.us_ordering)
    to_sdf = services.order_create(
        actor=cast.jp_ordering, supplying_org=cast.us_unit, receiving_org=cast.jp_unit, **common
    )
    with pytest.raises(ValidationError) as refused:
        services.order_request(order=to_sdf, actor=cast.jp_ordering)
    assert "eligibility" in refused.value.message_dict
    to_sdf.refresh_from_db()
    assert to_sdf.status == Order.Status.DRAFT


def test_today_is_todays_date_in_japan() -> None:
    """At 16:30 UTC on 24 April 2017 it is already 25 April in Japan: the new agreement."""
    from datetime import UTC, datetime
    from unittest import mock

    moment = datetime(2017, 4, 24, 16, 30, tzinfo=UTC)
    with mock.patch("django.utils.timezone.now", return_value=moment):
        answer = rules.check("warning-and-surveillance", "food", supplier="JPN")
        code, out, _ = _command(
            "check",
            "--situation",
            "warning-and-surveillance",
            "--category",
            "food",
            "--from",
            "JPN",
            "--json",
        )
    assert answer.allowed is True
    assert answer.agreement == "new-agreement-2017"
    assert code == 0
    assert json.loads(out)["allowed"] is True
