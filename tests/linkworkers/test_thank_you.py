"""The page after a public referral: the reference, how to reach the team, and a way to the search."""

import pytest
from django.core.cache import cache

from linkworkers.models import Referral
from tests.factories import linkworkers as lw

from .test_intake_forms import refer, refer_self

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()


@pytest.mark.parametrize("send, about", [(refer_self, "your request"), (refer, "this referral")])
def test_it_gives_the_reference_and_the_teams_phone_hours_and_email(client, send, about):
    lw.team(name="Bracknell Social Prescribing", takes_unmatched_referrals=True, phone="01632 960 412",
            email="social.prescribing@example.org", hours="Monday to Friday, 9am to 5pm")
    response = send(client)
    page = client.get(response.url).content.decode()
    reference = str(Referral.objects.get().public_id)[:8].upper()

    assert f"If you need to ask about {about}, give your reference number, <strong>{reference}</strong>" in page
    assert "Contact the Bracknell Social Prescribing team" in page
    assert '<a href="tel:01632960412">01632 960 412</a> (Monday to Friday, 9am to 5pm)' in page
    assert '<a href="mailto:social.prescribing@example.org">social.prescribing@example.org</a>' in page
    assert '<a href="/search/">Find activities and support near you</a>' in page


def test_a_team_with_no_contact_details_still_gives_the_reference_and_who_to_ask(client):
    lw.team(name="Everyone", takes_unmatched_referrals=True)
    page = client.get(refer_self(client).url).content.decode()
    reference = str(Referral.objects.get().public_id)[:8].upper()
    assert f"give your reference number, <strong>{reference}</strong>, to your GP practice or the link-worker team" in page
    assert 'id="team-contact"' not in page


def test_the_demo_team_has_a_number_no_one_real_answers(client):
    from portal.demo import load_demo

    load_demo()
    from linkworkers.models import Team

    team = Team.objects.get(name="Bracknell Social Prescribing")
    assert team.phone.startswith("01632 960") and team.hours and team.email.endswith("@example.org")
