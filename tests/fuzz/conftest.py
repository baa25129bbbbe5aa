"""The fuzz tier's world: one of every kind of record a view can be asked about, and a signed-in client per role.

The world is built once per module inside a transaction that is rolled back at the end, so it
costs seconds, not seconds per view, and leaves nothing behind for the rest of the suite (the
audit trail's rows cannot be deleted on PostgreSQL, but they can be rolled back). Each test runs
in its own savepoint on top (pytest-django's `db`), and each request in another.
"""

import datetime as dt
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client

_HERE = Path(__file__).parent


def pytest_configure(config):
    # Also registered in pyproject.toml; here so that --strict-markers accepts it either way.
    config.addinivalue_line("markers", "fuzz: hypothesis drives every view's query string and forms (tests/fuzz)")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if _HERE in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.fuzz)


def signed_in(user, *, second_factor: bool = True) -> Client:
    """A client signed in as `user`; staff also with the second factor passed in this session, as they must."""
    from tests import mfa

    client = Client()
    if not second_factor:
        client.force_login(user)
    elif hasattr(mfa, "signed_in_client"):  # per-session MFA (tests/mfa.py)
        client = mfa.signed_in_client(user)
    else:
        mfa.activate_totp(user)
        client.force_login(user)
    return client


def _build_world() -> dict:
    from allauth.account.models import EmailAddress
    from wagtail.models import Page

    from directory import feedback, onboarding
    from directory.freshness import still_correct_token
    from directory.models import ListingFreshness, OrganisationMembership
    from directory.services import add_member
    from linkworkers.audit import Actor
    from linkworkers.services import episodes
    from linkworkers.models import TeamMembership
    from portal.roles import Role
    from search import shortlist
    from tests.factories import UserFactory, organisation, service, user_with_role
    from tests.factories import linkworkers as lw

    team = lw.team(takes_unmatched_referrals=True, areas="RG12,E06000036")
    supervisor = lw.supervisor(team, is_safeguarding_lead=True)
    worker = lw.member(team)
    episode = lw.episode(team, worker=worker, by=supervisor)
    pending = lw.referral(team)
    action = episodes.add_action(episode=episode, actor=Actor(supervisor), description="Phone the walking group",
                                 due_on=dt.date.today() + dt.timedelta(days=7))
    lw.plan(episode, by=worker)  # two versions, so the plan's pages and its comparison have something to show
    lw.plan(episode, by=worker, goals=("Get out of the house twice a week", "Join the choir"))

    manager = UserFactory()
    org = organisation(name="Fuzz Friendship Club", email="club@fuzz.example")
    manager_membership = add_member(organisation=org, user=manager, role=OrganisationMembership.Role.MANAGER)
    editor = UserFactory()
    editor_membership = add_member(organisation=org, user=editor)
    listing = service(org, name="Fuzz walk")
    unclaimed = organisation(name="Unclaimed Allotment Society")

    resident = UserFactory()
    report = feedback.report_problem(service=listing, kind="other", details="The phone number is wrong.",
                                     client_ip="192.0.2.1")
    suggestion = feedback.suggest_activity(name="Fuzz shed", description="Woodwork on Thursdays.",
                                           client_ip="192.0.2.2")
    claim = onboarding.claim_organisation(user=resident, organisation=unclaimed, role_in_organisation="Chair",
                                          evidence="I chair the society.", base_url="http://testserver")
    invitation = onboarding.invite_member(organisation=org, invited_by=manager, email="friend@fuzz.example",
                                          role=OrganisationMembership.Role.EDITOR, base_url="http://testserver")

    site_admin = user_with_role(Role.SITE_ADMIN, is_superuser=True, is_staff=True)
    users = {
        "supervisor": supervisor, "worker": worker, "manager": manager, "resident": resident,
        "commissioner": user_with_role(Role.COMMISSIONER), "moderator": user_with_role(Role.MODERATOR),
        "site_admin": site_admin,
    }
    assert EmailAddress.objects.filter(user=resident, verified=True).exists()
    assert TeamMembership.objects.filter(user=supervisor).exists()
    pages = [page.url for page in Page.objects.live().specific() if page.url]
    from directory.documents import search_document
    from linkworkers.intake import reference
    from search.backends import get_backend

    get_backend().index([search_document(listing)])  # so the search and shortlist pages have a result
    return {
        "users": users,
        "referral": pending, "episode": episode, "person": episode.person, "action": action,
        "organisation": org, "unclaimed": unclaimed, "service": listing, "membership": editor_membership,
        "manager_membership": manager_membership,
        "report": report, "suggestion": suggestion, "claim": claim,
        "invitation_token": onboarding.invitation_token(invitation),
        "still_correct_token": still_correct_token(ListingFreshness.objects.get(service=listing)),
        "shortlist_token": shortlist.share_token([str(listing.public_id)]),
        "page_id": listing.pk, "pages": pages,
        # Values a person would type that only this world knows: the break-glass form asks for a
        # referral's reference, the shortlist forms for a listing's document id.
        "known_values": {"reference": reference(pending.public_id), "id": str(listing.public_id)},
    }


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            built = _build_world()
            built["clients"] = {role: signed_in(user, second_factor=role != "resident")
                                for role, user in built["users"].items()}
            built["clients"]["anonymous"] = anonymous = Client()
            anonymous.post("/search/shortlist/add/", {"id": str(built["service"].public_id)})  # the email form shows
            yield built
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            cache.clear()
