"""The directory map, drawn on the server as SVG and served as GeoJSON, with no external tile server.

Wards are the borough's Areas. Their shapes come from a boundary file when one is installed
(``VAR_DIR/boundaries/wards.geojson``, see docs/directory.md), otherwise from the postcodes: each ward is drawn
as the convex hull of its postcodes' points, padded a little, which is rough but honest about being approximate.

Places come only from ``directory.public``: full-address locations at their point, district-only locations as a
wide circle around the district's middle, hidden locations not at all.
"""

import json
import logging
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from waymark.core.choices import AreaType
from waymark.core.models import Area, Postcode
from waymark.directory.choices import LocationVisibility
from waymark.directory.models import Service
from waymark.directory.public import PublicLocation, district_centroids, district_of, public_location

logger = logging.getLogger(__name__)

Point = tuple[float, float]  # (longitude, latitude), the GeoJSON order
Ring = list[Point]

HULL_PADDING_DEGREES = 0.0015  # about 100 to 170 m: a ward with one postcode still gets a visible shape
DISTRICT_RADIUS_METRES = 1000  # a district-only place is drawn as a circle this wide around the district's middle
SVG_WIDTH = 800.0
SVG_MARGIN = 16.0
NUMBERED_MARKERS_UP_TO = 40  # more numbers than this crowd each other; the list below still numbers every place
# Exact places closer than this are one marker: at borough scale their circles would cover each other, and a
# marker under another cannot be clicked or told apart.
GROUP_WITHIN_METRES = 150
METRES_PER_DEGREE = 111_320  # of latitude; a degree of longitude is this times cos(latitude)
_WARD_CODE_KEYS = re.compile(r"^(code|ward_?code|wd\d{2}cd)$", re.IGNORECASE)
_WARD_NAME_KEYS = re.compile(r"^(name|ward_?name|wd\d{2}nm)$", re.IGNORECASE)


def boundary_file() -> Path:
    return Path(settings.VAR_DIR) / "boundaries" / "wards.geojson"


@dataclass
class WardShape:
    """A ward's outline: one or more polygons, each a list of rings (the outer ring first)."""

    code: str
    name: str
    polygons: list[list[Ring]]
    approximate: bool


@dataclass
class MapPlace:
    """A place people can go, as the public may see it, with the services there and its number in the list."""

    number: int
    location: PublicLocation
    services: list[Service] = field(default_factory=list)
    group: int = 0  # places with the same group are drawn as one marker; their numbers follow each other

    @property
    def is_approximate(self) -> bool:
        return self.location.visibility == LocationVisibility.DISTRICT

    @property
    def point(self) -> Point | None:
        if self.location.latitude is None or self.location.longitude is None:
            return None
        return float(self.location.longitude), float(self.location.latitude)

    @property
    def label(self) -> str:
        if self.is_approximate:
            return _("Near %(district)s") % {"district": self.location.postcode}
        return ", ".join(self.location.display_lines)


@dataclass
class PlacedServices:
    """The map's content: places to draw, and services whose places are not public (contact to arrange)."""

    places: list[MapPlace]
    unplaced: list[Service]


def place_services(services: Iterable[Service]) -> PlacedServices:
    """Group the services by public location. Hidden locations, and places with no known point, are not drawn;
    a service with no drawable place is listed under "contact to arrange" instead."""
    places: dict[Any, MapPlace] = {}
    unplaced: list[Service] = []
    services = list(services)
    # The middles of the districts of district-only places, in one query rather than one a place.
    centroids = district_centroids(
        district_of(location.postcode)
        for service in services
        for location in service.locations.all()
        if location.visibility == LocationVisibility.DISTRICT
    )
    for service in services:
        drawn = False
        for location in service.locations.all():
            public = public_location(location, centroids)
            if public.visibility == LocationVisibility.HIDDEN or not public.is_placeable:
                continue
            # Two district-only venues in one district are one circle: no count of venues leaks either.
            key = ("district", public.postcode) if public.visibility == LocationVisibility.DISTRICT else location.pk
            if key not in places:
                places[key] = MapPlace(number=0, location=public)
            if service not in places[key].services:
                places[key].services.append(service)
            drawn = True
        if not drawn:
            unplaced.append(service)
    by_label = sorted(places.values(), key=lambda place: (place.is_approximate, place.label.casefold()))
    ordered = _numbered_in_groups(by_label)
    return PlacedServices(places=ordered, unplaced=unplaced)


def _numbered_in_groups(places: list[MapPlace]) -> list[MapPlace]:
    """Group exact places within ``GROUP_WITHIN_METRES`` of one another (a chain of near ones is one group), then
    number them so that each group's places follow each other, groups in the order of their first place."""
    groups = _near_groups([place for place in places if not place.is_approximate])
    ordered: list[MapPlace] = []
    seen: set[int] = set()
    group = 0
    for place in places:
        if id(place) in seen:
            continue
        group += 1
        members = groups.get(id(place), [place])
        for member in members:
            member.group = group
        ordered.extend(members)
        seen.update(id(member) for member in members)
    for number, place in enumerate(ordered, start=1):
        place.number = number
    return ordered


def _near_groups(places: list[MapPlace]) -> dict[int, list[MapPlace]]:
    """Each place (by ``id``) to its group's places, in the given order. Points go into grid cells as wide as the
    distance, so each is compared only with those in its own and the eight cells around it."""
    points: list[tuple[MapPlace, Point]] = []
    for place in places:
        point = place.point
        if point is not None:
            points.append((place, point))
    if not points:
        return {}
    lat_step = GROUP_WITHIN_METRES / METRES_PER_DEGREE
    lon_step = lat_step / max(math.cos(math.radians(points[0][1][1])), 0.01)
    parent = list(range(len(points)))

    def root(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    cells: dict[tuple[int, int], list[int]] = {}
    for index, (_place, (lon, lat)) in enumerate(points):
        cell = (math.floor(lon / lon_step), math.floor(lat / lat_step))
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                for other in cells.get((cell[0] + dx, cell[1] + dy), []):
                    other_lon, other_lat = points[other][1]
                    if math.hypot((lon - other_lon) / lon_step, (lat - other_lat) / lat_step) <= 1:
                        parent[root(index)] = root(other)
        cells.setdefault(cell, []).append(index)
    members: dict[int, list[MapPlace]] = {}
    for index, (place, _point) in enumerate(points):
        members.setdefault(root(index), []).append(place)
    return {id(place): group for group in members.values() for place in group}


# --- Ward shapes ---------------------------------------------------------------------------------------------


def ward_shapes() -> list[WardShape]:
    """Real boundaries when the boundary file has any of this site's wards, else approximate ones."""
    path = boundary_file()
    if path.is_file():
        shapes = _shapes_from_file(str(path), path.stat().st_mtime_ns)
        wards = dict(Area.objects.filter(area_type=AreaType.WARD, code__in=shapes).values_list("code", "name"))
        matched = [
            WardShape(code=code, name=wards[code] or shape.name, polygons=shape.polygons, approximate=False)
            for code, shape in shapes.items()
            if code in wards
        ]
        if matched:
            return sorted(matched, key=lambda shape: shape.name.casefold())
        logger.warning("%s has no ward whose code matches a ward on this site; drawing approximate wards.", path)
    return approximate_ward_shapes()


@lru_cache(maxsize=2)
def _shapes_from_file(path: str, modified: int) -> dict[str, WardShape]:
    """Read the boundary file once per change (``modified`` is part of the cache key)."""
    try:
        with open(path, encoding="utf-8") as handle:
            collection = json.load(handle)
    except (OSError, ValueError) as error:
        logger.warning("Cannot read the ward boundary file %s: %s", path, error)
        return {}
    shapes: dict[str, WardShape] = {}
    for feature in collection.get("features", []) if isinstance(collection, dict) else []:
        shape = _feature_shape(feature)
        if shape is not None:
            shapes[shape.code] = shape
    if collection and not shapes:
        logger.warning("The ward boundary file %s has no usable ward polygons in longitude/latitude.", path)
    return shapes


def _feature_shape(feature: Any) -> WardShape | None:
    if not isinstance(feature, dict):
        return None
    properties = feature.get("properties") or {}
    geometry = feature.get("geometry") or {}
    code = next((str(v).strip() for k, v in properties.items() if _WARD_CODE_KEYS.match(k) and v), "")
    name = next((str(v).strip() for k, v in properties.items() if _WARD_NAME_KEYS.match(k) and v), "")
    if not code:
        return None
    kind, coordinates = geometry.get("type"), geometry.get("coordinates") or []
    try:
        if kind == "Polygon":
            polygons = [_polygon(coordinates)]
        elif kind == "MultiPolygon":
            polygons = [_polygon(polygon) for polygon in coordinates]
        else:
            return None
    except (TypeError, ValueError, IndexError):
        return None
    return WardShape(code=code, name=name, polygons=polygons, approximate=False)


def _polygon(rings: Any) -> list[Ring]:
    polygon = []
    for ring in rings:
        points = [(float(point[0]), float(point[1])) for point in ring]
        # Eastings and northings (British National Grid) are not degrees: such a file cannot be drawn here.
        if any(not (-180 <= lon <= 180 and -90 <= lat <= 90) for lon, lat in points):
            raise ValueError("coordinates are not longitude and latitude")
        polygon.append(points)
    return polygon


def approximate_ward_shapes() -> list[WardShape]:
    """Each ward as the padded convex hull of its postcodes' points."""
    points: dict[int, list[Point]] = {}
    rows = Postcode.objects.filter(ward__area_type=AreaType.WARD).values_list("ward_id", "longitude", "latitude")
    for ward_id, longitude, latitude in rows:
        points.setdefault(ward_id, []).append((float(longitude), float(latitude)))
    wards = Area.objects.filter(pk__in=points).order_by("name")
    shapes = []
    for ward in wards:
        padded = [
            (lon + dx, lat + dy)
            for lon, lat in points[ward.pk]
            for dx in (-HULL_PADDING_DEGREES, HULL_PADDING_DEGREES)
            for dy in (-HULL_PADDING_DEGREES, HULL_PADDING_DEGREES)
        ]
        hull = convex_hull(padded)
        shapes.append(WardShape(code=ward.code, name=ward.name, polygons=[[[*hull, hull[0]]]], approximate=True))
    return shapes


def convex_hull(points: Sequence[Point]) -> Ring:
    """Andrew's monotone chain: the hull's corners, anticlockwise, not repeating the first."""
    unique = sorted(set(points))
    if len(unique) <= 2:
        return list(unique)

    def cross(origin: Point, a: Point, b: Point) -> float:
        return (a[0] - origin[0]) * (b[1] - origin[1]) - (a[1] - origin[1]) * (b[0] - origin[0])

    lower: Ring = []
    for point in unique:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], point) <= 0:
            lower.pop()
        lower.append(point)
    upper: Ring = []
    for point in reversed(unique):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], point) <= 0:
            upper.pop()
        upper.append(point)
    return lower[:-1] + upper[:-1]


# --- GeoJSON -------------------------------------------------------------------------------------------------


def wards_geojson(shapes: Iterable[WardShape]) -> dict[str, Any]:
    features = []
    for shape in shapes:
        geometry: dict[str, Any]
        if len(shape.polygons) == 1:
            geometry = {"type": "Polygon", "coordinates": _rounded_polygon(shape.polygons[0])}
        else:
            geometry = {"type": "MultiPolygon", "coordinates": [_rounded_polygon(p) for p in shape.polygons]}
        properties = {"code": shape.code, "name": shape.name, "approximate": shape.approximate}
        features.append({"type": "Feature", "properties": properties, "geometry": geometry})
    return {"type": "FeatureCollection", "features": features}


def _rounded_polygon(polygon: list[Ring]) -> list[list[list[float]]]:
    return [[[round(lon, 6), round(lat, 6)] for lon, lat in ring] for ring in polygon]


def locations_geojson(places: Iterable[MapPlace], *, service_url: Any) -> dict[str, Any]:
    """Public places as points. A district-only place is its district's middle, flagged approximate with the
    radius the map draws; ``service_url(service)`` gives each service's public page."""
    features = []
    for place in places:
        point = place.point
        if point is None:
            continue
        properties: dict[str, Any] = {
            "number": place.number,
            "name": place.label,
            "address": place.location.display_lines,
            "approximate": place.is_approximate,
            "step_free_access": place.location.step_free_access,
            "services": [
                {"id": str(service.uuid), "name": service.name, "url": service_url(service)}
                for service in place.services
            ],
        }
        if place.is_approximate:
            properties["postcode_district"] = place.location.postcode
            properties["approximate_radius_m"] = DISTRICT_RADIUS_METRES
        geometry = {"type": "Point", "coordinates": [round(point[0], 6), round(point[1], 6)]}
        features.append({"type": "Feature", "properties": properties, "geometry": geometry})
    return {"type": "FeatureCollection", "features": features}


# --- SVG -----------------------------------------------------------------------------------------------------


@dataclass
class SvgWard:
    code: str
    name: str
    path: str
    label_x: float
    label_y: float
    selected: bool


@dataclass
class SvgMarker:
    """One marker: a place, or a group of places close together. It links to the first place's row in the list
    under the map, where the group's places follow each other."""

    number: int
    x: float
    y: float
    radius: float
    approximate: bool
    title: str
    show_number: bool
    text: str = ""
    grouped: bool = False


@dataclass
class SearchedPlace:
    """The postcode (or postcode district) a search measured from, marked on the map."""

    point: Point
    label: str


@dataclass
class SvgSearched:
    x: float
    y: float
    label: str

    @property
    def cross(self) -> str:
        """Path data of a cross centred on the point."""
        return f"M{self.x - 9:.1f},{self.y - 9:.1f} l18,18 m0,-18 l-18,18"

    @property
    def label_y(self) -> float:
        # Above the cross, or below it when the cross is at the top edge and the name would be cut off.
        return round(self.y - 14 if self.y > 32 else self.y + 26, 1)


@dataclass
class SvgMap:
    width: float
    height: float
    wards: list[SvgWard]
    markers: list[SvgMarker]
    searched: SvgSearched | None = None

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width:.0f} {self.height:.0f}"


class _Projection:
    """Longitude and latitude to SVG units: equirectangular, squeezed east-west by cos(latitude) so that a
    borough-sized map keeps its true shape."""

    def __init__(self, points: Sequence[Point]) -> None:
        lons = [p[0] for p in points]
        lats = [p[1] for p in points]
        self.west, self.east = min(lons), max(lons)
        self.south, self.north = min(lats), max(lats)
        self.squeeze = math.cos(math.radians((self.north + self.south) / 2))
        span_x = max((self.east - self.west) * self.squeeze, 1e-6)
        span_y = max(self.north - self.south, 1e-6)
        self.scale = (SVG_WIDTH - 2 * SVG_MARGIN) / max(span_x, span_y)
        self.width = SVG_WIDTH if span_x >= span_y else span_x * self.scale + 2 * SVG_MARGIN
        self.height = span_y * self.scale + 2 * SVG_MARGIN

    def __call__(self, point: Point) -> tuple[float, float]:
        x = SVG_MARGIN + (point[0] - self.west) * self.squeeze * self.scale
        y = SVG_MARGIN + (self.north - point[1]) * self.scale
        return x, y

    def metres(self, distance: float) -> float:
        return distance / METRES_PER_DEGREE * self.scale  # a degree of latitude is about 111.3 km


def svg_map(
    shapes: Sequence[WardShape],
    places: Sequence[MapPlace],
    *,
    selected_ward: str = "",
    searched: SearchedPlace | None = None,
) -> SvgMap | None:
    """The drawing, or None when there is nothing to draw. With a ward chosen, the drawing is framed on that ward
    and the places found (the other wards run off the edges), so a phone shows the places large enough to read.
    The searched postcode is always in the frame."""
    framed = [shape for shape in shapes if shape.code == selected_ward] or shapes
    corners: list[Point] = [point for shape in framed for polygon in shape.polygons for point in polygon[0]]
    reach_lat = DISTRICT_RADIUS_METRES / METRES_PER_DEGREE
    for place in places:
        if place.point is not None:
            lon, lat = place.point
            # A circle of so many metres spans more degrees of longitude than of latitude away from the equator.
            reach_lon = reach_lat / math.cos(math.radians(lat)) if place.is_approximate else 0.0
            reach = reach_lat if place.is_approximate else 0.0
            corners.extend([(lon - reach_lon, lat - reach), (lon + reach_lon, lat + reach)])
    if searched is not None:
        corners.append(searched.point)
    if not corners:
        return None
    project = _Projection(corners)
    wards = []
    for shape in shapes:
        path = " ".join(_svg_ring(ring, project) for polygon in shape.polygons for ring in polygon)
        label_x, label_y = project(_centre(shape.polygons[0][0]))
        wards.append(
            SvgWard(
                code=shape.code,
                name=shape.name,
                path=path,
                label_x=round(label_x, 1),
                label_y=round(label_y, 1),
                selected=shape.code == selected_ward,
            )
        )
    groups: dict[int, list[MapPlace]] = {}
    for place in places:
        if place.point is not None:
            groups.setdefault(place.group or -place.number, []).append(place)
    numbered = len(groups) <= NUMBERED_MARKERS_UP_TO
    markers = [_marker(members, project, numbered=numbered) for members in groups.values()]
    # Wide approximate circles first, so exact points stay on top and clickable areas do not hide them.
    markers.sort(key=lambda marker: (not marker.approximate, marker.number))
    searched_mark = None
    if searched is not None:
        x, y = project(searched.point)
        searched_mark = SvgSearched(x=round(x, 1), y=round(y, 1), label=searched.label)
    return SvgMap(
        width=round(project.width, 1),
        height=round(project.height, 1),
        wards=wards,
        markers=markers,
        searched=searched_mark,
    )


def _place_title(place: MapPlace) -> str:
    services = ", ".join(service.name for service in place.services)
    return f"{place.number}. {place.label}: {services}"


def _marker(members: list[MapPlace], project: _Projection, *, numbered: bool) -> SvgMarker:
    """One marker for a place, or for a group of places close together (drawn at their middle, a little larger,
    labelled with every place in it)."""
    first, last = members[0], members[-1]
    points = [project(place.point) for place in members if place.point is not None]
    x, y = sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)
    if first.is_approximate:
        radius = max(project.metres(DISTRICT_RADIUS_METRES), 16.0)
    else:
        radius = 11.0 if len(members) == 1 else 14.0
    if len(members) == 1:
        text, title = str(first.number), _place_title(first)
    else:
        text = f"{first.number}–{last.number}"
        radius = max(radius, 4.0 + 3.8 * len(text))
        title = _("Places %(first)d to %(last)d, close together: %(places)s") % {
            "first": first.number,
            "last": last.number,
            "places": "; ".join(_place_title(place) for place in members),
        }
    return SvgMarker(
        number=first.number,
        x=round(x, 1),
        y=round(y, 1),
        radius=round(radius, 1),
        approximate=first.is_approximate,
        title=title,
        show_number=numbered,
        text=text,
        grouped=len(members) > 1,
    )


def _svg_ring(ring: Ring, project: _Projection) -> str:
    """One ring as path data, dropping points closer than half a unit to the last one kept (real boundary
    files carry far more detail than a page can show)."""
    commands = []
    last: tuple[float, float] | None = None
    for point in ring:
        x, y = project(point)
        if last is not None and abs(x - last[0]) < 0.5 and abs(y - last[1]) < 0.5:
            continue
        commands.append(f"{x:.1f},{y:.1f}")
        last = (x, y)
    return "M" + " L".join(commands) + " Z" if len(commands) >= 3 else ""


def _centre(ring: Ring) -> Point:
    """Where a ward's name goes: the average of its outline's corners (good enough for compact wards)."""
    corners = ring[:-1] if len(ring) > 1 and ring[0] == ring[-1] else ring
    return sum(p[0] for p in corners) / len(corners), sum(p[1] for p in corners) / len(corners)
