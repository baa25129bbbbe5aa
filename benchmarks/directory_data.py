"""Scale directories for benchmarks: generated listings turned into search documents without publishing pages.

`directory.demo` generates listings as plain specs; publishing 100,000 Wagtail pages would take
hours and measure Wagtail, not search. Each spec instead becomes an unsaved `Service` with its
children, cleaned as the editor's form cleans them (so venues are geocoded from the gazetteer),
and goes through `directory.documents.search_document`: the documents are the ones publishing
would index.
"""

import random
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from django.utils.text import slugify

from directory.demo import SERVICE_FIELDS, OrganisationSpec, iter_directory, read_england_postcodes
from directory.documents import search_document
from directory.models import CostOption, Language, Schedule, Service, ServiceArea, ServiceLocation, TaxonomyTerm
from search.contract import SearchDocument
from search.models import Postcode

SEED = 2026
# One English postcode in 20 (113,000): enough places for 100,000 services to spread across
# England as the generator likes, and quick to load into the gazetteer.
POSTCODE_SAMPLE = 20
# As in the demo directory (400 services from 150 groups).
SERVICES_PER_ORGANISATION = 400 / 150
PUBLISHED_WITHIN = timedelta(days=365)


def load_gazetteer(*, every: int = POSTCODE_SAMPLE) -> list[tuple[str, str, str, float, float]]:
    """Put a sample of England's postcodes in the gazetteer; returns them in postcode order."""
    postcodes = read_england_postcodes(every=every)
    Postcode.objects.all().delete()
    Postcode.objects.bulk_create(
        (Postcode(postcode=postcode, district=district, local_authority=authority, country="E", latitude=lat,
                  longitude=lon) for postcode, district, authority, lat, lon in postcodes),
        batch_size=5000,
    )
    return postcodes


def scale_documents(*, services: int, postcodes: Sequence, seed: int = SEED) -> Iterator[SearchDocument]:
    """The search documents of a generated directory of `services` services, one at a time."""
    organisations = max(1, round(services / SERVICES_PER_ORGANISATION))
    specs = iter_directory(seed=seed, services=services, organisations=organisations, postcodes=postcodes)
    terms = {term.code: term for term in TaxonomyTerm.objects.select_related("parent")}
    languages = {language.code: language for language in Language.objects.all()}
    rng = random.Random(seed)
    now = datetime.now(UTC)
    for organisation in specs:
        yield from _documents(organisation, terms, languages, rng, now)


def _documents(organisation: OrganisationSpec, terms, languages, rng: random.Random, now: datetime):
    for spec in organisation.services:
        children = {
            "locations": [ServiceLocation(**values) for values in spec.locations],
            "schedules": [Schedule(**values) for values in spec.schedules],
            "cost_options": [CostOption(**values) for values in spec.cost_options],
            "service_areas": [ServiceArea(**values) for values in spec.service_areas],
        }
        for child in (*children["locations"], *children["service_areas"]):
            child.clean()  # geocodes from the gazetteer, as the admin form does
        service = Service(
            title=spec.name, description=spec.description, live=True,
            public_id=uuid.UUID(int=rng.getrandbits(128), version=4),
            last_published_at=now - PUBLISHED_WITHIN * rng.random(),
            categories=[terms[code] for code in spec.categories],
            languages=[languages[code] for code in spec.languages],
            **children, **{name: getattr(spec, name) for name in SERVICE_FIELDS},
        )
        document = search_document(service, organisation_name=organisation.name)
        yield _with_url(document, organisation.name)


def _with_url(document: SearchDocument, organisation: str) -> SearchDocument:
    # An unsaved page has no URL; give it the shape a published one would have.
    return replace(document, url=f"/directory/{slugify(organisation)}/{slugify(document.name)}/")
