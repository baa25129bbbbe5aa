"""A link worker of team A gets a 404 for every URL of a person in team B, by GET and by POST."""

import re
import uuid

import pytest

from linkworkers.models import AuditEvent
from tests.factories import linkworkers as lw

from .conftest import signed_in
from .record_urls import NOT_RECORD_PAGES, record_urls, team_records, unlisted_urls

pytestmark = pytest.mark.django_db


@pytest.fixture
def team_b_records():
    team_b = lw.team()
    return team_records(team_b, worker=lw.member(team_b), supervisor=lw.supervisor(team_b))


def test_every_url_parameter_is_understood():
    assert unlisted_urls() == []


_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_ACTION_PK = re.compile(r"(/actions/)\d+/")


def _nowhere(url: str) -> str:
    """The same URL about a record that does not exist."""
    return _ACTION_PK.sub(r"\g<1>999999999/", _UUID.sub(str(uuid.uuid4()), url))


@pytest.mark.parametrize("role", ["link_worker", "supervisor"])
def test_another_teams_records_are_404_for_every_url(role, team_b_records):
    team_a = lw.team()
    client = signed_in(lw.member(team_a, role=role))
    urls = record_urls(team_b_records)
    assert len(urls) >= 10, urls  # the module's record pages exist, so this matrix means something
    events_before = AuditEvent.objects.count()
    answers = {name: (client.get(url).status_code, client.post(url, {}).status_code) for name, url in urls.items()}
    # A page that only takes POST may answer a GET with 405, but then it says the same about a
    # record that does not exist: the answer never tells team A that team B's record is there.
    expected = {
        name: (client.get(_nowhere(url)).status_code, client.post(_nowhere(url), {}).status_code)
        for name, url in urls.items()
    }
    assert answers == expected
    assert all(status in (404, 405) for pair in answers.values() for status in pair), answers
    assert sum(pair.count(404) for pair in answers.values()) >= len(urls)
    # Nothing was seen or changed, so nothing was audited.
    assert AuditEvent.objects.count() == events_before


@pytest.mark.parametrize("name", sorted(NOT_RECORD_PAGES - {"refer_professional", "refer_self", "break_glass"}))
def test_team_lists_do_not_show_another_teams_people(name, team_b_records):
    from django.urls import NoReverseMatch, reverse

    team_a = lw.team()
    lw.episode(team_a)
    client = signed_in(lw.supervisor(team_a))
    try:
        url = reverse(f"linkworkers:{name}")
    except NoReverseMatch:
        pytest.skip(f"{name} takes parameters or does not exist")
    response = client.get(url)
    assert response.status_code in (200, 302)
    assert team_b_records.person.family_name not in response.content.decode()
