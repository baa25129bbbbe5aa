"""The public search page and the shortlist, on an index filled with documents made here."""

import re
import uuid
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import mail
from django.utils import timezone

from search import shortlist
from search.backends import get_backend
from search.contract import Delivery, SearchDocument, ServiceAreas, Session, Venue
from search.models import Postcode, ZeroResultSearch
from search.templatetags.search_results import miles_in_words

from tests.search.contract.places import POSTCODES
from tests.search.contract.services import TAXONOMY

pytestmark = pytest.mark.django_db

SEARCH = "/search/"
TUE = 1


def search_vocabulary():
    """The contract suite's taxonomy, standing in for the directory's (SEARCH_VOCABULARY)."""
    return [(code, name, parent) for code, (name, parent) in TAXONOMY.items()]


@pytest.fixture(autouse=True)
def setup(settings):
    settings.SEARCH_VOCABULARY = f"{__name__}.search_vocabulary"
    settings.SEARCH_MAP_TILE_URL = None
    Postcode.objects.bulk_create([
        Postcode(postcode=p.postcode, district=p.postcode.split()[0], local_authority=p.local_authority,
                 country="E", latitude=p.latitude, longitude=p.longitude)
        for p in POSTCODES.values()
    ])
    from django.core.cache import cache

    cache.clear()


def venue(postcode: str, name: str = "Community Hall", address: str = "1 High Street, Bracknell") -> Venue:
    place = POSTCODES[postcode]
    return Venue(latitude=place.latitude, longitude=place.longitude, postcode=postcode, name=name, address=address)


def document(name: str, **fields) -> SearchDocument:
    fields.setdefault("description", f"{name}: a friendly group.")
    fields.setdefault("organisation", "Bracknell Walkers")
    fields.setdefault("venues", (venue("RG12 1LH"),))
    fields.setdefault("updated_at", datetime(2025, 11, 1, tzinfo=UTC))
    doc_id = str(uuid.uuid5(uuid.NAMESPACE_URL, name))
    return SearchDocument(id=doc_id, name=name, url=f"/directory/{doc_id[:8]}/", **fields)


def index(*documents: SearchDocument) -> list[SearchDocument]:
    get_backend().rebuild(list(documents))
    return list(documents)


WALK = dict(categories=("walking-groups", "physical-activity"), category_names=("Walking groups", "Being more active"))


@pytest.fixture
def directory():
    return index(
        document("Lily Hill Walk", **WALK, sessions=(Session((TUE,), time(10), time(12)),),
                 cost_summary="Free", languages=("en",)),
        document("Crowthorne Walk", **WALK, venues=(venue("RG45 7AW", "Village Hall", "Crowthorne"),),
                 capacity="waiting_list", is_free=False, cost_summary="£2 per session"),
        document("Singing for the Brain", categories=("music-singing", "memory"),
                 category_names=("Music and singing", "Memory and dementia"), capacity="full"),
        document("Online Walking Chat", **WALK, venues=(), delivery=(Delivery.ONLINE,)),
        document("Phone Befriending", categories=("befriending",), category_names=("Befriending",), venues=(),
                 delivery=(Delivery.PHONE,)),
        document("Bracknell Walking Advice", **WALK, venues=(venue("RG1 1AA"),),
                 areas=ServiceAreas(local_authorities=("E06000036",))),
        document("Old Walking Club", **WALK, deprioritised=True, last_reviewed=date(2024, 3, 3)),
    )


def text_of(response) -> str:
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# --- The form -------------------------------------------------------------------------------

def test_empty_page_shows_the_form_without_results(client):
    response = client.get(SEARCH)
    assert response.status_code == 200
    html = response.content.decode()
    assert "What are you looking for?" in html and "Where?" in html
    assert 'value="5" selected' in html and "5 miles (8 km)" in html and "25 miles (40 km)" in html
    assert "data-search-locate hidden" in html  # "Use my location" stays hidden without JavaScript
    assert 'id="results-heading"' not in html


@pytest.mark.parametrize(("query", "message"), [
    ({"where": "ZZ9"}, "We could not find the postcode area ZZ9"),
    ({"where": "RG12 0AA"}, "We could not find the postcode RG12 0AA"),
    ({"q": "walk", "age": "forty"}, "Enter age as a number, like 45"),
    ({"q": "walk", "radius": "7"}, "Select a distance from the list"),
    ({"q": "walk", "sort": "distance"}, "Enter a postcode or a place to sort by nearest"),
])
def test_bad_input_shows_an_error_summary_and_keeps_what_was_typed(client, directory, query, message):
    response = client.get(SEARCH, query)
    html = response.content.decode()
    assert "There is a problem" in html and "nhsuk-error-summary" in html
    assert message in html
    assert html.count(message) == 2  # in the summary and beside the field
    assert "<title>Error:" in html
    for name, value in query.items():
        if name not in {"radius", "sort"}:
            assert f'value="{value}"' in html
    assert "search-result__name" not in html


def test_error_summary_links_to_the_field(client, directory):
    html = client.get(SEARCH, {"q": "walk", "age": "x"}).content.decode()
    assert 'href="#id_age"' in html and 'id="id_age"' in html
    assert 'value="5" selected' in html  # the radius searched with is still shown


# --- Results --------------------------------------------------------------------------------

def test_results_with_count_summary_distance_and_details(client, directory):
    response = client.get(SEARCH, {"q": "walk", "where": "RG12 1AA", "radius": "5"})
    text = text_of(response)
    assert ("3 results for walk within 5 miles of RG12 1AA, "
            "and 2 that cover your area or work online or by phone") in text
    assert "Lily Hill Walk" in text and "Bracknell Walkers" in text
    assert "0.3 miles away" in text  # RG12 1LH is 0.42 km from RG12 1AA
    assert "Crowthorne Walk" in text and "4 miles away" in text  # 6.43 km
    assert "Online" in text  # the online chat has no venue: no distance, how it is offered
    assert "Across your council area (nearest venue 10 miles away)" in text  # its only venue is in Reading
    assert "Waiting list" in text
    assert "Not reviewed since 3 March 2024" in text
    assert "Community Hall, 1 High Street, Bracknell, RG12 1LH" in text
    assert "Next: " in text or "Next " in text
    assert "£2 per session" in text
    html = response.content.decode()
    # The link carries the search, for the listing's distance and its way back (tests/search/test_listing_links.py).
    assert f'href="{directory[0].url}?from=' in html
    assert "Contains OS data © Crown copyright" in text  # distances come from the postcode directory


def headline(response) -> str:
    return re.search(r'id="results-heading">(.*?)</h2>', response.content.decode(), re.S)[1].strip()


def distances(response) -> list[str]:
    """What each result card says under Distance, in order."""
    cards = re.findall(r'<article class="search-result".*?</article>', response.content.decode(), re.S)
    return [(re.search(r"<dt>Distance</dt><dd>(.*?)</dd>", card) or [None, ""])[1] for card in cards]


NEAR = re.compile(r"^(Less than 0\.1 miles|[\d.]+ miles?) away$")


@pytest.mark.parametrize(("where", "radius"), [("RG12 1AA", "5"), ("RG12 1AA", "2"), ("RG45 6AA", "1"),
                                               ("RG12", "10"), ("GU47 0QE", "1"), ("RG12 1AA", "25")])
def test_the_headline_counts_what_the_cards_show_as_near_apart_from_the_rest(client, directory, where, radius):
    response = client.get(SEARCH, {"q": "walk", "where": where, "radius": radius})
    said = headline(response)
    shown = distances(response)
    near = [d for d in shown if NEAR.match(d)]
    rest = [d for d in shown if not NEAR.match(d)]
    miles = "1 mile" if radius == "1" else f"{radius} miles"
    found = "result" if len(near) == 1 else "results"
    beyond = (f"{len(rest)} that covers your area or works online or by phone" if len(rest) == 1
              else f"{len(rest)} that cover your area or work online or by phone")
    if not rest:
        assert said == f"{len(near)} {found} for walk near {where} within {miles}"
    elif not near:
        assert said == f"No results for walk within {miles} of {where}; {beyond}"
    else:
        assert said == f"{len(near)} {found} for walk within {miles} of {where}, and {beyond}"
    # The rest say why they were found, never a distance as if they were near.
    assert all(d.startswith(("Online", "By phone", "Across", "Covers")) for d in rest)


def test_the_headline_in_the_singular_and_with_none_near(client):
    index(document("Lily Hill Walk", **WALK),
          document("Online Walking Chat", **WALK, venues=(venue("RG1 1AA"),),
                   delivery=(Delivery.IN_PERSON, Delivery.ONLINE)))
    said = headline(client.get(SEARCH, {"q": "walk", "where": "RG12 1AA", "radius": "1"}))
    assert said == ("1 result for walk within 1 mile of RG12 1AA, "
                    "and 1 that covers your area or works online or by phone")
    said = headline(client.get(SEARCH, {"q": "walk", "where": "GU47 0QE", "radius": "1"}))
    assert said == "No results for walk within 1 mile of GU47 0QE; 1 that covers your area or works online or by phone"
    said = headline(client.get(SEARCH, {"q": "walk"}))
    assert said == "2 results for walk"  # no place: nothing to be near


def test_a_service_also_online_shows_as_online_when_its_venue_is_beyond_the_radius(client):
    index(document("Reading Walking Chat", **WALK, venues=(venue("RG1 1AA"),),
                   delivery=(Delivery.IN_PERSON, Delivery.ONLINE, Delivery.PHONE)))
    response = client.get(SEARCH, {"q": "walk", "where": "RG12 1AA", "radius": "2"})
    assert distances(response) == ["Online or by phone (nearest venue 10 miles away)"]
    response = client.get(SEARCH, {"q": "walk", "where": "RG1 2LU", "radius": "2"})
    assert distances(response) == ["0.5 miles away"]
    assert headline(response) == "1 result for walk near RG1 2LU within 2 miles"


def test_next_session_is_shown(client, directory):
    text = text_of(client.get(SEARCH, {"q": "Lily"}))
    assert re.search(r"Next Tuesday \d{1,2} \w+, 10am to 12pm", text)


@pytest.mark.parametrize(("km", "words"), [
    (0.05, "Less than 0.1 miles"), (1.3, "0.8 miles"), (1.609344, "1 mile"), (3.3, "2.1 miles"),
    (16.1, "10 miles"), (40, "25 miles"),
])
def test_distances_in_miles(km, words):
    assert miles_in_words(km) == words


def test_facet_counts_with_names_and_zero_counts_marked(client, directory):
    response = client.get(SEARCH, {"where": "RG12 1AA", "radius": "25"})
    html, text = response.content.decode(), text_of(response)
    assert "Walking groups (5)" in text
    assert "Music and singing (1)" in text
    assert re.search(r"Cookery \(0 ?, none found ?\)", text)
    assert "search-filter__none" in html
    assert "By phone (1)" in text and "Online (1)" in text and "In person (5)" in text
    assert "English (1)" in text


def test_filter_narrows_and_lists_a_remove_link(client, directory):
    response = client.get(SEARCH, {"where": "RG12 1AA", "radius": "25", "category": "music-singing", "free": "on"})
    text = text_of(response)
    assert "1 result near RG12 1AA within 25 miles" in text
    assert "Singing for the Brain" in text and "Lily Hill Walk" not in text
    html = response.content.decode()
    remove = re.search(r'<a href="([^"]+)">Remove<span class="nhsuk-u-visually-hidden"> filter Music and singing', html)
    params = parse_qs(urlsplit(remove.group(1).replace("&amp;", "&")).query)
    assert params == {"where": ["RG12 1AA"], "radius": ["25"], "free": ["on"]}
    assert 'value="music-singing" form="search-form" checked' in html


def test_age_filter(client):
    index(document("Toddler Time", minimum_age=0, maximum_age=4), document("Over 50s Walk", minimum_age=50))
    text = text_of(client.get(SEARCH, {"age": "60"}))
    assert "Over 50s Walk" in text and "Toddler Time" not in text
    assert "Age 60" in text


def test_pagination_keeps_every_parameter(client):
    index(*[document(f"Walk {n:02d}", **WALK) for n in range(45)])
    query = {"q": "walk", "where": "RG12", "radius": "10", "category": "walking-groups", "sort": "name"}
    response = client.get(SEARCH, query)
    html = response.content.decode()
    assert "45 results for walk near RG12 within 10 miles" in text_of(response)
    assert 'aria-current="page"' in html
    links = {href.replace("&amp;", "&") for href in re.findall(r'href="(\?[^"]*page=[^"]*)"', html)}
    assert links
    for link in links:
        params = parse_qs(urlsplit(link).query)
        assert {k: v for k, v in params.items() if k != "page"} == {k: [v] for k, v in query.items()}
    page_3 = client.get(SEARCH, {**query, "page": "3"})
    assert "Walk 40" in text_of(page_3) and "Walk 00" not in text_of(page_3)


def test_map_data_is_a_json_block_not_inline_script(client, directory):
    html = client.get(SEARCH, {"q": "walk", "where": "RG12 1AA"}).content.decode()
    assert '<script id="search-map-data" type="application/json">' in html
    assert "search/map.js" in html
    assert re.search(r"<script(?![^>]*(src=|application/json))[^>]*>", html) is None
    assert "style=" not in html


def test_searching_with_every_box_empty_offers_categories_to_start_from(client, directory):
    response = client.get(SEARCH, {"q": "  ", "where": "", "radius": "5"})
    text = text_of(response)
    html = response.content.decode().replace("&amp;", "&")
    assert response.status_code == 200
    assert "Enter what you are interested in, where you are, or both, then search." in text
    assert "search-result__name" not in html and "There is a problem" not in html
    browse = dict(re.findall(r'<li><a href="\?category=([^"]+)">([^<]+)</a></li>', html))
    assert browse["mental-wellbeing"] == "Mental wellbeing" and browse["physical-activity"] == "Being more active"
    assert "anxiety-stress" not in browse  # a sub-category: found under its parent
    assert not ZeroResultSearch.objects.exists()


def test_a_category_to_start_from_lists_what_it_holds(client, directory):
    html = client.get(SEARCH, {"q": "", "where": ""}).content.decode().replace("&amp;", "&")
    link = re.search(r'href="(\?category=physical-activity)"', html).group(1)
    text = text_of(client.get(SEARCH + link))
    assert "results" in text and "Lily Hill Walk" in text and "Crowthorne Walk" in text
    assert "Singing for the Brain" not in text


def test_a_filter_alone_is_a_search(client, directory):
    text = text_of(client.get(SEARCH, {"free": "on"}))
    assert "Lily Hill Walk" in text and "Crowthorne Walk" not in text
    assert "Or browse by category" not in text


# --- No results -----------------------------------------------------------------------------

def test_no_results_offers_a_wider_radius_fewer_filters_and_related_categories(client, directory):
    response = client.get(SEARCH, {"q": "walk", "where": "RG12 1AA", "radius": "2", "day": "5"})
    text = text_of(response)
    html = response.content.decode().replace("&amp;", "&")
    assert "0 results for walk near RG12 1AA within 2 miles" in text
    assert "We could not find anything that matches your search" in text
    widen = re.search(r'href="(\?[^"]+)">Search within 5 miles \(8 km\)', html).group(1)
    assert parse_qs(urlsplit(widen).query) == {"q": ["walk"], "where": ["RG12 1AA"], "radius": ["5"], "day": ["5"]}
    drop = re.search(r'href="(\?[^"]+)">Remove the filter Saturday', html).group(1)
    assert parse_qs(urlsplit(drop).query) == {"q": ["walk"], "where": ["RG12 1AA"], "radius": ["2"]}
    assert "Search without the words “walk”" in text
    assert "Related categories" in text and "Walking groups" in text


def test_nothing_found_without_a_place_suggests_the_top_categories(client, directory):
    html = client.get(SEARCH, {"q": "origami"}).content.decode()
    assert "0 results for origami" in html
    suggested = re.search(r"Related categories</h3>(.*?)</ul>", html, re.S).group(1)
    assert "Loneliness and isolation" in suggested and "Mental wellbeing" in suggested
    assert "Anxiety and stress" not in suggested  # a sub-category: found under its parent


def test_related_categories_are_the_family_of_the_chosen_one(client, directory):
    text = text_of(client.get(SEARCH, {"where": "RG12 1AA", "category": "anxiety-stress"}))
    assert "Related categories" in text
    assert "Mental wellbeing" in text and "Low mood" in text


def test_zero_result_search_is_logged_at_district_level_only(client, directory):
    long_text = "knitting " * 30 + "origami"
    client.get(SEARCH, {"q": long_text, "where": "RG12 1LH", "radius": "2", "day": "5", "free": "on"})
    client.get(SEARCH, {"q": "walk", "where": "RG12 1AA"})  # found something: not logged
    (logged,) = ZeroResultSearch.objects.all()
    assert logged.text == "knitting origami"  # each word once
    assert logged.district == "RG12" and logged.local_authority == "E06000036"
    assert logged.filters == {"day": ["5"], "free": True}
    assert logged.created_on == timezone.localdate()
    values = " ".join(str(getattr(logged, f.attname)) for f in ZeroResultSearch._meta.fields)
    assert "1LH" not in values and "51.4" not in values and "-0.7" not in values
    assert not {"user", "user_id", "ip", "created_at"} & {f.attname for f in ZeroResultSearch._meta.fields}


def test_zero_result_from_device_location_keeps_no_coordinates(client, directory):
    client.get(SEARCH, {"q": "origami", "lat": "51.417", "lon": "-0.753"})
    (logged,) = ZeroResultSearch.objects.all()
    assert logged.district == "RG12"
    assert "51.41" not in str(logged.filters) and "51.41" not in logged.text


# --- Shortlist ------------------------------------------------------------------------------

def add(client, doc, back=SEARCH + "?q=walk"):
    return client.post("/search/shortlist/add/", {"id": doc.id, "next": back})


def test_add_to_shortlist_returns_to_the_same_results(client, directory):
    back = SEARCH + "?q=walk&where=RG12+1AA&page=1"
    response = add(client, directory[0], back)
    assert response.status_code == 302 and response.url == f"{back}#result-{directory[0].id}"
    html = client.get(back).content.decode()
    assert "Remove<span class=\"nhsuk-u-visually-hidden\"> Lily Hill Walk</span> from shortlist" in html
    assert "Your shortlist (1)" in html


def test_shortlist_will_not_return_to_another_site(client, directory):
    response = add(client, directory[0], "https://evil.example/")
    assert response.url.startswith("/search/shortlist/")


def test_unknown_ids_are_not_added(client, directory):
    assert client.post("/search/shortlist/add/", {"id": str(uuid.uuid4())}).status_code == 400
    assert client.post("/search/shortlist/add/", {"id": "<script>"}).status_code == 400


def test_shortlist_page_and_remove(client, directory):
    add(client, directory[0])
    add(client, directory[2])
    text = text_of(client.get("/search/shortlist/"))
    assert "Lily Hill Walk" in text and "Singing for the Brain" in text and "Crowthorne Walk" not in text
    assert "Print this list" in text
    response = client.post("/search/shortlist/remove/", {"id": directory[0].id, "next": "/search/shortlist/"})
    assert response.url == "/search/shortlist/"
    text = text_of(client.get("/search/shortlist/"))
    assert "Lily Hill Walk" not in text and "Singing for the Brain" in text


def test_shortlist_needs_post(client, directory):
    assert client.get("/search/shortlist/add/", {"id": directory[0].id}).status_code == 405


def test_shared_link_shows_the_list_read_only(client, directory):
    add(client, directory[0])
    add(client, directory[1])
    html = client.get("/search/shortlist/").content.decode()
    share = re.search(r'href="(http://testserver/search/shortlist/shared/[^"]+/)"', html).group(1)
    other = type(client)()
    shared = other.get(share)
    text = text_of(shared)
    assert shared.status_code == 200
    assert "Lily Hill Walk" in text and "Crowthorne Walk" in text
    assert "search:shortlist_add" not in shared.content.decode()
    assert "/search/shortlist/add/" not in shared.content.decode()
    assert "Email this list" not in text


def test_shared_link_cannot_be_tampered_with(client, directory):
    token = shortlist.share_token([directory[0].id])
    assert client.get(f"/search/shortlist/shared/{token}/").status_code == 200
    forged = token.replace(token.split(":")[0], "x" + token.split(":")[0][1:])
    assert client.get(f"/search/shortlist/shared/{forged}/").status_code == 404
    from django.core import signing

    unsigned_elsewhere = signing.dumps([directory[2].id], salt="another.purpose", compress=True)
    assert client.get(f"/search/shortlist/shared/{unsigned_elsewhere}/").status_code == 404


def test_email_shortlist(client, directory, settings):
    add(client, directory[0])
    response = client.post("/search/shortlist/", {"email": "me@example.org"})
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == ["me@example.org"]
    body = message.body
    assert "Lily Hill Walk" in body and "Bracknell Walkers" in body
    assert "Community Hall, 1 High Street, Bracknell, RG12 1LH" in body
    assert re.search(r"Next: Tuesday \d{1,2} \w+, 10am to 12pm", body)
    assert f"http://testserver{directory[0].url}" in body
    assert "&amp;" not in body and "<" not in body


def test_email_needs_a_valid_address(client, directory):
    add(client, directory[0])
    html = client.post("/search/shortlist/", {"email": "not an email"}).content.decode()
    assert "Enter an email address in the correct format" in html and not mail.outbox


def test_email_is_rate_limited(client, directory, settings):
    settings.SEARCH_SHORTLIST_EMAIL_LIMIT = 2
    add(client, directory[0])
    for _ in range(2):
        assert client.post("/search/shortlist/", {"email": "me@example.org"}).status_code == 302
    response = client.post("/search/shortlist/", {"email": "me@example.org"})
    assert response.status_code == 200 and "too many times" in response.content.decode()
    assert len(mail.outbox) == 2


def results_list(response) -> str:
    html = response.content.decode()
    return text_of(type("R", (), {"content": html[html.index('class="nhsuk-list search-results"'):].encode()}))


def test_stale_listing_comes_last_even_a_to_z(client, directory):
    text = results_list(client.get(SEARCH, {"q": "walk", "sort": "name"}))
    assert text.index("Old Walking Club") > text.index("Online Walking Chat") > text.index("Lily Hill Walk")


def test_today_is_used_for_next_session(client):
    tomorrow = timezone.localdate() + timedelta(days=1)
    index(document("Tomorrow Club", sessions=(Session((tomorrow.weekday(),), time(9), time(10)),)))
    text = text_of(client.get(SEARCH, {"q": "Tomorrow"}))
    assert f"{tomorrow.day} {tomorrow:%B}" in text


# --- Temporarily closed services and the folded filters ---------------------------------------

@pytest.fixture
def with_closed(directory):
    closed = document("Closed Walking Club", **WALK, status="temporarily closed",
                      sessions=(Session(tuple(range(7)), time(0), time(23, 59)),))
    get_backend().index([closed])
    return closed


def test_a_closed_service_says_so_comes_after_the_running_ones_and_shows_no_next_session(client, with_closed):
    response = client.get(SEARCH, {"q": "walk", "sort": "name"})
    text = results_list(response)
    closed = text[text.index("Closed Walking Club"):]
    assert closed.split("Add")[0].count("Temporarily closed") == 1
    assert "Next" not in closed.split("Add")[0] and "Open to new people" not in closed
    # After every running service, the stale one included, even A to Z.
    assert text.index("Closed Walking Club") > text.index("Old Walking Club") > text.index("Lily Hill Walk")


def test_hide_temporarily_closed_is_offered_with_how_many_it_hides_and_works(client, with_closed):
    text = text_of(client.get(SEARCH, {"q": "walk"}))
    assert re.search(r"Hide temporarily closed \(1\)", text)
    response = client.get(SEARCH, {"q": "walk", "hide_closed": "on"})
    assert "Closed Walking Club" not in results_list(response)
    html = response.content.decode()
    assert 'name="hide_closed" type="checkbox" value="on" form="search-form" checked' in html
    assert ('<a href="?q=walk">Remove<span class="nhsuk-u-visually-hidden"> filter Hide temporarily closed</span>'
            in html)


def test_hide_temporarily_closed_is_not_offered_when_there_is_nothing_to_hide(client, directory):
    assert "Hide temporarily closed" not in client.get(SEARCH, {"q": "walk"}).content.decode()


def test_the_filters_fold_behind_one_summary_that_counts_those_applied(client, directory):
    html = client.get(SEARCH, {"q": "walk", "free": "on", "category": "walking-groups"}).content.decode()
    summary = re.search(r'<details class="search-filters" id="search-filters" data-search-filters>\s*'
                        r'<summary class="search-filters__summary">(.*?)</summary>', html, re.S)
    assert summary, "folded (no open attribute) unless a filter has a mistake in it"
    assert re.sub(r"<[^>]+>", "", summary.group(1)) == "Filter results (2 applied)"
    # The results come after the summary, not after every filter, when the panel is folded.
    assert html.index("search-filters__summary") < html.index("search-filters__body") < html.index("results-heading")
    errors = client.get(SEARCH, {"q": "walk", "age": "x"}).content.decode()
    assert '<details class="search-filters" id="search-filters" data-search-filters open>' in errors
