"""`{% leads_to 'app:page' arg as ok %}`: whether a link opens for the reader, asked of the
rule that guards the page (kizuna.core.navigation)."""

from __future__ import annotations

from typing import Any

from django import template

from ..navigation import leads_somewhere
from ..paging import with_query

register = template.Library()


@register.simple_tag(takes_context=True)
def leads_to(context: template.Context, url_name: str, *args: Any) -> bool:
    request = context.get("request")
    user = getattr(request, "user", None)
    return leads_somewhere(user, url_name, *args)


@register.simple_tag(takes_context=True)
def query_with(context: template.Context, **changes: Any) -> str:
    """`{% query_with after=page.after %}`: this page's query with a parameter changed, the
    filters kept (for paging and exports)."""
    return with_query(context["request"].GET, **changes)
