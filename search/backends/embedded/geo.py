"""Distances on the WGS84 ellipsoid, the bounding boxes that prefilter them, and the distance decay.

Distances are geodesics computed by PROJ (Karney's algorithm, the one geopy's `geodesic` uses
through geographiclib), vectorised in C: about a microsecond a point, so every candidate gets its
exact distance and "nearest first" agrees with geopy to the nanometre.
"""

import math
from collections.abc import Sequence

from pyproj import Geod

_WGS84 = Geod(ellps="WGS84")

# The smallest radius of curvature of the WGS84 ellipsoid (meridional, at the equator), in km:
# a box drawn with it can only be too big, never too small.
_SMALLEST_RADIUS_KM = 6335.439
_MARGIN = 1.001

# Ranking: a venue at the search radius keeps half its relevance, falling off like a gaussian
# (0.5 ** (d/r)**2): 0.5 at the radius, 0.84 at half of it. A service matched through its service
# area, nationally or online rather than by a venue within the radius, gets a flat AREA_BOOST below
# 0.5, so with equal text relevance every venue within the radius ranks above it.
AREA_BOOST = 0.4


def distances_km(latitude: float, longitude: float, points: Sequence[tuple[float, float]]) -> list[float]:
    """Geodesic distances in km from one place to each (latitude, longitude) point."""
    if not points:
        return []
    n = len(points)
    _, _, metres = _WGS84.inv(
        [longitude] * n, [latitude] * n, [lon for _, lon in points], [lat for lat, _ in points]
    )
    return [m / 1000 for m in metres]


def bounding_box(latitude: float, longitude: float, radius_km: float) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lon, max_lon) holding every point within radius_km of the place."""
    angle = radius_km / _SMALLEST_RADIUS_KM * _MARGIN
    dlat = math.degrees(angle)
    farthest = math.radians(min(90.0, abs(latitude) + dlat))
    if math.cos(farthest) <= math.sin(angle):  # the circle reaches a pole: every longitude
        return max(-90.0, latitude - dlat), min(90.0, latitude + dlat), -180.0, 180.0
    dlon = math.degrees(math.asin(math.sin(angle) / math.cos(farthest)))
    min_lon, max_lon = longitude - dlon, longitude + dlon
    if min_lon < -180 or max_lon > 180:  # across the antimeridian: rare enough to take every longitude
        min_lon, max_lon = -180.0, 180.0
    return latitude - dlat, latitude + dlat, min_lon, max_lon


# Finding a service's nearest venue among many: a flat-earth estimate in squared degrees (east-west
# scaled by the cosine of the place's latitude) keeps distances in proportion across the UK to
# within 7% (measured between random points from Scilly to Shetland), so every venue whose
# estimate is within 10% (21% squared) of the smallest is measured exactly, and the true nearest
# is always among them.
SLACK = 1.21


PLANAR = "(lat - %s) * (lat - %s) + (lon - %s) * (lon - %s) * %s"


def planar(latitude: float, longitude: float) -> tuple[float, float, float, float, float]:
    """The parameters of PLANAR, the estimate in SQL, for a place."""
    return latitude, latitude, longitude, longitude, math.cos(math.radians(latitude)) ** 2


def boost(distance_km: float, radius_km: float) -> float:
    """The ranking multiplier for a venue within the radius (see AREA_BOOST)."""
    return 0.5 ** ((distance_km / radius_km) ** 2)
