"""Every HTML form filled with hostile values (extreme dates, negative and huge numbers,
100,000 characters, markup, control characters, empty required fields), submitted as a
person of each nation; then every page loaded by both. No 5xx, ever, and a refused
submission changes nothing (every table's row count compared before and after)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit

import pytest
from django.apps import apps
from django.contrib.messages import get_messages
from django.forms import BaseForm, BaseFormSet
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from kizuna.core.models import Person

from .conftest import FUZZ

pytestmark = pytest.mark.django_db

HOSTILE = [
    "",
    "0001-01-01",
    "0001-01-01T00:00",
    "9999-12-31T23:59",
    "1969-12-31",
    "-1",
    "0",
    "-99999999999999999999999",
    "99999999999999999999999999999",
    "1e308",
    "NaN",
    "x" * 100_000,
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "a\x00b",
    "a\u202eb",
    "a\x1b[31m",
    "' OR 1=1 --",
    "１２３",
    "　",
]

# Submitting these ends the session or the sign-in itself: not what is fuzzed here.
NOT_SUBMITTED = ("/logout/", "/settings/sessions/end/", "/settings/second-factor/", "/login/")
NOT_VISITED = ("/logout/", "/api/", "/static/", "/admin/")
# Rows written by reading or signing in, whatever the submission's fate.
NOT_COMPARED = {"ReadEvent", "SignIn", "AccessAttempt", "AccessLog", "Session"}
PER_PATTERN = 2  # pages visited of each shape of address (/sharing/N/ …)
MAX_PAGES = 120


@dataclass
class Form:
    action: str
    method: str
    fields: dict[str, list[str]] = field(default_factory=dict)  # name -> values offered
    hidden: dict[str, str] = field(default_factory=dict)


class _Page(HTMLParser):
    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url
        self.links: list[str] = []
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(urljoin(self.url, a["href"]))
        elif tag == "form":
            self._form = Form(
                urljoin(self.url, a.get("action") or self.url), a.get("method", "get").lower()
            )
            self.forms.append(self._form)
        if self._form is None:
            return
        form = self._form
        name = a.get("name", "")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind == "hidden":
                form.hidden[name] = a.get("value", "")
            elif kind not in ("submit", "button", "file"):
                form.fields.setdefault(name, []).append(a.get("value", "on"))
        elif tag == "select" and name:
            self._select = name
            form.fields.setdefault(name, [])
        elif tag == "option" and self._select:
            form.fields[self._select].append(a.get("value", ""))
        elif tag == "textarea" and name:
            form.fields.setdefault(name, [""])

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "form":
            self._form = None


def _pattern(url: str) -> str:
    return re.sub(r"\d+", "N", urlsplit(url).path)


def _crawl(client: Client, person: Person, failures: list[str]) -> list[Form]:
    """Every page reachable from the home page (a few of each shape), its forms."""
    client.force_login(person)
    seen: Counter[str] = Counter()
    queue, visited, forms = ["/"], set(), []
    while queue and len(visited) < MAX_PAGES:
        url = queue.pop(0)
        parts = urlsplit(url)
        if parts.netloc not in ("", "testserver") or url in visited:
            continue
        if parts.path.startswith(NOT_VISITED) or seen[_pattern(url)] >= PER_PATTERN:
            continue
        visited.add(url)
        seen[_pattern(url)] += 1
        response = client.get(parts.path, dict(_query(parts.query)))
        if response.status_code >= 500:
            failures.append(f"{person.username}: GET {url} -> {response.status_code}")
        if "text/html" not in response.get("Content-Type", "") or response.streaming:
            continue
        page = _Page(f"http://testserver{parts.path}")
        page.feed(response.content.decode())
        queue += page.links
        forms += page.forms
    return forms


def _query(query: str) -> list[tuple[str, str]]:
    return [tuple(p.split("=", 1)) for p in query.split("&") if "=" in p]  # type: ignore[misc]


def _counts() -> dict[str, int]:
    return {
        model.__name__: model._default_manager.count()
        for model in apps.get_models()
        if model.__module__.startswith("kizuna.") and model.__name__ not in NOT_COMPARED
    }


def _values(form: Form) -> st.SearchStrategy[dict[str, Any]]:
    """Each field: one of the page's own values, something hostile, or left out."""

    def one(offered: list[str]) -> st.SearchStrategy[Any]:
        return st.one_of(
            st.sampled_from(offered or [""]),
            st.sampled_from(HOSTILE),
            st.text(max_size=40),
            st.none(),
        )

    return st.fixed_dictionaries({name: one(offered) for name, offered in form.fields.items()})


def _fuzz_form(client: Client, person: Person, form: Form, failures: list[str]) -> None:
    path = urlsplit(form.action).path

    @FUZZ
    @given(values=_values(form))
    def submit(values: dict[str, Any]) -> None:
        client.force_login(person)
        client.cookies.pop("messages", None)  # only this submission's messages count
        data = {**form.hidden, **{k: v for k, v in values.items() if v is not None}}
        before = _counts()
        if form.method == "post":
            response = client.post(path, data)
        else:
            response = client.get(path + "?" + urlencode(data))
        where = f"{person.username}: {form.method.upper()} {path}"
        if response.status_code >= 500:
            failures.append(f"{where} -> {response.status_code} with {_short(data)}")
            return
        flashed = {m.level_tag for m in get_messages(response.wsgi_request)}
        refused = (
            response.status_code >= 400
            or "error" in flashed
            or any(_has_errors(value) for value in _context_values(response))
        )
        if form.method == "post" and refused and _counts() != before:
            changed = {k: (v, _counts()[k]) for k, v in before.items() if _counts()[k] != v}
            failures.append(f"{where} refused ({response.status_code}) but changed {changed}")

    submit()


def _context_values(response: Any) -> list[Any]:
    context = response.context  # None, one Context, or a list of them (one per template)
    contexts = [] if context is None else context if isinstance(context, list) else [context]
    return [value for c in contexts for value in c.flatten().values()]


def _has_errors(value: Any) -> bool:
    forms = value if isinstance(value, list | tuple) else [value]
    return any(isinstance(f, BaseForm | BaseFormSet) and f.is_bound and f.errors for f in forms)


def _short(data: dict[str, Any]) -> dict[str, str]:
    return {k: (v[:30] + "…" if isinstance(v, str) and len(v) > 30 else v) for k, v in data.items()}


def test_hostile_forms_break_nothing_and_refusals_change_nothing(
    demo_people: list[Person],
) -> None:
    client = Client(raise_request_exception=False)
    failures: list[str] = []
    submitted: set[tuple[str, str]] = set()
    for person in demo_people:
        for form in _crawl(client, person, failures):
            key = (_pattern(form.action), form.method)
            if key in submitted or urlsplit(form.action).path.startswith(NOT_SUBMITTED):
                continue
            submitted.add(key)
            _fuzz_form(client, person, form, failures)
    # After all that, every page still loads for both.
    for person in demo_people:
        _crawl(client, person, failures)
    assert not failures, "\n".join(failures[:30])
    assert len(submitted) > 10, submitted
