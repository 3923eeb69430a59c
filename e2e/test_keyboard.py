"""Everything works from the keyboard: a coordinator signs in, walks the first page with Tab
and shares an item without touching the mouse, and every stop of the walk shows where the
focus is."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page, expect

from kizuna.sharing.models import SharedItem

from .conftest import PASSWORD

FOCUSED = (
    "(selector) => document.activeElement !== null && document.activeElement.matches(selector)"
)
# What the focused element looks like: the house style draws an outline (kizuna.css).
FOCUS_RING = """() => {
  const element = document.activeElement;
  const style = getComputedStyle(element);
  return {
    tag: element.tagName.toLowerCase(),
    text: (element.innerText || element.name || '').trim().slice(0, 40),
    ring: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
    shown: element.getClientRects().length > 0,
  };
}"""


def tab_to(page: Page, selector: str, limit: int = 60) -> int:
    """Press Tab until the element `selector` names has the focus; how many presses it took."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate(FOCUSED, selector):
            return presses
    raise AssertionError(f"{selector} never took the focus in {limit} presses of Tab")


def test_a_coordinator_signs_in_and_shares_an_item_from_the_keyboard(
    new_page: Callable[..., Page], make_person: Callable
) -> None:
    make_person(
        "kb-officer", role="coordinator", org="joint-staff", clearance="jpn-j1", language="en"
    )
    page = new_page("en-US")
    page.goto("/login/")

    # The sign-in page starts in its first field.
    expect(page.locator("input[name=username]")).to_be_focused()
    page.keyboard.type("kb-officer")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("whoami")).to_be_visible()

    # The first stop of every other page is the way past the header. Every stop of the first
    # page is on screen and shows its focus, and the walk comes back round to the start
    # (nothing traps the focus).
    page.keyboard.press("Tab")
    expect(page.locator(".skip")).to_be_focused()
    page.keyboard.press("Enter")
    assert page.url.endswith("#main")
    stops = []
    for _ in range(200):
        page.keyboard.press("Tab")
        stop = page.evaluate(FOCUS_RING)
        if stop["tag"] == "body" or page.evaluate(FOCUSED, ".skip"):
            break
        stops.append(stop)
    else:
        raise AssertionError("the focus never came back round to the start of the page")
    assert stops, "nothing on the first page takes the focus"
    assert [s for s in stops if not (s["ring"] and s["shown"])] == []

    # Sharing an item: the menu entry, then every field, then the button, all by keyboard.
    page.goto("/")
    tab_to(page, "nav a[href='/sharing/']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/sharing/")
    tab_to(page, "a[href='/sharing/new/']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/sharing/new/")
    tab_to(page, "select[name=originator]")
    page.keyboard.press("ArrowDown")  # the person's own organization, the only one offered
    tab_to(page, "input[name=title]")
    page.keyboard.type("Road closed at Minamiaso")
    page.keyboard.press("Tab")
    page.keyboard.type("A village is cut off; the road is closed.")
    tab_to(page, "select[name=level]")
    level = page.locator("select[name=level]")
    for _ in range(40):  # down the list of levels to Japan's first
        page.keyboard.press("ArrowDown")
        if level.input_value() == "jpn-j1":
            break
    expect(level).to_have_value("jpn-j1")
    for nation in ("JPN", "USA"):
        tab_to(page, f"input[name=releasable_to][value={nation}]")
        page.keyboard.press("Space")
    tab_to(page, "main form button.primary")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: not url.endswith("/new/"))
    expect(page.locator("h1")).to_contain_text("Road closed at Minamiaso")
    assert SharedItem.objects.filter(title_en="Road closed at Minamiaso").count() == 1
