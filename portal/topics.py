"""The home page's topics: the top-level categories and those editors feature, each with how many
services it holds and a link to them on the search page."""

import logging
from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.cache import cache
from django.urls import reverse

from directory.models import TaxonomyTerm
from search.contract import Facet, SearchQuery
from search.views import engine_search

logger = logging.getLogger(__name__)

# The home page is the most visited page: count once every few minutes, not on each visit. A new
# listing is in the search at once and in these counts within the timeout.
COUNTS_CACHE_KEY = "portal:topic-counts"
COUNTS_TIMEOUT = 5 * 60


@dataclass(frozen=True)
class Topic:
    code: str
    label: str
    count: int | None  # None when the search engine could not be asked
    description: str = ""

    @property
    def url(self) -> str:
        """The search page with this category's filter chosen: what clicking a topic finds."""
        return f"{reverse('search:search')}?{urlencode({'category': self.code})}"


@dataclass(frozen=True)
class TopicGroup:
    heading: str  # the taxonomy's name: "Activities", "Needs"
    topics: list[Topic]


def category_counts() -> dict[str, int] | None:
    """How many services each category holds across the directory, as the search page's category
    filter counts them (the engine's facet counts, so a parent counts its children's services and
    only findable ones count); None if the engine cannot be asked."""
    counts = cache.get(COUNTS_CACHE_KEY)
    if counts is None:
        try:
            results = engine_search(SearchQuery(per_page=1))
        except Exception as error:  # the home page stands without counts
            logger.warning("Search engine failed while counting topics: %s", error.__class__.__name__)
            return None
        counts = {facet.value: facet.count for facet in results.facets.get(Facet.CATEGORY, ())}
        cache.set(COUNTS_CACHE_KEY, counts, COUNTS_TIMEOUT)
    return counts


def _count(counts: dict[str, int] | None, code: str) -> int | None:
    return None if counts is None else counts.get(code, 0)


def top_level_topics(counts: dict[str, int] | None) -> list[TopicGroup]:
    """Every top-level category, grouped by taxonomy, in the order the search filters list them."""
    groups: dict[str, list[Topic]] = {}
    terms = TaxonomyTerm.objects.filter(parent=None).select_related("taxonomy").order_by("taxonomy__name", "name")
    for term in terms:
        groups.setdefault(term.taxonomy.name, []).append(Topic(term.code, term.name, _count(counts, term.code)))
    return [TopicGroup(heading, topics) for heading, topics in groups.items()]


def featured_topics(chosen: list[dict], counts: dict[str, int] | None) -> list[Topic]:
    """The topics editors chose (blocks with a topic code, an optional label and description), in
    their order; a category deleted since is left out."""
    names = dict(TaxonomyTerm.objects.filter(code__in=[c["topic"] for c in chosen]).values_list("code", "name"))
    return [
        Topic(c["topic"], c.get("label") or names[c["topic"]], _count(counts, c["topic"]), c.get("description") or "")
        for c in chosen if c["topic"] in names
    ]
