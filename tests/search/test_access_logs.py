"""What residents search for stays out of the access logs the project configures: the query string
of the search pages is cut from Django's development server log and from gunicorn's access log."""

import logging
from datetime import timedelta
from urllib.parse import quote, urlencode

import pytest
from gunicorn.config import Config
from gunicorn.glogging import Logger as GunicornLogger

from search import listing_links

SEARCHED = "/search/?q=bereavement+Jane+Smith&where=RG12+1AA"


class Captured(logging.Handler):
    def __init__(self):
        super().__init__()
        self.lines = []

    def emit(self, record):
        self.lines.append(self.format(record))


@pytest.fixture
def captured():
    """A handler on each access logger, behind the filters search installs on the logger."""
    handler = Captured()
    loggers = [logging.getLogger(name) for name in ("django.server", "gunicorn.access")]
    for logger in loggers:
        logger.addHandler(handler)
    yield handler
    for logger in loggers:
        logger.removeHandler(handler)


def test_the_development_server_logs_the_search_page_without_its_query(captured):
    # As django.core.servers.basehttp.WSGIRequestHandler.log_message logs a request.
    logging.getLogger("django.server").info('"%s" %s %s', f"GET {SEARCHED} HTTP/1.1", "200", "5120")
    assert captured.lines == ['"GET /search/ HTTP/1.1" 200 5120']


def test_the_open_referral_api_is_logged_without_what_was_searched(captured):
    line = "GET /openreferral/services?search=bereavement&postcode=RG12+1AA&proximity=1000 HTTP/1.1"
    logging.getLogger("django.server").info('"%s" %s %s', line, "200", "900")
    assert captured.lines == ['"GET /openreferral/services HTTP/1.1" 200 900']


def test_other_pages_keep_their_query_string(captured):
    logging.getLogger("django.server").info('"%s" %s %s', "GET /staff/caseload/?sort=due HTTP/1.1", "200", "1")
    assert captured.lines == ['"GET /staff/caseload/?sort=due HTTP/1.1" 200 1']


class _Response:
    status = "200 OK"
    sent = 5120
    headers = [("Content-Type", "text/html")]


def test_gunicorn_logs_the_search_page_and_the_referrer_without_the_query(captured, tmp_path):
    config = Config()
    config.set("accesslog", str(tmp_path / "access.log"))
    config.set("access_log_format",
               '%(h)s "%(r)s" %(s)s "%(f)s" %(U)s %(q)s {%({raw_uri}e)s} {%({referer}i)s} {%({query_string}e)s}')
    log = GunicornLogger(config)
    referrer = f"https://portal.example.org{SEARCHED}"

    def request(path, query):
        environ = {"REQUEST_METHOD": "GET", "RAW_URI": f"{path}?{query}", "SERVER_PROTOCOL": "HTTP/1.1",
                   "PATH_INFO": path, "QUERY_STRING": query, "REMOTE_ADDR": "10.0.0.1",
                   "HTTP_REFERER": referrer}
        log.access(_Response(), [("Referer", referrer)], environ, timedelta(milliseconds=12))

    request("/search/", "q=bereavement+Jane+Smith&where=RG12+1AA")
    # Opened from the results: the listing's address carries the search (signed, not secret).
    carried = listing_links.token("q=bereavement+Jane+Smith&where=RG12+1AA")
    request("/directory/lily-hill-walk/", urlencode({"from": carried}))
    request("/directory/lily-hill-walk/", "page=2")
    written = (tmp_path / "access.log").read_text()
    assert "Jane" not in written and "RG12" not in written and "bereavement" not in written
    assert carried not in written and quote(carried) not in written
    first, second, third = written.splitlines()
    assert first.startswith('10.0.0.1 "GET /search/ HTTP/1.1" 200 "https://portal.example.org/search/" /search/ - ')
    assert second.startswith('10.0.0.1 "GET /directory/lily-hill-walk/ HTTP/1.1" 200 '
                             '"https://portal.example.org/search/" /directory/lily-hill-walk/ - ')
    assert third.startswith('10.0.0.1 "GET /directory/lily-hill-walk/?page=2 HTTP/1.1" 200 ')


def test_a_listing_opened_from_the_results_is_logged_without_the_search_it_carries(captured):
    carried = listing_links.token("q=bereavement+Jane+Smith&where=RG12+1AA")
    line = f"GET /directory/lily-hill-walk/?{urlencode({'from': carried, 'x': '1'})} HTTP/1.1"
    logging.getLogger("django.server").info('"%s" %s %s', line, "200", "5120")
    logging.getLogger("django.server").info('"%s" %s %s', f"GET /directory/walk/?x=1&from={carried} HTTP/1.1",
                                            "200", "1")
    assert captured.lines == ['"GET /directory/lily-hill-walk/ HTTP/1.1" 200 5120', '"GET /directory/walk/ HTTP/1.1" 200 1']
