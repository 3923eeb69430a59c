"""Template helpers of the coordination pages: `{{ value|dtg }}`."""

from __future__ import annotations

from datetime import datetime

from django import template

from .. import dtg as dtg_module

register = template.Library()


@register.filter
def dtg(value: datetime | None) -> str:
    return dtg_module.dtg(value) if value is not None else ""
