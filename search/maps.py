"""What map.js draws: markers, the place searched from, and the tile server setting.

The results page maps its hits' venues and a listing page its own; both pages carry this as a
JSON block (no inline script: CSP) and load the same Leaflet and map.js.
"""

from django.conf import settings


def marker(*, latitude: float, longitude: float, name: str, place: str = "", url: str = "") -> dict:
    """One venue: its name (a link to the listing when `url` is given) and where it is in words."""
    return {"lat": latitude, "lon": longitude, "name": name, "url": url, "place": place}


def map_data(markers: list[dict], *, origin=None, origin_label: str = "") -> dict | None:
    """The map's data, or None when there is nothing to put on it. `origin` is a GeoPoint."""
    if not markers:
        return None
    return {
        "markers": markers,
        "origin": {"lat": origin.latitude, "lon": origin.longitude, "label": origin_label} if origin else None,
        "tiles": getattr(settings, "SEARCH_MAP_TILE_URL", None),
        "attribution": getattr(settings, "SEARCH_MAP_ATTRIBUTION", ""),
    }
