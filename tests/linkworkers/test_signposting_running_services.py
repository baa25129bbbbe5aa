"""Signposting offers only services a person can go to now: none temporarily closed or closed for good."""

import pytest
from django.http import QueryDict

from directory.models import TaxonomyTerm
from directory.selectors import running_services
from linkworkers.forms.triage import SignpostForm, signpost_candidates
from linkworkers.models import Referral, ReferralStatus
from tests import factories
from tests.factories import linkworkers as lw

pytestmark = pytest.mark.django_db


def detail_url(referral) -> str:
    return f"/staff/referrals/{referral.public_id}/"


def decide_url(referral, outcome: str) -> str:
    return f"/staff/referrals/{referral.public_id}/decide/{outcome}/"


@pytest.fixture
def walks(team):
    loneliness = TaxonomyTerm.objects.get(code="loneliness")
    made = {status: factories.service(name=f"Friendly Walk ({status})", categories=[loneliness], status=status)
            for status in ("active", "temporarily closed", "inactive", "defunct")}
    referral = lw.referral(team)
    referral.needs.set([loneliness])
    return referral, made


def test_only_running_services_are_candidates_by_need_or_by_name(walks):
    referral, made = walks
    assert [s.pk for s in signpost_candidates(referral)] == [made["active"].pk]
    assert [s.pk for s in signpost_candidates(referral, "friendly walk")] == [made["active"].pk]
    assert set(running_services().values_list("pk", flat=True)) >= {made["active"].pk}
    assert not set(running_services().values_list("pk", flat=True)) & {
        made[status].pk for status in ("temporarily closed", "inactive", "defunct")}


def test_the_signposting_page_does_not_offer_a_temporarily_closed_service(walks, supervisor_client):
    referral, _ = walks
    page = supervisor_client.get(detail_url(referral)).content.decode()
    assert "Friendly Walk (active)" in page
    assert "Friendly Walk (temporarily closed)" not in page
    searched = supervisor_client.get(detail_url(referral), {"q": "friendly"}).content.decode()
    assert "Friendly Walk (active)" in searched and "(temporarily closed)" not in searched and "(defunct)" not in searched


def test_a_closed_service_posted_anyway_is_refused(walks, supervisor_client):
    referral, made = walks
    html = supervisor_client.post(decide_url(referral, "signpost"),
                                  {"signpost-services": [made["temporarily closed"].pk], "signpost-note": "Walks"})
    assert html.status_code == 200  # the form again, with the error
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.NEW
    assert not Referral.objects.get(pk=referral.pk).signposted_services.exists()


def test_a_service_closed_after_it_was_listed_cannot_be_chosen(walks):
    referral, made = walks
    running = made["active"]
    listed = list(signpost_candidates(referral))  # the page as the supervisor saw it
    type(running).objects.filter(pk=running.pk).update(status="temporarily closed")
    posted = QueryDict(mutable=True)
    posted.setlist("signpost-services", [str(running.pk)])
    form = SignpostForm(posted, prefix="signpost", candidates=listed)
    assert not form.is_valid()
    assert "services" in form.errors
