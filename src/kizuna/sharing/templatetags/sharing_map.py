"""Template helpers for the shared map's SVG."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from ..basemap import PACIFIC, land_path, map_x

register = template.Library()


@register.simple_tag(name="land_path")
def land_path_tag() -> SafeString:
    return SafeString(land_path(PACIFIC))


@register.simple_tag
def map_viewbox() -> str:
    return PACIFIC.viewbox


@register.filter(name="map_x")
def map_x_filter(longitude: float) -> str:
    return f"{map_x(longitude):.3f}"


@register.filter
def map_y(latitude: float) -> str:
    return f"{-latitude:.3f}"
