"""Reference test: "within the radius" and "nearest first" agree with a brute-force geopy computation.

500 services (fixed seed) around Bracknell, with up to three venues each, some online only; the
engine's answer, paged through, must match geopy's geodesic distances: the same services, in the
same order, with the same distances.
"""

import random
import uuid
from datetime import UTC, datetime

import pytest
from geopy.distance import geodesic

from search.contract import MILE_KM, Delivery, SearchDocument, SearchQuery, Sort, Venue

from .places import POSTCODES

CENTRE = POSTCODES["RG12 1AA"]
RADIUS_KM = 10 * MILE_KM


def random_services(n: int = 500, seed: int = 20261123) -> list[SearchDocument]:
    rng = random.Random(seed)
    services = []
    for i in range(n):
        online_only = rng.random() < 0.08
        venues = () if online_only else tuple(
            # Up to ~0.3 degrees away: about 33 km north-south and 21 km east-west, around the radius.
            Venue(CENTRE.latitude + rng.uniform(-0.3, 0.3), CENTRE.longitude + rng.uniform(-0.3, 0.3), "RG12 1AA")
            for _ in range(rng.choice((1, 1, 1, 2, 3)))
        )
        services.append(SearchDocument(
            id=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            name=f"Service {i}",
            description="A randomly placed service.",
            organisation="Reference",
            url=f"/reference/{i}/",
            updated_at=datetime(2026, 1, 1, tzinfo=UTC),
            venues=venues,
            delivery=(Delivery.ONLINE,) if online_only else (Delivery.IN_PERSON,),
        ))
    return services


def test_within_radius_and_nearest_first_match_geopy(backend):
    services = random_services()
    backend.rebuild(services)
    origin = (CENTRE.latitude, CENTRE.longitude)

    nearest = {
        s.id: min(geodesic(origin, (v.latitude, v.longitude)).km for v in s.venues) for s in services if s.venues
    }
    expected_near = sorted((d, id_) for id_, d in nearest.items() if d <= RADIUS_KM)
    expected_online = {s.id for s in services if not s.venues}
    assert 150 < len(expected_near) < 450, "the random services should straddle the radius"

    hits = []
    for page in range(1, 10):
        results = backend.search(SearchQuery(
            origin=CENTRE.point, origin_local_authority=CENTRE.local_authority, radius_km=RADIUS_KM,
            sort=Sort.DISTANCE, page=page, per_page=100,
        ))
        hits.extend(results.hits)
        if len(results.hits) < 100:
            break
    assert results.total == len(hits) == len(expected_near) + len(expected_online)

    measured = [hit for hit in hits if hit.distance_km is not None]
    assert [hit.document.id for hit in measured] == [id_ for _, id_ in expected_near]
    for hit, (distance, _) in zip(measured, expected_near):
        assert hit.distance_km == pytest.approx(distance, rel=0.005)
    assert {hit.document.id for hit in hits[len(measured):]} == expected_online
