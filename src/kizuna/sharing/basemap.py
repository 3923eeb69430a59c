"""The shared map's basemap, drawn as SVG from Natural Earth's 110m land outlines shipped with
the app (world-atlas 2.0.2, static/vendor), since these networks reach no tile server.

The projection is plate carrée (x = longitude, y = -latitude), centred on the Western
Pacific: longitudes west of Greenwich are shifted by 360° so Japan, Guam and Hawaii sit on
one map, and the land is drawn twice (as is and shifted) so no outline is cut.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

LAND = Path(__file__).resolve().parent.parent / "static/vendor/world-atlas-2.0.2/land-110m.json"


@dataclass(frozen=True)
class View:
    west: float = 100.0
    east: float = 215.0
    south: float = -5.0
    north: float = 60.0

    @property
    def viewbox(self) -> str:
        return f"{self.west} {-self.north} {self.east - self.west} {self.north - self.south}"


PACIFIC = View()


def map_x(longitude: float) -> float:
    """A longitude on the Pacific-centred map."""
    return longitude + 360 if longitude < 0 else longitude


def _decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """TopoJSON arcs are quantized and delta-encoded; this gives them back in degrees."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def _ring(arcs: list[list[tuple[float, float]]], indexes: list[int]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc[1:] if points else arc)
    return points


def _inside(ring: list[tuple[float, float]], view: View) -> bool:
    lons = [lon for lon, _ in ring]
    lats = [lat for _, lat in ring]
    return (
        min(lons) <= view.east
        and max(lons) >= view.west
        and min(lats) <= view.north
        and max(lats) >= view.south
    )


@cache
def land_path(view: View = PACIFIC) -> str:
    """The SVG path of the land within `view`, in map coordinates."""
    topology = json.loads(LAND.read_text())
    arcs = _decode_arcs(topology)
    rings = [
        _ring(arcs, ring)
        for geometry in topology["objects"]["land"]["geometries"]
        for polygon in (
            geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        )
        for ring in polygon
    ]
    parts = []
    for shift in (0, 360):
        for ring in rings:
            shifted = [(lon + shift, lat) for lon, lat in ring]
            if not _inside(shifted, view):
                continue
            coords = " ".join(f"{lon:.1f},{-lat:.1f}" for lon, lat in shifted)
            parts.append("M" + coords + "Z")
    return "".join(parts)
