"""Links from the same rules as the pages they lead to.

A page states who may open it with `@guarded_by(rule)`: `rule(person, **url_kwargs)` is the
app's policy answer, the view answers 404 when it is false, and the rule stays on the view.
`leads_somewhere(person, url_name, ...)` resolves a link to its view and asks that same rule,
so a menu entry, button or link shows only for the people for whom the page opens; the two
cannot drift apart because there is one rule. Pages without a rule open for anyone signed in.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from inspect import signature
from typing import Any, TypeVar, cast

from django.http import Http404, HttpRequest, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import NoReverseMatch, resolve, reverse

from .auth import person_of
from .models import Person

Rule = Callable[..., bool]
View = TypeVar("View", bound=Callable[..., HttpResponseBase])

_RULE = "kizuna_rule"
# Pages whose views are not ours to decorate (the back office): their rule by URL name.
_NAMED: dict[str, Rule] = {}


def _asking(rule: Rule) -> Rule:
    """A rule of the person alone (`may_use_acsa(person)`) ignores the page's arguments."""
    if len(signature(rule).parameters) == 1:
        return lambda person, **kwargs: rule(person)
    return rule


def name_rule(url_name: str, rule: Rule) -> None:
    """The rule of a page whose view is not ours to decorate (e.g. the back office)."""
    _NAMED[url_name] = _asking(rule)


def guarded_by(rule: Rule) -> Callable[[View], View]:
    """The view opens only for people `rule(person, **url_kwargs)` lets in; others get 404,
    as for a page that is not there. Put it below `@login_required`."""

    asked = _asking(rule)

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not asked(person_of(request), **kwargs):
                raise Http404
            return view(request, *args, **kwargs)

        setattr(wrapper, _RULE, asked)
        return cast(View, wrapper)

    return decorate


def rule_of(view: Callable[..., Any]) -> Rule | None:
    """The rule a view was guarded by, through the decorators wrapped around it."""
    while view is not None:
        rule = getattr(view, _RULE, None)
        if rule is not None:
            return cast(Rule, rule)
        view = getattr(view, "__wrapped__", None)  # type: ignore[assignment]
    return None


def leads_somewhere(person: Person | None, url_name: str, *args: Any, **kwargs: Any) -> bool:
    """Whether the page `url_name` (with its arguments) opens for this person."""
    if person is None or not person.is_authenticated:
        return False
    try:
        match = resolve(reverse(url_name, args=args, kwargs=kwargs).split("?")[0])
    except NoReverseMatch:
        return False
    rule = _NAMED.get(url_name) or rule_of(match.func)
    return rule is None or bool(rule(person, **match.kwargs))


def remembered(person: Person, key: str, decide: Callable[[], Any]) -> Any:
    """An answer a rule needs for every row of a list (e.g. which rosters a person may
    open), decided once and kept on the person object, which lives as long as the request."""
    cache = person.__dict__.setdefault("_kizuna_navigation", {})
    if key not in cache:
        cache[key] = decide()
    return cache[key]


def back_to_next(request: HttpRequest, fallback: str) -> HttpResponseRedirect:
    """After a form posted from another page: back to the page it names in `next`, when that
    is a path on this site (never another host), else to `fallback`."""
    target = request.POST.get("next", "")
    return redirect(target if target.startswith("/") and not target.startswith("//") else fallback)
