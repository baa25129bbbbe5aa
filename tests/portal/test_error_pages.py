"""The 404 and 500 pages, with DEBUG off, show the crisis numbers and how to reach the team, in the
site's theme; the 500 page needs neither a database nor a request."""

import pytest
from django.template.loader import render_to_string

CRISIS_NUMBERS = ['href="tel:999"', 'href="tel:111"', 'href="tel:116123"']


@pytest.fixture(autouse=True)
def production_like(settings):
    settings.DEBUG = False
    settings.TEAM_CONTACT_PHONE = "01344 352000"
    settings.TEAM_CONTACT_EMAIL = "linkworkers@example.org"


def shows_help(page: str) -> bool:
    return (
        all(number in page for number in CRISIS_NUMBERS)
        and 'href="tel:01344352000"' in page
        and "mailto:linkworkers@example.org" in page
        and 'href="/refer-yourself/"' in page
    )


@pytest.fixture
def demo_sites(db):
    from portal.demo import load_demo

    load_demo(host="testserver", council_host="council.testserver", port=80)


@pytest.mark.parametrize("host, stylesheet", [("testserver", "nhsuk/css/portal.css"),
                                              ("council.testserver", "council/css/council.css")])
def test_page_not_found_shows_the_crisis_numbers_and_the_team_in_the_sites_theme(client, demo_sites, host, stylesheet):
    response = client.get("/no-such-page/", HTTP_HOST=host)
    assert response.status_code == 404
    page = response.content.decode()
    assert "Page not found" in page and shows_help(page)
    assert stylesheet in page


@pytest.mark.urls("tests.portal.urls_with_a_failing_view")
@pytest.mark.parametrize("host, stylesheet", [("testserver", "nhsuk/css/portal.css"),
                                              ("council.testserver", "council/css/council.css")])
def test_a_failing_view_shows_the_server_error_page_in_the_sites_theme(client, demo_sites, host, stylesheet):
    client.raise_request_exception = False
    response = client.get("/fail/", HTTP_HOST=host)
    assert response.status_code == 500
    page = response.content.decode()
    assert "Sorry, there is a problem with the service" in page and shows_help(page)
    assert stylesheet in page


def test_server_error_page_renders_with_no_context_and_no_database():
    # No `db` fixture: any query here raises. Django's own server_error renders it just so.
    page = render_to_string("500.html")
    assert "Sorry, there is a problem with the service" in page and shows_help(page)


def test_server_error_page_answers_when_the_database_is_what_failed(client):
    # No `db` fixture: the first query (the Site lookup) fails, as it would with the database down.
    client.raise_request_exception = False
    response = client.get("/")
    assert response.status_code == 500
    page = response.content.decode()
    assert shows_help(page) and "nhsuk/css/portal.css" in page
