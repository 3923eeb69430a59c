"""Links from the same rules as the pages: every demo person's menu and the links of the
pages it leads to open (never 404 or 403); the pages people meet first offer only what
opens for them; the error pages keep the header and the menu."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import translation

from kizuna.core.demo import PEOPLE
from kizuna.core.models import Person, Role
from kizuna.core.navigation import leads_somewhere

pytestmark = pytest.mark.django_db

LINK = re.compile(r'<a [^>]*href="(/[^"#?]*)(?:\?[^"]*)?"')
NAV = re.compile(r'<nav class="nav"[^>]*>(.*?)</nav>', re.S)
# Files and streams: their own tests cover them, and a crawl would fetch large bodies.
NOT_PAGES = re.compile(r"\.(pdf|csv|xlsx|svg|json)$|/events$|/attachments/\d+/$|^/admin/.+")


def _nav_links(html: str) -> list[str]:
    match = NAV.search(html)
    assert match, "the page has no main menu"
    return LINK.findall(match.group(1))


@override_settings(DEMO_MODE=True)
def test_every_link_a_demo_person_is_shown_opens_for_them(client: Client) -> None:
    call_command("demo", verbosity=0)
    for demo in PEOPLE:
        client.force_login(Person.objects.get(username=demo.username))
        home = client.get("/")
        assert home.status_code == 200
        menu = _nav_links(home.content.decode())
        seen: set[str] = set()
        for href in menu:
            page = client.get(href)
            assert page.status_code == 200, (demo.username, href, page.status_code)
            links = {h for h in LINK.findall(page.content.decode()) if not NOT_PAGES.search(h)}
            for link in sorted(links - seen)[:40]:
                seen.add(link)
                answer = client.get(link)
                assert answer.status_code in (200, 302), (demo.username, href, link)


def test_a_coordinator_has_no_logistics_menu_and_an_official_has(
    client: Client, make_person: Callable[..., Person]
) -> None:
    coordinator = make_person("c", role=Role.COORDINATOR, org="js")
    client.force_login(coordinator)
    assert "/acsa/" not in _nav_links(client.get("/").content.decode())
    assert client.get("/acsa/").status_code == 404
    official = make_person("o", role=Role.LOGISTICS_OFFICER, org="js")
    client.force_login(official)
    assert "/acsa/" in _nav_links(client.get("/").content.decode())
    assert client.get("/acsa/").status_code == 200


def test_the_audit_and_administration_entries_follow_their_pages(
    client: Client, make_person: Callable[..., Person]
) -> None:
    for role, audit, admin in (
        (Role.COORDINATOR, False, False),
        (Role.AUDITOR, True, False),
        (Role.ADMINISTRATOR, True, True),
    ):
        person = make_person(f"p-{role}", role=role, org="js")
        client.force_login(person)
        menu = _nav_links(client.get("/").content.decode())
        assert ("/audit/" in menu) is audit
        assert ("/admin/" in menu) is admin
        assert (client.get("/audit/").status_code == 200) is audit


def test_the_directory_links_only_the_rosters_that_open(
    client: Client, make_person: Callable[..., Person]
) -> None:
    make_person("other", role=Role.COORDINATOR, org="elsewhere")
    person = make_person("p", role=Role.COORDINATOR, org="mine")
    client.force_login(person)
    page = client.get("/organizations/").content.decode()
    assert "/organizations/mine/people/" in page
    assert "/organizations/elsewhere/people/" not in page
    assert "elsewhere（部隊）" in page  # the directory itself is shared
    assert client.get("/organizations/elsewhere/people/").status_code == 404
    assert leads_somewhere(person, "core:roster", "mine")
    assert not leads_somewhere(person, "core:roster", "elsewhere")


def test_the_offsets_button_is_for_approving_officials_and_auditors(
    client: Client, make_person: Callable[..., Person]
) -> None:
    for role, shown in (
        (Role.LOGISTICS_OFFICER, False),
        (Role.ORDERING_OFFICIAL, False),
        (Role.APPROVING_OFFICIAL, True),
        (Role.AUDITOR, True),
    ):
        client.force_login(make_person(f"p-{role}", role=role, org="js"))
        assert ("/acsa/netting/" in client.get("/acsa/").content.decode()) is shown, role
        assert (client.get("/acsa/netting/").status_code == 200) is shown, role


def test_nobody_signed_in_is_led_anywhere() -> None:
    assert not leads_somewhere(None, "core:home")


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_not_found_page_keeps_the_header_and_the_menu(
    client: Client, make_person: Callable[..., Person], language: str
) -> None:
    client.force_login(make_person("p", role=Role.COORDINATOR, org="js", language=language))
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "見つかりません" in html
    assert "Not found" in html
    assert "/coordination/" in _nav_links(html)
    assert 'data-testid="whoami"' in html
    assert "Traceback" not in html


def test_the_error_pages_still_render_for_visitors(client: Client) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "見つかりません" in html
    assert '<nav class="nav"' not in html  # no menu before sign-in


def test_the_audit_page_pages_by_keyset_filters_in_its_url_and_exports_the_filter(
    client: Client, make_person: Callable[..., Person]
) -> None:
    from django.http import QueryDict

    from kizuna.core import paging, services
    from kizuna.core.audit import action_label
    from kizuna.core.models import AuditEvent

    auditor = make_person("aud", role=Role.AUDITOR, org="js")
    for n in range(60):
        services.token_issue(person=auditor, label=f"t{n}")
    client.force_login(auditor)
    issued = AuditEvent.objects.filter(action__startswith="token.issue").order_by("-id")
    AUDIT = AuditEvent._meta.label_lower
    assert issued.count() == 60
    with translation.override("ja"):
        issued_words = f"<td>{action_label('token.issue')}</td>"  # as the page says it
    first = client.get("/audit/?action=token.issue").content.decode()
    assert first.count(issued_words) == 50
    # The next page keeps the filter beside the cursor, which is sealed: no record id shows.
    found = re.search(r'action=token\.issue&amp;after=([A-Za-z0-9_-]+)" rel="next"', first)
    assert found is not None
    cursor = found.group(1)
    assert cursor != str(issued[49].pk)
    assert paging.cursor(QueryDict(f"after={cursor}"), reader=auditor.pk, scope=AUDIT) == (
        issued[49].pk
    )
    second = client.get(f"/audit/?action=token.issue&after={cursor}").content.decode()
    assert second.count(issued_words) == 10
    # Another reader's cursor, or one altered, is only the first page.
    other = make_person("aud2", role=Role.AUDITOR, org="js")
    client.force_login(other)
    assert (
        client.get(f"/audit/?action=token.issue&after={cursor}")
        .content.decode()
        .count(issued_words)
        == 50
    )
    client.force_login(auditor)
    assert 'rel="next"' not in second
    export = client.get("/audit.csv?action=token.issue")
    lines = b"".join(export.streaming_content).decode().splitlines()  # type: ignore[attr-defined]
    assert len(lines) == 61
    assert all(",token.issue" in line for line in lines[1:])
    assert client.get("/audit/?after=nonsense").status_code == 200  # a bad cursor: first page
    client.force_login(make_person("co", role=Role.COORDINATOR, org="js"))
    assert client.get("/audit.csv").status_code == 404
