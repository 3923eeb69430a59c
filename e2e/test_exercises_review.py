"""The after-action review in the browser: an owner organization's person sees the overdue
corrective action on their first page, follows the link, is refused closing it without a
note (the message beside the field), then closes it with one."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from playwright.sync_api import Page, expect

from kizuna.core import demo as core_demo
from kizuna.core.models import Organization
from kizuna.exercises import services
from kizuna.exercises.models import CorrectiveAction, Exercise

from .conftest import sign_in


def test_an_owner_closes_an_overdue_corrective_action_from_their_first_page(
    new_page: Callable[..., Page], make_person: Callable
) -> None:
    for _label, load in core_demo.steps():
        load()
    make_person("hanako", role="coordinator", org="gsdf-western-army", clearance="jpn-j1")
    exercise = services.exercise_record(
        actor=None,
        organization=Organization.objects.get(code="joint-staff"),
        name_ja="机上演習（事後研究会）",
        name_en="Review tabletop",
        kind=Exercise.Kind.TABLETOP,
        precision=Exercise.Precision.DAY,
        starts_on=date(2020, 6, 1),
        source="test",
    )
    joint_staff = Organization.objects.get(code="joint-staff")
    lesson = services.lesson_record(
        actor=None,
        exercise=exercise,
        title="用語集の未整備",
        observation="状況図の更新が遅れた。",
        discussion="用語の対訳が統一されていなかった。",
        lesson="共通の用語集が前提である。",
        recommendation="日米共通の用語集を整備する。",
        language="ja",
        organization=joint_staff,
    )
    action = services.corrective_action_open(
        actor=None,
        lesson=lesson,
        owner=Organization.objects.get(code="gsdf-western-army"),
        due_on=date(2021, 3, 31),
        organization=joint_staff,
    )

    page = new_page()
    sign_in(page, "hanako")
    page.goto("/")
    expect(page.get_by_test_id("count-corrective-overdue")).to_have_text("1")
    page.get_by_test_id("exercises-owed").get_by_role("link").first.click()
    expect(page.get_by_test_id("corrective-actions")).to_contain_text(
        "日米共通の用語集を整備する。"
    )
    expect(page.get_by_test_id("overdue")).to_have_text("期限超過")
    page.get_by_test_id("corrective-actions").get_by_role("link").first.click()
    expect(page.get_by_test_id("exercise-banner").first).to_contain_text("EXERCISE EXERCISE")

    page.get_by_role("button", name="是正措置を完了する").click()
    expect(page.get_by_test_id("action-close-form")).to_contain_text(
        "閉じるには、是正措置をどのように実施したかを記入してください。"
    )
    page.get_by_label("完了時の記録").fill("用語集を発行した。")
    page.get_by_role("button", name="是正措置を完了する").click()
    expect(page.get_by_test_id("status")).to_have_text("完了")
    expect(page.get_by_test_id("closing-note")).to_have_text("用語集を発行した。")
    page.screenshot(path="/tmp/lessons_action.png", full_page=True)
    action.refresh_from_db()
    assert action.status == CorrectiveAction.Status.CLOSED
    page.goto("/")
    expect(page.get_by_test_id("exercises-owed")).to_have_count(0)
