"""The eligibility engine answers the seed's cases, the same from Python, the command line and
the API, and keeps up with edits to the reference data."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date

import pytest
from django.core.management import call_command
from django.test import Client

from kizuna.acsa import rules
from kizuna.acsa.models import EligibilityRule

pytestmark = pytest.mark.django_db

NEW_AGREEMENT = date(2017, 4, 25)
DAY_BEFORE = date(2017, 4, 24)


def test_food_and_fuel_to_forces_gathering_information_since_april_2017() -> None:
    for category in ("food", "petroleum"):
        answer = rules.check("warning-and-surveillance", category, NEW_AGREEMENT, "JPN")
        assert answer.allowed is True
        assert answer.agreement == "new-agreement-2017"
        assert answer.citations
        before = rules.check("warning-and-surveillance", category, DAY_BEFORE, "JPN")
        assert before.allowed is False
        assert "2017-04-25" in before.reasons[0].en


def test_ammunition_before_2004_never_then_only_in_armed_attack_then_everywhere() -> None:
    assert rules.check("armed-attack", "ammunition", date(2004, 7, 28)).allowed is False
    assert rules.check("bilateral-exercise", "ammunition", date(2003, 1, 1)).allowed is False
    assert rules.check("armed-attack", "ammunition", date(2004, 7, 29)).allowed is True
    assert rules.check("anticipated-armed-attack", "ammunition", date(2010, 1, 1)).allowed is True
    assert rules.check("bilateral-exercise", "ammunition", DAY_BEFORE).allowed is False
    assert rules.check("bilateral-exercise", "ammunition", NEW_AGREEMENT).allowed is True
    assert rules.check("disaster-relief", "ammunition", NEW_AGREEMENT).allowed is True


@pytest.mark.parametrize("on", [date(1990, 1, 1), date(2004, 8, 1), date(2030, 1, 1)])
def test_weapons_are_refused_on_every_date_with_the_reason(on: date) -> None:
    answer = rules.check("armed-attack", "weapons", on)
    assert answer.allowed is False
    assert "武器" in answer.reasons[0].ja
    assert "never" in answer.reasons[0].en


def test_a_date_before_any_agreement_is_refused() -> None:
    answer = rules.check("bilateral-exercise", "food", date(1996, 10, 21))
    assert answer.allowed is False
    assert answer.agreement is None
    assert "1996-10-22" in answer.reasons[0].en
    assert rules.check("bilateral-exercise", "food", date(1996, 10, 22)).allowed is True


def test_areas_surrounding_japan_ended_when_the_new_agreement_began() -> None:
    assert rules.check("areas-surrounding-japan", "water", date(1999, 9, 25)).allowed is True
    assert rules.check("areas-surrounding-japan", "water", DAY_BEFORE).allowed is True
    assert rules.check("areas-surrounding-japan", "water", NEW_AGREEMENT).allowed is False
    assert rules.check("important-influence", "water", NEW_AGREEMENT).allowed is True


def test_international_disaster_relief_from_the_sdf_act_amendment() -> None:
    assert rules.check("international-disaster-relief", "food", date(2012, 11, 25)).allowed is False
    assert rules.check("international-disaster-relief", "food", date(2012, 11, 26)).allowed is True


def test_what_the_sources_do_not_settle_is_unknown_with_a_note() -> None:
    answer = rules.check("warning-and-surveillance", "food", NEW_AGREEMENT, "USA")
    assert answer.allowed is None
    assert any("confirmed" in r.en for r in answer.reasons)
    assert any("確認" in r.ja for r in answer.reasons)


def test_unknown_codes_are_refused_with_the_nearest_ones() -> None:
    with pytest.raises(rules.UnknownCode) as caught:
        rules.check("armed-atack", "food", NEW_AGREEMENT)
    assert caught.value.suggestions[0] == "armed-attack"
    with pytest.raises(rules.UnknownCode) as caught:
        rules.check("armed-attack", "ammo", NEW_AGREEMENT)
    assert caught.value.field_name == "category"


def test_an_administrators_edit_takes_effect_at_once() -> None:
    assert rules.check("bilateral-exercise", "water", NEW_AGREEMENT).allowed is True
    rule = EligibilityRule.objects.get(
        version__code="new-agreement-2017",
        situation__code="bilateral-exercise",
        category__code="water",
    )
    rule.allowed = None
    rule.note = "Under review."
    rule.save()
    assert rules.check("bilateral-exercise", "water", NEW_AGREEMENT).allowed is None


def _command(*args: str) -> tuple[int, str, str]:
    import io

    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("acsa", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    return code, out.getvalue(), err.getvalue()


def test_the_command_line_lists_categories_and_situations_as_json() -> None:
    code, out, _ = _command("categories", "--json")
    categories = json.loads(out)
    assert code == 0
    assert {"code": "weapons", "name_ja": "武器"}.items() <= next(
        c for c in categories if c["code"] == "weapons"
    ).items()
    assert next(c for c in categories if c["code"] == "weapons")["prohibited"] is True
    assert sum(not c["prohibited"] for c in categories) == 16
    code, out, _ = _command("situations", "--json")
    situations = json.loads(out)
    assert {s["code"] for s in situations} >= {"armed-attack", "bilateral-exercise"}
    assert all({"code", "name_ja", "name_en"} <= s.keys() for s in situations)


@pytest.mark.parametrize(
    ("situation", "category", "on", "allowed"),
    [
        ("bilateral-exercise", "ammunition", "2017-04-24", False),
        ("bilateral-exercise", "ammunition", "2017-04-25", True),
        ("armed-attack", "weapons", "2020-01-01", False),
        ("bilateral-exercise", "food", "1995-01-01", False),
        ("special-measures-laws", "food", "2020-01-01", False),
        ("special-measures-laws", "food", "2008-01-01", None),
    ],
)
def test_the_command_line_answers_the_seed_cases(
    situation: str, category: str, on: str, allowed: bool | None
) -> None:
    code, out, _ = _command(
        "check", "--situation", situation, "--category", category, "--on", on, "--json"
    )
    answer = json.loads(out)
    assert code == 0
    assert answer["allowed"] is allowed
    assert answer["reasons"]
    assert {"ja", "en"} == set(answer["reasons"][0])
    assert answer["citations"]
    assert "agreement" in answer


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--situation", "armed-atack", "--category", "food"), "armed-attack"),
        (("--situation", "armed-attack", "--category", "ammo"), "ammunition"),
        (("--situation", "armed-attack", "--category", "food", "--on", "2017-13-01"), "YYYY"),
    ],
)
def test_the_command_line_refuses_bad_input_with_exit_2(
    args: tuple[str, ...], expected: str
) -> None:
    code, out, err = _command("check", *args, "--json")
    assert code == 2
    assert out == ""
    assert expected in err


def test_the_api_gives_the_same_answer(client: Client, make_person: Callable) -> None:
    client.force_login(make_person("anyone", role="coordinator"))
    response = client.get(
        "/api/acsa/check",
        {"situation": "bilateral-exercise", "category": "ammunition", "on": "2017-04-25"},
    )
    assert response.status_code == 200
    assert (
        response.json() == rules.check("bilateral-exercise", "ammunition", NEW_AGREEMENT).as_dict()
    )
    refused = client.get("/api/acsa/check", {"situation": "armed-atack", "category": "food"})
    assert refused.status_code == 422
    assert "armed-attack" in refused.json()["detail"][0]["problem"]
    assert len(client.get("/api/acsa/categories").json()) == 17
    assert len(client.get("/api/acsa/situations").json()) == 26
