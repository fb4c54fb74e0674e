"""The region map: kommun boundaries drawn as SVG on the server (no tiles, no internet, no JS).

Boundaries come from overview/data/sweden-municipalities.geojson (okfse/sweden-geojson, derived
from Valmyndigheten's data). They are projected once per process (cached): longitude is scaled by
cos(59.5°) so the Stockholm region keeps its shape, coordinates are rounded to 1/1000 degree
(about 100 m, plenty at this size) and repeated points dropped. Each request only picks the
paths, colours them by a measure and sets the viewBox around the member kommuner.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.utils.html import escape

from members import links

GEOJSON = Path(__file__).resolve().parent / "data" / "sweden-municipalities.geojson"
SCALE = 1000  # SVG units per degree of latitude
COS_LAT = math.cos(math.radians(59.5))
MARGIN = 8


@dataclass(frozen=True)
class Shape:
    code: str
    name: str
    path: str  # SVG path data
    bbox: tuple[int, int, int, int]  # min x, min y, max x, max y


def _ring(points: list[list[float]]) -> tuple[str, list[tuple[int, int]]]:
    projected: list[tuple[int, int]] = []
    for lon, lat in points:
        point = (round(lon * COS_LAT * SCALE), round(-lat * SCALE))
        if not projected or projected[-1] != point:
            projected.append(point)
    if len(projected) > 1 and projected[0] == projected[-1]:
        projected.pop()
    if len(projected) < 3:
        return "", []
    first, rest = projected[0], projected[1:]
    data = f"M{first[0]} {first[1]}L" + " ".join(f"{x} {y}" for x, y in rest) + "Z"
    return data, projected


@lru_cache(maxsize=1)
def shapes() -> dict[str, Shape]:
    """Every kommun's projected outline, keyed by kommunkod (read and projected once)."""
    with open(GEOJSON, encoding="utf-8") as fh:
        features = json.load(fh)["features"]
    result = {}
    for feature in features:
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        parts, points = [], []
        for polygon in polygons:
            for ring in polygon:
                data, projected = _ring(ring)
                if data:
                    parts.append(data)
                    points += projected
        if not points:
            continue
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        code = str(feature["properties"]["id"]).zfill(4)
        result[code] = Shape(
            code=code,
            name=feature["properties"]["kom_namn"],
            path="".join(parts),
            bbox=(min(xs), min(ys), max(xs), max(ys)),
        )
    return result


def _overlaps(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def render_svg(*, kommuner: list, values: dict, title: str, none_class: str, none_label: str) -> str:
    """An accessible SVG map: member kommuner as links coloured by class, neighbours in grey.

    kommuner: member Kommun objects; values: {kommun_id: MapValue}. Each member is an <a> (to its
    kommun page) around a <path> with a <title> "name: value". Colours are classes (CSP-safe).
    """
    all_shapes = shapes()
    drawn = [(k, all_shapes[k.code]) for k in kommuner if k.code in all_shapes]
    if not drawn:
        return ""
    box = (
        min(s.bbox[0] for _k, s in drawn) - MARGIN,
        min(s.bbox[1] for _k, s in drawn) - MARGIN,
        max(s.bbox[2] for _k, s in drawn) + MARGIN,
        max(s.bbox[3] for _k, s in drawn) + MARGIN,
    )
    member_codes = {k.code for k, _s in drawn}
    kommun_url = links.maker("members:kommun_detail")
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="region-map" viewBox="{box[0]} {box[1]} '
        f'{box[2] - box[0]} {box[3] - box[1]}" role="group" aria-labelledby="region-map-title">',
        f'<title id="region-map-title">{escape(title)}</title>',
        '<g class="map-context" aria-hidden="true">',
    ]
    for code, shape in sorted(all_shapes.items()):
        if code not in member_codes and _overlaps(shape.bbox, box):
            out.append(f'<path d="{shape.path}"/>')
    out.append("</g><g>")
    for kommun, shape in sorted(drawn, key=lambda item: item[0].name):
        value = values.get(kommun.pk)
        css, words = (value.css_class, value.display) if value else (none_class, none_label)
        url = kommun_url(kommun.code)
        label = f"{kommun.name}: {words}"
        out.append(
            f'<a href="{url}" data-kommun="{kommun.code}" aria-label="{escape(label)}">'
            f'<path class="map-area {css}" d="{shape.path}"><title>{escape(label)}</title></path></a>'
        )
    out.append("</g></svg>")
    return "".join(out)
