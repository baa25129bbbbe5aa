"""The public search pages: the search form with filters, results list and map, and the shortlist.

Results are rendered from the indexed documents themselves (as Elasticsearch returns `_source`),
so a search reads nothing but the engine. Category names come from the callable named in the
SEARCH_VOCABULARY setting, so this part imports no other.
"""

import logging
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.module_loading import import_string
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from themes.crisis import crisis_route

from . import listing_links, maps, ratelimit, shortlist, zero_results
from .backends import get_backend
from .contract import RADIUS_CHOICES_MILES, Delivery, Facet, SearchQuery, SearchResults
from .forms import (
    ACCESSIBILITY_LABELS,
    DAY_LABELS,
    DELIVERY_LABELS,
    TIME_OF_DAY_LABELS,
    SearchForm,
    ShortlistEmailForm,
    radius_label,
)
from .placenames import ATTRIBUTION as PLACE_NAMES_ATTRIBUTION
from .postcodes import ATTRIBUTION as POSTCODE_ATTRIBUTION
from .templatetags.search_results import nearest_venue

RELATED_CATEGORIES = 6

logger = logging.getLogger(__name__)


# --- Names for codes ------------------------------------------------------------------------

@dataclass(frozen=True)
class Term:
    code: str
    name: str
    parent: str | None


def vocabulary(results: SearchResults | None = None) -> dict[str, Term]:
    """Every category by code, from SEARCH_VOCABULARY; without it, the names the hits carry."""
    dotted = getattr(settings, "SEARCH_VOCABULARY", "")
    if dotted:
        return {code: Term(code, name, parent) for code, name, parent in import_string(dotted)()}
    terms = {}
    for hit in results.hits if results else ():
        for code, name in zip(hit.document.categories, hit.document.category_names):
            terms.setdefault(code, Term(code, name, None))
    return terms


def language_name(code: str) -> str:
    from django.conf.locale import LANG_INFO

    return LANG_INFO.get(code, {}).get("name", code)


# --- Links that change one thing about the search ---------------------------------------------

def _link(params, **changes) -> str:
    """This search's query string with some parameters replaced (None drops them); back to page 1."""
    query = params.copy()
    query.pop("page", None)
    for name, value in changes.items():
        query.pop(name, None)
        if value is not None:
            query.setlist(name, value if isinstance(value, list) else [value])
    return "?" + query.urlencode()


def _without(params, name: str, value: str) -> str:
    return _link(params, **{name: [v for v in params.getlist(name) if v != value]})


# --- Filters with counts --------------------------------------------------------------------

@dataclass
class Option:
    value: str
    label: str
    count: int | None
    checked: bool


@dataclass
class FilterGroup:
    name: str  # the form field
    legend: str
    options: list[Option] = field(default_factory=list)

    @property
    def single(self) -> bool:
        """A yes-or-no filter (free, self-referral, capacity): one checkbox, no group of its own."""
        return len(self.options) == 1 and self.options[0].value == "on"

    @property
    def any_checked(self) -> bool:
        return any(option.checked for option in self.options)


def _counts(results: SearchResults | None, facet: Facet) -> dict[str, int]:
    return {c.value: c.count for c in results.facets.get(facet, ())} if results else {}


def filter_groups(form: SearchForm, results: SearchResults | None, terms: dict[str, Term]) -> list[FilterGroup]:
    data = form.cleaned_data if form.is_bound and hasattr(form, "cleaned_data") else {}

    def chosen(name) -> set[str]:
        return {str(v) for v in data.get(name) or ()}

    def group(name, facet, labels: dict, legend: str) -> FilterGroup:
        counts, picked = _counts(results, facet), chosen(name)
        return FilterGroup(name, legend, [
            Option(str(value), label, counts.get(str(value), 0) if results else None, str(value) in picked)
            for value, label in labels.items()
        ])

    def flag(name, facet, label: str) -> FilterGroup:
        count = _counts(results, facet).get("true", 0) if results else None
        return FilterGroup(name, label, [Option("on", label, count, bool(data.get(name)))])

    category_counts = _counts(results, Facet.CATEGORY)
    picked_categories = chosen("category")
    categories = dict.fromkeys([*terms, *category_counts, *picked_categories])
    language_counts = _counts(results, Facet.LANGUAGE)
    languages = sorted({*language_counts, *chosen("language")}, key=language_name)
    return [
        FilterGroup("category", "Category", [
            Option(code, terms[code].name if code in terms else code,
                   category_counts.get(code, 0) if results else None, code in picked_categories)
            for code in categories
        ]),
        group("day", Facet.DAY, DAY_LABELS, "Day of the week"),
        group("time", Facet.TIME_OF_DAY, TIME_OF_DAY_LABELS, "Time of day"),
        flag("free", Facet.FREE, "Free only"),
        group("access", Facet.ACCESSIBILITY, ACCESSIBILITY_LABELS, "Accessibility"),
        group("delivery", Facet.DELIVERY, DELIVERY_LABELS, "How it is offered"),
        FilterGroup("language", "Language", [
            Option(code, language_name(code), language_counts.get(code, 0) if results else None,
                   code in chosen("language"))
            for code in languages
        ]),
        flag("self_referral", Facet.SELF_REFERRAL, "You can refer yourself"),
        flag("has_capacity", Facet.HAS_CAPACITY, "Taking new people"),
        hide_closed(results, bool(data.get("hide_closed"))),
    ]


def hide_closed(results: SearchResults | None, checked: bool) -> FilterGroup:
    """Temporarily closed services come last; this leaves them out. Its count is how many it would
    hide, and it is offered only when there are some (or it is in use)."""
    count = _counts(results, Facet.RUNNING).get("false", 0) if results else None
    offered = checked or bool(count)
    return FilterGroup("hide_closed", "Hide temporarily closed",
                       [Option("on", "Hide temporarily closed", count, checked)] if offered else [])


def selected_filters(params, groups: list[FilterGroup], form: SearchForm) -> list[dict]:
    """Each filter in use with a link that removes just that one."""
    selected = []
    for group in groups:
        for option in group.options:
            if option.checked:
                label = option.label if option.value != "on" else group.legend
                selected.append({"label": label, "group": group.legend if option.value != "on" else "",
                                 "remove": _without(params, group.name, option.value)})
    age = form.cleaned_data.get("age")
    if age is not None:
        selected.insert(0, {"label": f"Age {age}", "group": "", "remove": _link(params, age=None)})
    return selected


# --- Pages ----------------------------------------------------------------------------------

def pagination(params, results: SearchResults) -> dict | None:
    query = results.query
    pages = max(1, -(-results.total // query.per_page))
    if pages == 1:
        return None
    current = query.page
    shown = sorted({1, pages, current - 1, current, current + 1} & set(range(1, pages + 1)))
    items, previous = [], 0
    for number in shown:
        if number - previous > 1:
            items.append({"ellipsis": True})
        items.append({"number": number, "url": _page_url(params, number), "current": number == current})
        previous = number
    return {
        "items": items,
        "previous": _page_url(params, current - 1) if current > 1 else None,
        "next": _page_url(params, current + 1) if current < pages else None,
        "current": current,
        "pages": pages,
    }


def _page_url(params, number: int) -> str:
    query = params.copy()
    query.setlist("page", [str(number)])
    return "?" + query.urlencode()


def _results_in_words(count: int) -> str:
    return f"{count} result" if count == 1 else f"{count} results"


def summary(results: SearchResults, form: SearchForm) -> str:
    """'23 results for walking near RG12 1AA within 5 miles' when every one has a venue that close;
    otherwise those apart from the rest: '12 results for walking within 1 mile of RG12 7JU, and 196
    that cover your area or work online or by phone'."""
    total, place = results.total, form.place
    text = form.cleaned_data.get("q")
    words = f" for {text}" if text else ""
    if not place:
        return _results_in_words(total) + words
    radius = radius_label(form.radius_miles).split(" (")[0]
    nearby = results.nearby
    rest = total - nearby if nearby is not None else 0
    if not rest:
        return f"{_results_in_words(total)}{words} near {place.label} within {radius}"
    beyond = (f"{rest} that covers your area or works online or by phone" if rest == 1
              else f"{rest} that cover your area or work online or by phone")
    if not nearby:
        return f"No results{words} within {radius} of {place.label}; {beyond}"
    return f"{_results_in_words(nearby)}{words} within {radius} of {place.label}, and {beyond}"


def map_data(results: SearchResults, form: SearchForm, came_from: str = "") -> dict | None:
    """What map.js draws: one marker per venue of each hit on this page, and the place searched from."""
    markers = [
        maps.marker(latitude=venue.latitude, longitude=venue.longitude, name=hit.document.name,
                    url=listing_links.listing_url(hit.document.url, came_from),
                    place=", ".join(p for p in (venue.name, venue.postcode) if p))
        for hit in results.hits for venue in hit.document.venues
    ]
    place = form.place
    return maps.map_data(markers, origin=place.point if place else None, origin_label=place.label if place else "")


def no_results_help(params, form: SearchForm, groups: list[FilterGroup], terms: dict[str, Term]) -> dict:
    """Ways out of an empty page: a wider radius, fewer filters, related categories."""
    radius = form.radius_miles
    wider = next((miles for miles in RADIUS_CHOICES_MILES if miles > radius), None)
    widen = ({"url": _link(params, radius=str(wider)), "label": radius_label(wider)}
             if form.place and wider else None)
    chosen = form.cleaned_data.get("category") or []
    related: list[str] = []
    for code in chosen:
        term = terms.get(code)
        if term is None:
            continue
        family = [t.code for t in terms.values() if t.parent and t.parent in (term.parent, code)]
        related += [c for c in ([term.parent] if term.parent else []) + family if c not in chosen]
    place = form.place
    if not related and place:
        try:
            popular = engine_search(SearchQuery(
                origin=place.point, origin_local_authority=place.local_authority,
                radius_km=form.search_query().radius_km, per_page=1,
            ))
        except Exception as error:  # suggestions are a nicety: the page stands without them
            logger.warning("Search engine failed while suggesting categories: %s", error.__class__.__name__)
            popular = None
        related = [c.value for c in popular.facets.get(Facet.CATEGORY, ()) if c.count and c.value not in chosen
                   ] if popular else []
    elif not related:
        # Popular categories everywhere would mean counting the whole directory: start from the top.
        related = [code for code, term in terms.items() if term.parent is None and code not in chosen]
    where = {name: params.getlist(name) for name in ("where", "lat", "lon", "radius") if params.get(name)}
    suggestions = [
        {"label": terms[code].name, "url": "?" + urlencode({**where, "category": code}, doseq=True)}
        for code in dict.fromkeys(related) if code in terms
    ][:RELATED_CATEGORIES]
    return {"widen": widen, "suggestions": suggestions,
            "without_words": _link(params, q=None) if form.cleaned_data.get("q") else None}


def where_help(params, form: SearchForm) -> dict:
    """Links about the place searched from: what to search instead (which of several places of one
    name, or part of a postcode); other places the name could mean; and, for a place outside the
    area the directory covers, saying so, with everything offered online or by phone."""
    def search_from(where: str) -> dict:
        return {"label": where, "url": _link(params, where=where, lat=None, lon=None)}

    place = form.place
    found = {"prompt": form.place_prompt, "choices": [search_from(choice) for choice in form.place_choices],
             "others": [search_from(other) for other in place.others] if place else []}
    if place and not place.covered:
        found["outside"] = {
            "label": place.label, "device": place.device, "radius": radius_label(form.radius_miles).split(" (")[0],
            "online_url": _link(params, where=None, lat=None, lon=None, sort=None,
                                delivery=[Delivery.ONLINE.value, Delivery.PHONE.value]),
        }
    return found


def log_zero_result(request, form: SearchForm, terms: dict[str, Term]) -> None:
    """Record a search that found nothing: its need's words and the district only (see search.zero_results)."""
    from django.conf.locale import LANG_INFO

    place = form.place
    known = {word for term in terms.values() for word in zero_results.plain_words(term.name)}
    zero_results.log(
        request,
        words=zero_results.need_words(form.cleaned_data.get("q") or "", known=known),
        filters=zero_results.anonymised_filters(form.active_filters(), categories=terms, languages=LANG_INFO),
        district=(place.district or "") if place else "",
        local_authority=(place.local_authority or "") if place else "",
        radius_miles=form.radius_miles if place else None,
    )


def browse_categories(terms: dict[str, Term]) -> list[dict]:
    """The top-level categories, each a link to what it holds: where to start when nothing was entered."""
    return [{"label": term.name, "url": "?" + urlencode({"category": term.code})}
            for term in terms.values() if term.parent is None]


def engine_search(query: SearchQuery) -> SearchResults:
    """One search; in a savepoint, so an embedded engine's database error leaves the request's
    transaction usable (to render the page that says search is unavailable)."""
    with transaction.atomic():
        return get_backend().search(query)


def search_unavailable(request, context: dict):
    """The engine failed (down, timing out, a 5xx, a broken index table): say so and offer other routes."""
    context.update(unavailable=True, crisis_route=crisis_route(), filter_groups=[],
                   shortlist_count=len(shortlist.shortlist_ids(request.session)))
    response = render(request, "search/search.html", context, status=503)
    response["Retry-After"] = "60"
    return response


@require_GET
def search(request):
    params = request.GET
    form = SearchForm(params or None)
    results = None
    context = {"form": form, "radius_choices": [(m, radius_label(m)) for m in RADIUS_CHOICES_MILES],
               "place_names_attribution": PLACE_NAMES_ATTRIBUTION}
    if form.is_bound and form.is_valid() and form.asks_for_nothing():
        # Searched with every box empty: everything in the directory, in no useful order, would
        # cost the engine a count of the whole directory. Offer somewhere to start instead.
        context["browse"] = browse_categories(vocabulary())
    elif form.is_bound and form.is_valid():
        try:
            results = engine_search(form.search_query())
            if not results.hits and results.total:  # past the last page (the list got shorter): show the last
                last = min(-(-results.total // results.query.per_page), 50)
                results = engine_search(form.search_query(page=last))
        except Exception as error:
            # The class only: an engine's message can quote the query, which stays out of logs.
            logger.error("Search is unavailable: the engine failed with %s", error.__class__.__name__)
            return search_unavailable(request, context)
    terms = vocabulary(results)
    if results is not None and results.total == 0 and results.query.page == 1:
        log_zero_result(request, form, terms)
    groups = filter_groups(form, results, terms)
    if results is not None:
        # Each result's link carries this search, for the distance and the way back (listing_links).
        came_from = listing_links.token(request.META.get("QUERY_STRING", ""), form.place)
        context.update(
            results=results,
            summary=summary(results, form),
            selected=selected_filters(params, groups, form),
            pagination=pagination(params, results),
            map_data=map_data(results, form, came_from),
            came_from=came_from,
            shortlisted=set(shortlist.shortlist_ids(request.session)),
            place=form.place,
            postcode_attribution=POSTCODE_ATTRIBUTION if form.place else "",
        )
        if results.total == 0:
            context["no_results"] = no_results_help(params, form, groups, terms)
    context["filter_groups"] = groups
    context["shortlist_count"] = len(shortlist.shortlist_ids(request.session))
    context["where_help"] = where_help(params, form) if form.is_bound else {}
    return render(request, "search/search.html", context)


# --- Shortlist ------------------------------------------------------------------------------

def _back_to(request, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                                   require_https=request.is_secure()):
        return target
    return fallback


@require_POST
def shortlist_add(request):
    document_id = request.POST.get("id", "")
    if not shortlist.is_document_id(document_id):
        return HttpResponseBadRequest("Not a service in the directory.")
    try:
        known = get_backend().get_documents([document_id])
    except Exception as error:
        logger.error("Shortlist: the search engine failed with %s", error.__class__.__name__)
        return HttpResponse(ENGINE_DOWN, status=503, content_type="text/plain; charset=utf-8",
                            headers={"Retry-After": "60"})
    if not known:
        return HttpResponseBadRequest("Not a service in the directory.")
    if shortlist.add(request.session, document_id):
        messages.success(request, "Added to your shortlist.")
    else:
        messages.error(request, f"Your shortlist is full ({shortlist.MAX_ITEMS} items). Remove something first.")
    return redirect(_back_to(request, reverse("search:shortlist")) + f"#result-{document_id}")


@require_POST
def shortlist_remove(request):
    document_id = request.POST.get("id", "")
    shortlist.remove(request.session, document_id)
    messages.success(request, "Removed from your shortlist.")
    shortlist_url = reverse("search:shortlist")
    back = _back_to(request, shortlist_url)
    return redirect(back if back == shortlist_url else back + f"#result-{document_id}")


ENGINE_DOWN = "The directory cannot be read right now. Please try again in a few minutes."


def _shortlist_context(request, ids: list[str]) -> dict:
    """The shortlisted listings as the directory has them today; when the engine is down, none,
    and `unavailable` so the page says why (the shortlist itself, in the session, is kept)."""
    try:
        documents = get_backend().get_documents(ids) if ids else []
    except Exception as error:
        logger.error("Shortlist: the search engine failed with %s", error.__class__.__name__)
        return {"documents": [], "shortlisted": set(ids), "unavailable": True}
    return {"documents": documents, "shortlisted": set(ids), "unavailable": False}


@require_http_methods(["GET", "POST"])
def shortlist_page(request):
    ids = shortlist.shortlist_ids(request.session)
    context = _shortlist_context(request, ids)
    form = ShortlistEmailForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and context["documents"]:
        if not request.session.session_key:
            request.session.save()
        if shortlist.may_send_email(client_ip=ratelimit.client_address(request),
                                    session_key=request.session.session_key):
            send_shortlist_email(request, form.cleaned_data["email"], context["documents"])
            messages.success(request, f"We have sent your shortlist to {form.cleaned_data['email']}.")
            return redirect("search:shortlist")
        form.add_error("email", "You have sent your shortlist too many times. Try again in an hour.")
    token = shortlist.share_token([d.id for d in context["documents"]]) if context["documents"] else ""
    context.update(
        form=form, shared=False,
        share_url=request.build_absolute_uri(reverse("search:shortlist_shared", args=[token])) if token else "",
    )
    return render(request, "search/shortlist.html", context, status=503 if context["unavailable"] else 200)


@require_GET
def shortlist_shared(request, token: str):
    try:
        ids = shortlist.ids_from_token(token)
    except signing.BadSignature:
        raise Http404("This shortlist link is not valid.") from None
    context = _shortlist_context(request, ids)
    context.update(shared=True)
    return render(request, "search/shortlist.html", context, status=503 if context["unavailable"] else 200)


def send_shortlist_email(request, address: str, documents) -> None:
    items = [
        {"document": d, "url": request.build_absolute_uri(d.url), "venue": nearest_venue(d)}
        for d in documents
    ]
    body = render_to_string("search/email/shortlist.txt", {"items": items, "now": timezone.localtime()},
                            request=request)
    send_mail("Your shortlist of activities and support", body, None, [address])
