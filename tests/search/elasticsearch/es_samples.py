"""Places, services and queries shared by the Elasticsearch tests (golden bodies, responses, live cluster).

Places are real ONS postcodes in and around Bracknell Forest; `test_queries.py` checks their
coordinates against the gazetteer's data, so the golden bodies stay byte-stable without
reading the postcode directory on every run. Vocabulary codes are the seeded ones (directory
migration 0002). The golden queries read their words through a small thesaurus of their own
(`THESAURUS`), so that editing search/thesaurus.txt does not change the golden bodies, and are
built with the `Lookup` the sample documents would give (`sample_lookup`): what an index of
`DOCUMENTS` has of their words, and its service-area radii.
"""

import json
from datetime import UTC, datetime, time
from pathlib import Path
from typing import NamedTuple

from search.backends.elasticsearch.mapping import index_body, indexed_source
from search.backends.elasticsearch.queries import Lookup, build_search, lookup_body, lookup_words
from search.contract import (
    MILE_KM,
    Accessibility,
    Delivery,
    GeoPoint,
    RadiusArea,
    SearchDocument,
    SearchQuery,
    ServiceAreas,
    Session,
    Sort,
    TimeOfDay,
    Venue,
)
from search.thesaurus import Concept, concepts, parse
from search.words import stem


class Place(NamedTuple):
    postcode: str
    latitude: float
    longitude: float
    local_authority: str

    @property
    def point(self) -> GeoPoint:
        return GeoPoint(self.latitude, self.longitude)

    def venue(self, name: str, *accessibility: Accessibility) -> Venue:
        return Venue(self.latitude, self.longitude, self.postcode, name, accessibility=accessibility)


BRACKNELL_FOREST = "E06000036"
BRACKNELL = Place("RG12 1AA", 51.416385, -0.747026, BRACKNELL_FOREST)  # the town centre: where people search from
HARMANS_WATER = Place("RG12 9RA", 51.40972, -0.750171, BRACKNELL_FOREST)  # 0.77 km from BRACKNELL
BINFIELD = Place("RG42 1AB", 51.420357, -0.769641, BRACKNELL_FOREST)  # 1.63 km
CROWTHORNE = Place("RG45 7AA", 51.370203, -0.790782, BRACKNELL_FOREST)  # 5.97 km
WOKINGHAM = Place("RG40 1AA", 51.410738, -0.835078, "E06000041")  # 6.16 km, another authority
READING = Place("RG1 1AA", 51.460725, -0.974799, "E06000038")  # 16.59 km
PLACES = (BRACKNELL, HARMANS_WATER, BINFIELD, CROWTHORNE, WOKINGHAM, READING)

UPDATED = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)


def _service(number: int, name: str, **fields) -> SearchDocument:
    slug = name.lower().replace("'", "").replace(" ", "-")
    return SearchDocument(
        id=f"00000000-0000-4000-8000-{number:012d}",
        name=name,
        organisation=fields.pop("organisation", name),
        url=f"/directory/{slug}/",
        updated_at=fields.pop("updated_at", UPDATED),
        **fields,
    )


HEALTH_WALKS = _service(
    1, "Bracknell Health Walks", description="Gentle led walks through parks and woodland.",
    categories=("physical-activity", "walking-groups"), category_names=("Being more active", "Walking groups"),
    venues=(
        HARMANS_WATER.venue("Harmans Water shops", Accessibility.STEP_FREE),
        CROWTHORNE.venue("Crowthorne village"),
    ),
    sessions=(Session((0, 2), time(10), time(11, 30)),), languages=("en",),
)
CHOIR = _service(
    2, "Crowthorne Community Choir", description="Singing for fun, no auditions and no need to read music.",
    categories=("music-singing", "loneliness"), category_names=("Music and singing", "Loneliness and isolation"),
    venues=(CROWTHORNE.venue("Village hall", Accessibility.STEP_FREE, Accessibility.HEARING_LOOP),),
    sessions=(Session((3,), time(19), time(21)),), is_free=False, cost_summary="£3 a session", languages=("en",),
    updated_at=datetime(2026, 10, 20, 18, 0, tzinfo=UTC),
)
MONEY_HELPLINE = _service(
    3, "Money Matters Helpline", description="Free, confidential advice on benefits, debt and bills.",
    categories=("money", "benefits", "debt"), category_names=("Money and debt", "Benefits advice", "Debt advice"),
    delivery=(Delivery.PHONE, Delivery.ONLINE), sessions=(Session((0, 1, 2, 3, 4), time(9), time(17)),),
    languages=("en", "pl"),
)
CARERS = _service(
    4, "Carers Support Bracknell Forest", description="Breaks, groups and a listening ear for unpaid carers.",
    categories=("carers", "carers-support"), category_names=("Caring for someone", "Carers' support"),
    venues=(READING.venue("Carers hub"),), areas=ServiceAreas(local_authorities=(BRACKNELL_FOREST,)),
    delivery=(Delivery.IN_PERSON, Delivery.PHONE), sessions=(Session((1,), time(13), time(15)),),
    self_referral=False,
)
MENS_SHED = _service(
    5, "Wokingham Men's Shed", description="Make, mend and chat in a well-equipped workshop.",
    categories=("mens-sheds", "loneliness"), category_names=("Men's sheds", "Loneliness and isolation"),
    venues=(WOKINGHAM.venue("The Shed", Accessibility.ACCESSIBLE_TOILET),),
    areas=ServiceAreas(radii=(RadiusArea(WOKINGHAM.latitude, WOKINGHAM.longitude, 5 * MILE_KM),)),
    sessions=(Session((1, 4), time(9, 30), time(13)),), minimum_age=18, capacity="waiting_list",
)
BEFRIENDING = _service(
    6, "National Befriending Line", description="A friendly phone call every week from a trained volunteer.",
    categories=("befriending", "loneliness"), category_names=("Befriending", "Loneliness and isolation"),
    keywords=("lonely", "someone to talk to"), areas=ServiceAreas(national=True), delivery=(Delivery.PHONE,), minimum_age=55, capacity="full",
)
ALLOTMENTS = _service(
    7, "Binfield Allotment Society", description="Shared plots and a community garden; tools provided.",
    categories=("gardening-nature",), category_names=("Gardening and nature",),
    venues=(BINFIELD.venue("Binfield allotments"),), sessions=(Session((5,), time(10), time(12)),),
    deprioritised=True, updated_at=datetime(2025, 4, 2, 12, 0, tzinfo=UTC),
)
UKULELE = _service(
    8, "Reading Ukulele Group", description="Strum along to old favourites; ukuleles to borrow.",
    categories=("music-singing",), category_names=("Music and singing",),
    venues=(READING.venue("Town hall"),), sessions=(Session((2,), time(18), time(20)),),
)
DOCUMENTS = (HEALTH_WALKS, CHOIR, MONEY_HELPLINE, CARERS, MENS_SHED, BEFRIENDING, ALLOTMENTS, UKULELE)

# In the format of search/thesaurus.txt.
THESAURUS = parse(
    """
    walk, walking, rambling, hiking
    singing, choir, sing
    lonely, isolated, alone => loneliness, isolation, befriending
    older, elderly, older people, over 60s
    """
)

_NEAR_BRACKNELL = {"origin": BRACKNELL.point, "origin_local_authority": BRACKNELL.local_authority}

# One request body per query is kept in golden/<name>.json.
GOLDEN_QUERIES = {
    "text_only": SearchQuery(text="walking group"),
    "text_near_postcode": SearchQuery(text="singing", radius_km=10 * MILE_KM, **_NEAR_BRACKNELL),
    "every_filter": SearchQuery(
        text="support", categories=("loneliness", "carers"), days=(0, 2),
        times_of_day=(TimeOfDay.MORNING, TimeOfDay.EVENING), free_only=True, age=70,
        accessibility=(Accessibility.STEP_FREE, Accessibility.HEARING_LOOP), delivery=(Delivery.IN_PERSON, Delivery.PHONE),
        languages=("en", "pl"), self_referral_only=True, has_capacity_only=True, running_only=True,
        **_NEAR_BRACKNELL,
    ),
    "sort_distance": SearchQuery(sort=Sort.DISTANCE, **_NEAR_BRACKNELL),
    "sort_updated": SearchQuery(text="choir", sort=Sort.UPDATED),
    "sort_name": SearchQuery(sort=Sort.NAME, categories=("loneliness",)),
    "page_3": SearchQuery(text="advice", page=3, per_page=10),
    "place_without_text": SearchQuery(radius_km=2 * MILE_KM, **_NEAR_BRACKNELL),
    # Three concepts, two of them required.
    "partial_match": SearchQuery(text="lonely older men", **_NEAR_BRACKNELL),
}

# A service the lookup reported on the fringe of the radius and within it on the ellipsoid (the
# sample places lie well inside or outside their radii, so this one is given, not measured), to
# show the "within the radius" clause with the fringe's ids.
GOLDEN_FRINGE = {"place_without_text": (ALLOTMENTS.id,)}

# The lookup request's body for a query, kept in golden/<name>.json like the searches.
GOLDEN_LOOKUPS = {"lookup_partial_match": "partial_match", "lookup_text_only": "text_only"}

GOLDEN_DIR = Path(__file__).with_name("golden")
INDEX_GOLDEN = "index"  # golden/index.json: the body of `indices.create`


def indexed_words(documents=DOCUMENTS) -> set[str]:
    """Every word an index of `documents` holds in its text fields (as the `whitespace` analyser splits them)."""
    words: set[str] = set()
    for document in documents:
        derived = indexed_source(document)["derived"]
        for name in ("name_words", "description_words", "category_words"):
            words.update(derived[name].split())
    return words


def sample_lookup(query: SearchQuery, read_as: list[Concept], documents=DOCUMENTS, fringe_within=()) -> Lookup:
    """What the lookup request would report for `query` against an index of `documents`."""
    words, indexed = lookup_words(read_as), indexed_words(documents)
    radii = sorted({radius for document in documents for radius in indexed_source(document)["derived"]["area_radii"]})
    return Lookup(
        starts=frozenset(word for word in words if any(token.startswith(word) for token in indexed)),
        stems=frozenset(word for word in words if stem(word) in indexed),
        radii=tuple(radii) if query.origin is not None else (),
        fringe_within=tuple(fringe_within) if query.origin is not None else (),
    )


def golden_bodies() -> dict[str, dict]:
    """Every golden body by name, as the builders make it now."""
    return {
        INDEX_GOLDEN: index_body(),
        **{name: golden_search(query, GOLDEN_FRINGE.get(name, ())) for name, query in GOLDEN_QUERIES.items()},
        **{name: golden_lookup(GOLDEN_QUERIES[query]) for name, query in GOLDEN_LOOKUPS.items()},
    }


def golden_concepts(query: SearchQuery) -> list[Concept]:
    return concepts(query.text, THESAURUS)


def golden_search(query: SearchQuery, fringe_within=()) -> dict:
    """The request body for `query`, its words read through the samples' `THESAURUS` and looked
    up in an index of the sample documents."""
    read_as = golden_concepts(query)
    return build_search(query, read_as, sample_lookup(query, read_as, fringe_within=fringe_within))


def golden_lookup(query: SearchQuery) -> dict:
    """The lookup request's body for `query`, its words read through the samples' `THESAURUS`."""
    return lookup_body(lookup_words(golden_concepts(query)), query)


def golden_text(body: dict) -> str:
    """The stored form: sorted keys, since mapping properties come out in no fixed order."""
    return json.dumps(body, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
