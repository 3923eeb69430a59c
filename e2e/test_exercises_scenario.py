"""An inject goes out live: a controller approves and fires it from the console, a player of
the target cell watching the exercise's situation sees it arrive in the log as exercise
traffic and acknowledges and answers it beneath the entry, and the console shows it
answered. Before it went out the player could not open it: its page was a 404, as if it did
not exist.

The pages are served by uvicorn (`open_as`), for the situation's live stream. Firing now
posts the inject at once (`services.inject_fire_now`), so no worker is needed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from playwright.sync_api import Page, expect
from tests.exercises.scenario_helpers import Run

from kizuna.core import demo as core_demo
from kizuna.exercises.models import Inject

BANNER = "EXERCISE EXERCISE EXERCISE"


def test_a_fired_inject_reaches_the_player_live_and_the_console_sees_it_answered(
    open_as: Callable[[str, str], Page], make_person: Callable
) -> None:
    for _label, load in core_demo.steps():
        load()
    run = Run(make_person)
    inject = run.add(
        datetime(2026, 11, 1, 8, 0, tzinfo=UTC),
        text_ja="熊本駐屯地との通信が途絶",
        text_en="Communications with Camp Kumamoto lost",
    )
    inject_url = f"/exercises/{run.exercise.public_id}/injects/{inject.public_id}/"

    player = open_as(run.player.username, "ja-JP")
    refused = player.goto(inject_url)
    assert refused is not None
    assert refused.status == 404
    player.goto(f"/coordination/situations/{run.situation.public_id}/")
    expect(player.get_by_test_id("live-status")).to_have_text("●")

    controller = open_as(run.controller.username, "ja-JP")
    controller.goto(f"/exercises/{run.exercise.public_id}/console/")
    row = controller.locator(f'[data-testid="inject-row"][data-number="{inject.number}"]')
    expect(row.get_by_test_id("inject-status")).to_have_text("下書き")
    row.get_by_role("button", name="承認").click()
    expect(row.get_by_test_id("inject-status")).to_have_text("承認済み")
    # Approved is not out: the player's browser still meets a page that does not exist.
    assert player.request.get(inject_url).status == 404
    log = player.get_by_test_id("log")
    expect(log).not_to_contain_text("熊本駐屯地")

    row.get_by_role("button", name="即時付与").click()
    expect(row.get_by_test_id("inject-status")).to_have_text("付与済み")

    # The player never reloads: the entry arrives over the situation's event stream.
    arrived = log.get_by_test_id("entry").filter(has_text="熊本駐屯地との通信が途絶")
    expect(arrived).to_have_count(1)
    # Marked as exercise traffic: the entry itself and the page around it.
    expect(arrived.get_by_test_id("exercise-mark")).to_have_text("EXERCISE")
    expect(player.get_by_test_id("exercise-banner")).to_have_count(2)
    expect(arrived.get_by_test_id("original")).to_contain_text(BANNER)
    expect(arrived.get_by_test_id("original")).to_contain_text(f"状況付与 {inject.number}:")
    expect(arrived.get_by_test_id("translation")).to_contain_text(BANNER)
    expect(arrived.get_by_test_id("translation")).to_contain_text(
        "Communications with Camp Kumamoto lost"
    )

    # The player acknowledges and answers beneath the entry itself, without leaving the log.
    on_entry = arrived.get_by_test_id("inject-on-entry")
    expect(on_entry.get_by_test_id("inject-status")).to_have_text("付与済み")
    on_entry.get_by_role("button", name="受領", exact=True).click()
    expect(on_entry.get_by_test_id("inject-status")).to_have_text("受領済み")
    on_entry.locator("textarea[name=response]").fill("無線中継により通信を回復し、方面総監部に報告")
    on_entry.get_by_role("button", name="回答").click()
    expect(on_entry.get_by_test_id("entry-response")).to_have_text(
        "無線中継により通信を回復し、方面総監部に報告"
    )
    expect(on_entry.locator("form")).to_have_count(0)

    # Its page, now open to the player, says the same.
    player.goto(inject_url)
    expect(player.get_by_test_id("exercise-banner").first).to_contain_text(BANNER)
    expect(player.get_by_test_id("inject-text")).to_contain_text("熊本駐屯地との通信が途絶")
    expect(player.get_by_test_id("response")).to_have_text(
        "無線中継により通信を回復し、方面総監部に報告"
    )

    controller.reload()
    expect(row.get_by_test_id("inject-status")).to_have_text("回答済み")
    expect(row).to_contain_text("無線中継により通信を回復し")
    inject.refresh_from_db()
    assert inject.status == Inject.Status.RESPONDED
    assert inject.responded_by == run.player
    assert inject.entry is not None
