"""The client's address behind trusted proxies, and every per-address limit counting by it.

Requests are shaped as the reverse proxy sends them: REMOTE_ADDR is the proxy, and the proxy
appends the address it saw to X-Forwarded-For (nginx's $proxy_add_x_forwarded_for), after
whatever the visitor wrote there themselves.
"""

import re
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.urls import reverse

from search import ratelimit, shortlist

PROXY = "10.0.0.2"
EDGE = "10.0.0.1"
ALICE = "203.0.113.5"
BOB = "198.51.100.9"


@pytest.fixture(autouse=True)
def _fresh_counters():
    cache.clear()  # the counters live in the cache
    yield
    cache.clear()


def request(remote_addr=PROXY, forwarded=None, **headers):
    meta = {"REMOTE_ADDR": remote_addr, **headers}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def through_proxy(forwarded: str) -> dict:
    """Keyword arguments for the test client: a request arriving from the proxy."""
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": forwarded}


# --- Which address --------------------------------------------------------------------------

def test_with_no_trusted_proxy_the_forwarded_header_is_ignored_so_it_cannot_be_forged(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    assert ratelimit.client_address(request(ALICE)) == ALICE
    assert ratelimit.client_address(request(ALICE, forwarded=BOB)) == ALICE


def test_behind_one_proxy_the_address_it_appended_is_the_client(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    assert ratelimit.client_address(request(PROXY, forwarded=ALICE)) == ALICE
    # What the visitor wrote themselves comes before the proxy's entry and is not believed.
    assert ratelimit.client_address(request(PROXY, forwarded=f"{BOB}, {ALICE}")) == ALICE


def test_behind_two_proxies_the_outer_ones_entry_is_the_client(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2
    assert ratelimit.client_address(request(PROXY, forwarded=f"{ALICE}, {EDGE}")) == ALICE
    assert ratelimit.client_address(request(PROXY, forwarded=f"{BOB}, {ALICE}, {EDGE}")) == ALICE


def test_a_header_set_by_the_trusted_proxy_can_name_the_client(settings):
    settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER = "X-Real-IP"
    assert ratelimit.client_address(request(PROXY, forwarded=BOB, HTTP_X_REAL_IP=ALICE)) == ALICE


def test_a_request_that_bypassed_the_proxies_counts_by_its_own_address_and_is_not_an_error(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2
    # allauth raises ImproperlyConfigured for a header shorter than the chain; a form must not 500.
    assert ratelimit.client_address(request(ALICE, forwarded=BOB)) == ALICE
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    assert ratelimit.client_address(request(PROXY, forwarded="not-an-address")) == PROXY
    assert ratelimit.client_address(request("", forwarded="")) is None


def test_this_is_the_address_allauth_uses_for_sign_in_limits(settings):
    from allauth.account.adapter import get_adapter

    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    shaped = request(PROXY, forwarded=f"{BOB}, {ALICE}")
    assert ratelimit.client_address(shaped) == get_adapter(shaped).get_client_ip(shaped) == ALICE


def test_ipv6_addresses_count_by_their_network_as_allauth_counts_them():
    same_network = ratelimit.limit_key("2001:db8:1:2:3:4:5:6"), ratelimit.limit_key("2001:db8:1:2:ffff::1")
    assert same_network == ("2001:db8:1:2::", "2001:db8:1:2::")
    assert ratelimit.limit_key("2001:db8:1:3::1") != ratelimit.limit_key("2001:db8:1:2::1")
    assert ratelimit.limit_key(ALICE) == ALICE
    assert ratelimit.limit_key(None) == ratelimit.limit_key("") == "unknown"


def test_the_counter_counts_per_scope_and_subject():
    assert [ratelimit.hit("a", ALICE, period=60) for _ in range(3)] == [1, 2, 3]
    assert ratelimit.hit("a", BOB, period=60) == 1
    assert ratelimit.hit("b", ALICE, period=60) == 1


# --- Every limit counts per client behind the proxy ------------------------------------------

def _refer_self(client, **request_meta):
    """A self-referral through both steps of the public form; the response to the second."""
    screening = client.post("/refer-yourself/", {"step": "screening", "in_danger": "no", "urgent_mental_health": "no"},
                            **request_meta)
    token = re.search(r'name="screening" value="([^"]+)"', screening.content.decode()).group(1)
    return client.post("/refer-yourself/", {
        "step": "referral", "screening": token, "website": "",
        "given_name": "Maya", "family_name": "Okafor",
        "date_of_birth_day": "15", "date_of_birth_month": "3", "date_of_birth_year": "1948",
        "nhs_number": "", "postcode": "rg12 1aa", "phone": "07700 900123", "email": "maya@example.com",
        "preferred_contact_method": "phone", "gp_practice": "",
        "reasons": "Lonely since her husband died.", "consent_to_contact": "yes",
    }, **request_meta)


@pytest.mark.django_db
def test_public_referrals_are_limited_per_client_behind_the_proxy(settings):
    from tests.factories import linkworkers as lw

    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    settings.LINKWORKERS_REFERRAL_RATE_LIMIT = 1
    lw.team(takes_unmatched_referrals=True)
    assert _refer_self(Client(), **through_proxy(ALICE)).status_code == 302
    assert _refer_self(Client(), **through_proxy(f"{BOB}, {ALICE}")).status_code == 429  # forging gains nothing
    assert _refer_self(Client(), **through_proxy(BOB)).status_code == 302  # another visitor, same proxy


@pytest.mark.django_db
def test_with_no_trusted_proxy_a_forged_header_does_not_escape_the_referral_limit(settings):
    from tests.factories import linkworkers as lw

    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    settings.LINKWORKERS_REFERRAL_RATE_LIMIT = 1
    lw.team(takes_unmatched_referrals=True)
    assert _refer_self(Client(), REMOTE_ADDR=ALICE).status_code == 302
    assert _refer_self(Client(), REMOTE_ADDR=ALICE, HTTP_X_FORWARDED_FOR=BOB).status_code == 429


SUGGESTION = {"name": "Crowthorne Men's Shed", "description": "Woodwork and a cuppa on Thursday mornings.",
              "where": "Crowthorne", "organiser": "", "suggester_email": "", "website": ""}


@pytest.mark.django_db
def test_feedback_is_held_back_per_client_behind_the_proxy(settings):
    from directory.models import ActivitySuggestion

    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    settings.FEEDBACK_RATE_LIMIT = 1
    client = Client()
    for forwarded in (ALICE, f"{BOB}, {ALICE}", BOB):
        assert client.post("/suggest-an-activity/", SUGGESTION, **through_proxy(forwarded)).status_code == 302
    statuses = list(ActivitySuggestion.objects.order_by("pk").values_list("status", "held_back_reason"))
    assert statuses == [("new", ""), ("held", "rate_limit"), ("new", "")]


@pytest.mark.django_db
def test_with_no_trusted_proxy_a_forged_header_does_not_escape_the_feedback_limit(settings):
    from directory.models import ActivitySuggestion

    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    settings.FEEDBACK_RATE_LIMIT = 1
    client = Client()
    for forwarded in (ALICE, BOB):
        client.post("/suggest-an-activity/", SUGGESTION, **through_proxy(forwarded))
    assert list(ActivitySuggestion.objects.order_by("pk").values_list("status", flat=True)) == ["new", "held"]


def test_shortlist_emails_count_by_the_limit_key_of_the_address(settings):
    settings.SEARCH_SHORTLIST_EMAIL_LIMIT = 1
    assert shortlist.may_send_email(client_ip=ALICE, session_key="one")
    assert not shortlist.may_send_email(client_ip=ALICE, session_key="two")
    assert shortlist.may_send_email(client_ip=BOB, session_key="three")
    assert shortlist.may_send_email(client_ip="2001:db8:1:2::1", session_key="four")
    assert not shortlist.may_send_email(client_ip="2001:db8:1:2::2", session_key="five")


@pytest.mark.django_db
def test_the_shortlist_page_passes_the_client_behind_the_proxy(settings, monkeypatch):
    from search import views

    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    seen = []
    monkeypatch.setattr(views, "_shortlist_context",
                        lambda request, ids: {"documents": [SimpleNamespace(id="x")], "shortlisted": set()})
    monkeypatch.setattr(views, "send_shortlist_email", lambda *args: None)
    monkeypatch.setattr(views.shortlist, "share_token", lambda ids: "")
    monkeypatch.setattr(views.shortlist, "may_send_email",
                        lambda *, client_ip, session_key: seen.append(client_ip) or True)
    Client().post("/search/shortlist/", {"email": "me@example.org"}, **through_proxy(f"{BOB}, {ALICE}"))
    assert seen == [ALICE]


@pytest.mark.django_db
def test_the_audit_trail_records_the_client_behind_the_proxy(settings):
    from linkworkers.audit import trail_for
    from tests.factories import linkworkers as lw
    from tests.mfa import signed_in_client

    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    team = lw.team()
    episode = lw.episode(team)
    client = signed_in_client(lw.supervisor(team))
    url = reverse("linkworkers:person", args=[episode.person.public_id])
    assert client.get(url, **through_proxy(f"{BOB}, {ALICE}")).status_code == 200
    assert trail_for(episode.person).filter(path=url).latest("pk").ip_address == ALICE
