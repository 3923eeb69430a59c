"""Every demo person, in both languages, follows their menu and the links of the pages it
leads to (two levels, bounded): no link leads to 403 or 404, no raw code or message id
shows, no request leaves the site, and axe-core finds no serious or critical violation.

Each person fetches, with their own session, their menu's pages and one link of each kind
of page found there (pages that differ only by a record's number are one kind); the browser
renders, reads and audits each kind once per language. That keeps the run bounded."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from playwright.sync_api import Page, Route

from kizuna.core.demo import DEMO_PASSWORD, PEOPLE

from .conftest import sign_in

# Files, streams and the back office's inner pages: their own tests cover them.
NOT_PAGES = re.compile(r"\.(pdf|csv|xlsx|svg|json)$|/events$|/attachments/\d+/$|^/admin/.+|^/api/")
# What a person must never read: dotted codes (acsa.order.create), snake_case keys
# (partly_accepted), Python's placeholders, template syntax.
RAW = re.compile(r"\b[a-z]+\.[a-z]+(?:_[a-z]+)*\.[a-z_]+\b|\b[a-z]+_[a-z_]+\b|%\(\w+\)s|\{\{|\{%")
# Addresses and file names people do read, which the pattern above would take for codes.
READABLE = re.compile(r"\S+@\S+|\b\S+\.(?:pdf|csv|xlsx|json)\b|https?://\S+")
SERIOUS = {"serious", "critical"}
LINKS_PER_PAGE = 48  # a page's links followed, at most one per kind of page


HREF = re.compile(r'<a [^>]*href="([^"]*)"')


def _pages(hrefs: list[str]) -> list[str]:
    """The site's own pages among links, each once, in order."""
    paths = []
    for href in hrefs:
        path = urlsplit(href.replace("&amp;", "&")).path
        if href.startswith("/") and not href.startswith("//") and not NOT_PAGES.search(path):
            paths.append(path)
    return list(dict.fromkeys(paths))


def _kind(path: str) -> str:
    """Pages that differ only by a record's number are one kind of page."""
    return re.sub(r"/\d+(?=/|$)", "/N", path)


@pytest.fixture
def demo_world(audited_transactional_db: None) -> Iterator[None]:
    with override_settings(DEMO_MODE=True):
        call_command("demo", verbosity=0)
        yield


class Crawl:
    def __init__(self, host: str) -> None:
        self.host = host
        self.problems: list[str] = []
        self.audited: set[tuple[str, str]] = set()
        self.axe = Axe()

    def keep_home(self, route: Route) -> None:
        """Route interception: a request for any other host is refused and reported."""
        url = route.request.url
        if urlsplit(url).netloc != self.host and not url.startswith(("data:", "blob:")):
            self.problems.append(f"request leaves the site: {url}")
            route.abort()
        else:
            route.continue_()

    def links(self, page: Page, scope: str = "body") -> list[str]:
        return _pages(
            page.eval_on_selector_all(
                f"{scope} a[href]", "els => els.map(e => e.getAttribute('href'))"
            )
        )

    def visit(self, page: Page, who: str, language: str, path: str) -> list[str]:
        """A page's answer with the person's session, and its links. The browser renders,
        reads and audits it only when its kind is new in this language; otherwise its links
        are read from the HTML, which costs no rendering."""
        answer = page.request.get(path, max_redirects=0)
        if answer.status != 200:
            self.problems.append(f"{who} [{language}] {path}: {answer.status}")
            return []
        if not answer.headers.get("content-type", "").startswith("text/html"):
            return []  # a file (an export, a document): its status is what matters here
        key = (_kind(path), language)
        if key in self.audited:
            return _pages(HREF.findall(answer.text()))
        self.audited.add(key)
        response = page.goto(path)
        if response is None or response.status != 200:
            self.problems.append(f"{who} [{language}] {path}: changed on a second look")
            return []
        self.check_text(page, who, language, path)
        self.audit(page, who, language, path)
        return self.links(page)

    def check_text(self, page: Page, who: str, language: str, path: str) -> None:
        # Text marked as code (<code>: the audit chain's action codes, hashes) is meant as such.
        shown = page.evaluate(
            """() => { const body = document.body.cloneNode(true);
                       body.querySelectorAll('code, script, style').forEach(e => e.remove());
                       return body.textContent; }"""
        )
        text = READABLE.sub(" ", shown)
        for raw in sorted(set(RAW.findall(text)))[:5]:
            self.problems.append(f"{who} [{language}] {path}: raw code {raw!r}")
        ids = page.eval_on_selector_all("[id]", "els => els.map(e => e.id)")
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            self.problems.append(f"{who} [{language}] {path}: ids repeated {repeated}")

    def audit(self, page: Page, who: str, language: str, path: str) -> None:
        results: Any = self.axe.run(page)
        for violation in results.response["violations"]:
            if violation["impact"] in SERIOUS:
                targets = [node["target"] for node in violation["nodes"][:3]]
                self.problems.append(
                    f"{who} [{language}] {path}: axe {violation['id']} ({violation['impact']})"
                    f" at {targets}"
                )

    def person(self, page: Page, who: str) -> None:
        """The person's menu and the pages it leads to, then one link of each kind found
        there, in each language."""
        for language in ("ja", "en"):
            page.goto("/")
            page.locator(f".language-switch button[value={language}]").click()
            page.wait_for_load_state()
            menu = self.links(page, "nav.nav")
            assert menu, f"{who} has no menu"
            kinds = {_kind(path) for path in menu}
            for path in menu:
                for link in self.visit(page, who, language, path)[:LINKS_PER_PAGE]:
                    if _kind(link) not in kinds:
                        kinds.add(_kind(link))
                        self.visit(page, who, language, link)


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason=(
        "the live server shares one in-memory SQLite connection among its request threads, "
        "and a page that fetches several charts at once can hang it; the crawl runs on "
        "PostgreSQL, where each thread has its own connection"
    ),
)
def test_every_person_every_page_in_both_languages(
    demo_world: None, new_page: Callable[..., Page], live_server: Any
) -> None:
    crawl = Crawl(urlsplit(live_server.url).netloc)
    for demo in PEOPLE:
        page = new_page()
        page.context.route("**/*", crawl.keep_home)
        sign_in(page, demo.username, DEMO_PASSWORD)
        crawl.person(page, demo.username)
        page.context.close()
    assert len(crawl.audited) > 20, "the crawl saw too few pages to mean anything"
    assert crawl.problems == [], "\n".join(crawl.problems)
