"""The home page is the front door: search by what and where, topics with how many services each
holds, a link worker and a way to suggest activities; its wording is edited in Wagtail."""

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.models import Page, Site

from directory.models import TaxonomyTerm
from directory.models.services import ServiceStatus
from portal.blocks import NoticeBlock
from portal.models import HomePage, ThemeSettings
from search import outbox
from search.backends import get_backend
from tests.factories import organisation, service
from tests.mfa import sign_in_with_mfa

pytestmark = pytest.mark.django_db

COUNCIL = "council.testserver"


class PageReader(HTMLParser):
    """What a visitor finds on a page: its links (text and address), the search form's fields and
    labels, and the text of each topic in the list of topics."""

    def __init__(self):
        super().__init__()
        self.links: dict[str, str] = {}
        self.form: dict = {}
        self.labels: list[str] = []
        self.topics: list[str] = []
        self.headings: list[tuple[int, str]] = []
        self._href: str | None = None
        self._text: list[str] = []
        self._in_form = self._in_label = self._in_topics = self._in_heading = False
        self._item: list[str] | None = None
        self._heading_level, self._heading_text = 0, []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("id") == "search-form":
            self._in_form = True
            self.form = {"action": a.get("action"), "method": a.get("method"), "fields": []}
        elif tag in ("input", "select", "textarea") and self._in_form:
            self.form["fields"].append(a.get("name"))
        elif tag == "label" and self._in_form:
            self._in_label, self._text = True, []
        elif tag == "a":
            self._href, self._text = a.get("href"), []
        elif tag == "ul" and "portal-topics" in (a.get("class") or ""):
            self._in_topics = True
        elif tag == "li" and self._in_topics:
            self._item = []
        elif tag in ("h1", "h2", "h3", "h4") and not self._in_heading:
            self._in_heading, self._heading_level, self._heading_text = True, int(tag[1]), []

    def handle_data(self, data):
        self._text.append(data)
        if self._item is not None:
            self._item.append(data)
        if self._in_heading:
            self._heading_text.append(data)

    def handle_endtag(self, tag):
        text = " ".join("".join(self._text).split())
        if tag == "form" and self._in_form:
            self._in_form = False
        elif tag == "label" and self._in_label:
            self.labels.append(text)
            self._in_label = False
        elif tag == "a" and self._href is not None:
            self.links.setdefault(text, self._href)
            self._href = None
        elif tag == "li" and self._item is not None:
            self.topics.append(" ".join("".join(self._item).split()))
            self._item = None
        elif tag == "ul" and self._in_topics:
            self._in_topics = False
        elif tag == f"h{self._heading_level}" and self._in_heading:
            self.headings.append((self._heading_level, " ".join("".join(self._heading_text).split())))
            self._in_heading = False


def read(response) -> PageReader:
    assert response.status_code == 200
    reader = PageReader()
    reader.feed(response.content.decode())
    return reader


@pytest.fixture
def home():
    """A home page as the demo data makes one (title and slug only, every other field as it defaults),
    at the root of the default site and of a second site wearing the council theme."""
    home = HomePage(title="Find activities and support near you", slug="front-door")
    Page.get_first_root_node().add_child(instance=home)
    home.save_revision().publish()
    Site.objects.filter(is_default_site=True).update(root_page=home)
    council = Site.objects.create(hostname=COUNCIL, port=80, root_page=home, site_name="Help Yourself")
    ThemeSettings.objects.create(site=council, theme="council")
    return home


def term(code: str) -> TaxonomyTerm:
    return TaxonomyTerm.objects.get(code=code)


def at(postcode: str, name: str) -> list[dict]:
    return [{"name": name, "address_1": "1 High Street", "city": "Bracknell", "postcode": postcode}]


@pytest.fixture
def listings(home):
    """Walks and a worry group, published and drained into the index as the worker would; a draft
    and a walk closed for good, which nobody can find."""
    walkers = organisation(name="Bracknell Walkers")
    created = {
        "park": service(walkers, name="Lily Hill Park Walk", categories=[term("walking-groups")],
                        locations=at("RG12 2PL", "Lily Hill Park")),
        "town": service(walkers, name="Town Centre Walk", categories=[term("walking-groups")],
                        locations=at("RG12 1BH", "Bracknell Library")),
        "worry": service(organisation(name="Calm Minds"), name="Worry Less Group",
                         description="Talk about worries over a cup of tea.", categories=[term("anxiety-stress")],
                         locations=at("RG12 7BB", "Easthampstead Baptist Church")),
        "draft": service(walkers, name="Heathland Walk", categories=[term("walking-groups")], publish=False),
        "defunct": service(walkers, name="Old Canal Walk", categories=[term("walking-groups")],
                           status=ServiceStatus.DEFUNCT),
    }
    outbox.drain(get_backend())
    return created


def test_the_search_form_asks_what_and_where_and_submits_to_the_search_page(client, listings):
    page = read(client.get("/"))
    assert page.form["action"] == "/search/" and page.form["method"] == "get"
    assert {"q", "where", "lat", "lon"} <= set(page.form["fields"])  # lat and lon: "Use my location"
    assert page.labels == ["What are you looking for?", "Where?"]

    results = client.get(page.form["action"], {"q": "walk", "where": "RG12 1AA"}).content.decode()
    assert "2 results for walk near RG12 1AA" in results
    assert "Lily Hill Park Walk" in results and "Town Centre Walk" in results
    assert "Old Canal Walk" not in results and "Heathland Walk" not in results


def test_every_top_level_category_is_listed_with_how_many_services_it_holds(client, listings):
    page = read(client.get("/"))
    top_level = TaxonomyTerm.objects.filter(parent=None)
    assert len(page.topics) == top_level.count() > 30
    for topic in top_level:
        assert page.links[topic.name] == f"/search/?category={topic.code}"
    # The draft and the walk closed for good are not counted; a parent counts its children's services.
    assert "Walking groups 2 services" in page.topics
    assert "Mental wellbeing 1 service" in page.topics
    assert "Loneliness and isolation 0 services" in page.topics
    assert [heading for level, heading in page.headings if level == 3][-2:] == ["Activities", "Needs"]


def test_a_topic_link_leads_to_the_services_it_counted(client, listings):
    page = read(client.get("/"))
    walking = client.get(page.links["Walking groups"]).content.decode()
    assert "2 results" in walking
    assert "Lily Hill Park Walk" in walking and "Town Centre Walk" in walking
    assert "Worry Less Group" not in walking and "Old Canal Walk" not in walking

    wellbeing = client.get(page.links["Mental wellbeing"]).content.decode()
    assert "1 result" in wellbeing and "Worry Less Group" in wellbeing


def test_topics_are_still_listed_when_the_search_engine_is_down(client, home, monkeypatch):
    def engine_down(query):
        raise ConnectionError("search engine unreachable")

    monkeypatch.setattr("portal.topics.engine_search", engine_down)
    page = read(client.get("/"))
    assert "Walking groups" in page.topics  # the link, without a count it could not get
    assert page.links["Walking groups"] == "/search/?category=walking-groups"


def test_links_to_a_link_worker_and_to_suggest_an_activity_lead_to_their_forms(client, home):
    page = read(client.get("/"))
    assert page.links["Ask a link worker for help"] == "/refer-yourself/"
    assert page.links["Suggest an activity"] == "/suggest-an-activity/"
    refer = client.get(page.links["Ask a link worker for help"])
    assert refer.status_code == 200 and "<form" in refer.content.decode()
    suggest = read(client.get(page.links["Suggest an activity"]))
    assert (1, "Suggest an activity") in suggest.headings


def test_a_home_page_nobody_has_edited_reads_well(client, home):
    headings = read(client.get("/")).headings
    assert headings[0] == (1, "Find activities and support near you")
    assert (2, "Browse by topic") in headings and (2, "Talk to a link worker") in headings
    assert (2, "Know an activity that is not listed?") in headings
    assert (2, "Popular topics") not in headings  # no featured topics until editors choose some
    assert all(later[0] <= earlier[0] + 1 for earlier, later in zip(headings, headings[1:]))  # no level skipped


def test_notices_featured_topics_and_wording_are_edited_in_wagtail(client, listings, home):
    home.notices = [
        ("notice", {"style": "warning", "heading": "Closed on bank holidays",
                    "text": "<p>The team is closed on 25 December.</p>",
                    "link_url": "/refer-yourself/", "link_text": "Leave a message for the team"}),
        ("notice", {"style": "inset", "heading": "New in Crowthorne", "text": "<p>A men's shed opens in May.</p>",
                    "link_url": "", "link_text": ""}),
    ]
    home.featured_topics = [
        ("topic", {"topic": "walking-groups", "label": "Get out walking", "description": "Led walks for everyone."}),
        ("topic", {"topic": "anxiety-stress", "label": "", "description": ""}),
    ]
    home.help_heading = "Ask us for help"
    home.save_revision().publish()

    response = client.get("/")
    page = read(response)
    html = response.content.decode()
    assert '<div class="nhsuk-warning-callout">' in html and "The team is closed on 25 December." in html
    assert (2, "Important: Closed on bank holidays") in page.headings
    assert page.links["Leave a message for the team"] == "/refer-yourself/"
    assert '<div class="nhsuk-inset-text">' in html and (2, "New in Crowthorne") in page.headings
    # Featured topics: the editor's label (or the category's own name), the count and the search link.
    assert (2, "Popular topics") in page.headings
    assert page.links["Get out walking"] == "/search/?category=walking-groups"
    assert page.links["Anxiety and stress"] == "/search/?category=anxiety-stress"
    assert "Led walks for everyone." in html
    assert (2, "Ask us for help") in page.headings and (2, "Talk to a link worker") not in page.headings

    home.featured_topics = []
    home.notices = []
    home.save_revision().publish()
    page = read(client.get("/"))
    assert "Get out walking" not in page.links and (2, "Popular topics") not in page.headings
    assert not any("Closed on bank holidays" in heading for _, heading in page.headings)


def test_editors_choose_featured_topics_from_the_taxonomy(client, home, make_user):
    from portal.roles import Role

    admin = make_user(Role.SITE_ADMIN)
    admin.is_superuser = True
    admin.save()
    sign_in_with_mfa(client, admin)
    response = client.get(f"/admin/pages/{home.pk}/edit/")
    assert response.status_code == 200
    html = response.content.decode()
    # The chooser offers every category, children under their parent's name.
    assert "walking-groups" in html and "Mental wellbeing: Anxiety and stress" in html


@pytest.mark.parametrize("host", ["testserver", COUNCIL])
def test_the_phase_banners_feedback_link_leads_to_a_feedback_form_in_both_themes(client, home, host):
    page = read(client.get("/", HTTP_HOST=host))
    assert page.links["feedback"] == "/feedback/"
    form = read(client.get(page.links["feedback"], HTTP_HOST=host))
    assert (1, "Give feedback on this service") in form.headings


def test_a_site_with_its_own_survey_links_the_banner_there(client, home):
    settings = ThemeSettings.for_site(Site.objects.get(hostname=COUNCIL))
    settings.feedback_url = "https://survey.example.org/help-yourself"
    settings.save()
    assert read(client.get("/", HTTP_HOST=COUNCIL)).links["feedback"] == "https://survey.example.org/help-yourself"
    assert read(client.get("/")).links["feedback"] == "/feedback/"
    assert urlsplit(read(client.get("/search/", HTTP_HOST=COUNCIL)).links["feedback"]).hostname == "survey.example.org"


@pytest.mark.parametrize("link_url, link_text, accepted", [
    ("/refer-yourself/", "Leave a message for the team", True),
    ("https://www.example.org/closures", "See every closure", True),
    ("/refer-yourself/", "", False),  # a link needs words to say
    ("", "Find out more", False),  # and somewhere to go
    ("javascript:alert(1)", "Find out more", False),
    ("//elsewhere.example/", "Find out more", False),
])
def test_a_notices_link_needs_an_address_on_the_web_and_words(link_url, link_text, accepted):
    block = NoticeBlock()
    value = block.to_python({"style": "inset", "heading": "Closed on bank holidays", "text": "<p>Closed.</p>",
                             "link_url": link_url, "link_text": link_text})
    if accepted:
        block.clean(value)
    else:
        with pytest.raises(StructBlockValidationError):
            block.clean(value)
