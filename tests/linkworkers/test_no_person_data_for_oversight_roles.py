"""Commissioners and site admins see nothing person-level: every link workers' URL is a 404 to them.

The URLs are read from `linkworkers.urls` and filled from a real team's records, so a page added
later is covered without touching this file; a parameter this file cannot fill fails loudly.
"""

import re

import pytest
from django.urls import reverse
from django.urls.resolvers import RoutePattern
from django.utils import timezone

from linkworkers.audit import Actor
from linkworkers.services import episodes, safeguarding
from linkworkers.models import AuditEvent
from linkworkers.urls import urlpatterns
from portal.roles import Role
from tests.factories import linkworkers as lw

from .conftest import signed_in

pytestmark = pytest.mark.django_db

OVERSIGHT_ROLES = (Role.COMMISSIONER, Role.SITE_ADMIN)
# Public pages anyone may open (the referral forms and their thank-you pages), and the break-glass
# page, which is the commissioners' own: checked below to show no one's details, not for a 404.
PUBLIC = {"refer_professional", "refer_professional_done", "refer_self", "refer_self_done"}
BREAK_GLASS = {"break_glass"}
# The access log of refused attempts (record ids only) is for site admins and supervisors: test_access_log.py.
ACCESS_LOG = {"access_log"}
PERSON_LEVEL = [p.name for p in urlpatterns if p.name not in PUBLIC | BREAK_GLASS | ACCESS_LOG]
# URLs whose page depends on the record's state (a closure summary of an open episode, a match to
# confirm): they may be 404 to the team too, so they are not used to check the URL was filled right.
STATE_DEPENDENT = {"referral_confirm_match", "sign_off", "reopen"}

_PARAMETER = re.compile(r"(?:([\w-]+)/)?<(?:(\w+):)?(\w+)>")


@pytest.fixture
def records(team, supervisor, worker):
    """One of everything a URL can name, all in `team`: a person with an open episode (and its plan) and a new
    referral."""
    episode = lw.episode(team, worker=worker, by=supervisor)
    contact = episodes.record_contact(
        episode=episode, actor=Actor(worker), occurred_at=timezone.now(), mode="phone", duration_minutes=20,
        attended=True,
    )
    action = episodes.add_action(
        episode=episode, actor=Actor(worker), description="Call the lunch club", due_on=timezone.localdate(),
    )
    concern = safeguarding.raise_safeguarding_concern(
        person=episode.person, actor=Actor(worker), description="Bruising seen on the arm.", immediate_risk=False,
    )
    lw.plan(episode, by=worker)
    referral = lw.referral(team)
    return {
        "person": episode.person, "episode": episode, "referral": referral, "action": action,
        "contact": contact, "concern": concern,
    }


# Which record a parameter names: by its own name (person_id) or by the path segment before it
# (people/<uuid:public_id>/).
_BY_NAME = {"person": "person", "episode": "episode", "referral": "referral", "action": "action",
            "contact": "contact", "concern": "concern"}
_BY_SEGMENT = {"people": "person", "episodes": "episode", "referrals": "referral", "actions": "action",
               "contacts": "contact", "concerns": "concern", "safeguarding": "concern"}
_FIXED = {"kind": "acceptance", "outcome": "accept"}


def url_for(name: str, records: dict) -> str:
    pattern = next(p for p in urlpatterns if p.name == name).pattern
    if not isinstance(pattern, RoutePattern):
        pytest.fail(f"{name}: teach this test to fill a regular-expression URL ({pattern})")
    kwargs = {}
    for segment, converter, parameter in _PARAMETER.findall(str(pattern)):
        if parameter in _FIXED:
            kwargs[parameter] = _FIXED[parameter]
            continue
        kind = next((k for prefix, k in _BY_NAME.items() if parameter.startswith(prefix)), None)
        kind = kind or _BY_SEGMENT.get(segment)
        if kind is None:
            pytest.fail(f"{name}: teach this test which record fills <{converter}:{parameter}> in {pattern}")
        record = records[kind]
        kwargs[parameter] = record.pk if converter == "int" else getattr(record, "public_id", record.pk)
    return reverse(f"linkworkers:{name}", kwargs=kwargs)


def person_details_in(response, records) -> list[str]:
    """Any full name or NHS number of the team's people that the response shows."""
    text = response.content.decode(errors="replace")
    people = [records["person"], records["referral"]]
    names = [f"{p.given_name} {p.family_name}" for p in people]
    return [value for value in names + [p.nhs_number for p in people] if value and value in text]


@pytest.fixture(params=OVERSIGHT_ROLES, ids=lambda role: role.value)
def oversight_user(request, make_user):
    return make_user(request.param)


@pytest.mark.parametrize("name", PERSON_LEVEL)
def test_every_person_level_url_is_404(name, oversight_user, records, supervisor):
    url = url_for(name, records)
    client = signed_in(oversight_user)
    team_client = None
    for method in ("get", "post"):
        response = getattr(client, method)(url)
        if response.status_code == 405:
            # Method not allowed to anyone, which says nothing about the record: the team gets it too.
            team_client = team_client or signed_in(supervisor)
            assert getattr(team_client, method)(url).status_code == 405, f"{method.upper()} {url}"
            continue
        assert response.status_code == 404, f"{method.upper()} {url} gave {response.status_code}"
    assert not AuditEvent.objects.filter(actor_id=oversight_user.pk).exists()


@pytest.mark.parametrize("name", sorted(set(PERSON_LEVEL) - STATE_DEPENDENT))
def test_the_team_reaches_the_same_url(name, records, supervisor):
    """The 404s above are about who asks: the same URL answers the team's supervisor."""
    response = signed_in(supervisor).get(url_for(name, records))
    assert response.status_code != 404


@pytest.mark.parametrize("name", sorted(PUBLIC | BREAK_GLASS))
def test_public_pages_and_break_glass_show_no_one(name, oversight_user, records):
    response = signed_in(oversight_user).get(url_for(name, records))
    assert response.status_code == 200
    assert person_details_in(response, records) == []


def test_staff_home_lists_no_people(oversight_user, records):
    response = signed_in(oversight_user).get(reverse("staff_home"))

    assert response.status_code == 200
    assert person_details_in(response, records) == []
    assert reverse("linkworkers:break_glass") in response.content.decode()
    assert reverse("linkworkers:caseload") not in response.content.decode()


def test_staff_home_links_team_members_to_their_work_not_to_break_glass(supervisor_client):
    text = supervisor_client.get(reverse("staff_home")).content.decode()

    for name in ("referral_queue", "caseload", "referral_new"):
        assert f'href="{reverse(f"linkworkers:{name}")}"' in text
    assert reverse("linkworkers:break_glass") not in text


@pytest.fixture(params=[*OVERSIGHT_ROLES, "superuser"], ids=str)
def admin_client(request, make_user):
    """(client, whether the Wagtail admin lets them in)."""
    if request.param == "superuser":
        return signed_in(make_user(Role.RESIDENT, is_superuser=True, is_staff=True)), True
    return signed_in(make_user(request.param)), False


@pytest.mark.parametrize("path", ["/admin/", "/admin/pages/search/?q={family_name}", "/admin/users/?q={family_name}"])
def test_the_wagtail_admin_shows_no_one(path, admin_client, records):
    """No case record is registered in the Wagtail admin; a superuser, who gets in, finds no one there."""
    client, admitted = admin_client
    response = client.get(path.format(family_name=records["person"].family_name))

    # Commissioners and site admins hold no admin permission and are sent to sign in (not followed:
    # a signed-in user is sent straight back); a superuser gets the page.
    assert response.status_code == (200 if admitted else 302)
    assert person_details_in(response, records) == []
