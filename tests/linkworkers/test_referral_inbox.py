"""The community groups' referral inbox: a member who reads referrals sees only their own organisation's,
and of each only what the person agreed to share; they must pass two-factor authentication; every
answer follows the connection's rules and reaches the link worker; every view is on the audit trail."""

import html
from urllib.parse import parse_qs, urlparse

import pytest
from django.test import Client
from django.urls import reverse

from directory.models import OrganisationMembership, TaxonomyTerm
from directory.services import add_member
from linkworkers import audit, inbox
from linkworkers.audit import Actor
from linkworkers.models import AccessRefusal, AuditEvent, ConnectionChange, ConnectionStatus, DeclineReason
from linkworkers.services import connections, safeguarding
from portal.roles import requires_mfa
from tests import factories
from tests.factories import linkworkers as lw
from tests.mfa import activate_totp, sign_in_with_mfa, signed_in_client
from tests.portal.urlconf import routes

S = ConnectionStatus
INBOX_URL_NAMES = {"inbox", "inbox_referral", "inbox_accept", "inbox_decline", "inbox_no_capacity",
                   "inbox_attendance"}
MFA_SETUP = "/accounts/2fa/totp/activate/"
MFA_CODE = "/accounts/2fa/reauthenticate/"
SAFEGUARDING_TEXT = "Neighbour reports shouting at night"


def reader_of(organisation, *, receives_referrals=True):
    """A member of `organisation` who (by default) reads the referrals sent to it."""
    user = factories.UserFactory()
    membership = add_member(organisation=organisation, user=user)
    OrganisationMembership.objects.filter(pk=membership.pk).update(receives_referrals=receives_referrals)
    return user


def refer(episode, service, *, shares_contact_details=True, shares_needs=True, note="Likes a quiet start.",
          status=S.REFERRED):
    needs = list(TaxonomyTerm.objects.filter(code__in=["loneliness", "bereavement"]))
    assert len(needs) == 2
    return connections.connect(
        episode=episode, actor=Actor(episode.link_worker), service=service, needs=needs, status=status,
        shares_contact_details=shares_contact_details, shares_needs=shares_needs, note_for_service=note,
    )


@pytest.fixture
def world(db):
    """Two organisations taking referrals, each with a service, a reader and a referral of a different person."""
    team = lw.team(phone="01344 352000", email="linkworkers@example.org")
    worker = lw.member(team)
    found = {}
    for key in ("a", "b"):
        organisation = factories.organisation(accepts_referrals=True)
        service = factories.service(organisation)
        episode = lw.episode(team, worker=worker, email=f"person-{key}@example.net")
        found[key] = {
            "organisation": organisation, "service": service, "episode": episode, "person": episode.person,
            "reader": reader_of(organisation),
            "connection": refer(episode, service, note=f"Note only for organisation {key.upper()}"),
        }
    found["worker"], found["team"] = worker, team
    return found


def text_of(response) -> str:
    return html.unescape(response.content.decode())


def inbox_routes():
    found = [route for route in routes()
             if route.name in INBOX_URL_NAMES and any(getattr(part, "namespace", None) == "linkworkers"
                                                      for part in route.chain)]
    assert {route.name for route in found} == INBOX_URL_NAMES
    return found


def url_of(route, public_id) -> str:
    return route.url(lambda name, sample, path_so_far: str(public_id) if name == "public_id" else sample)


def details_of(person) -> dict:
    """Everything of a person's record that could identify them, by what it is."""
    born, nhs = person.date_of_birth, person.nhs_number
    return {
        "family name": person.family_name, "phone": person.phone, "email": person.email,
        "NHS number": nhs, "formatted NHS number": f"{nhs[:3]} {nhs[3:6]} {nhs[6:]}",
        "date of birth": f"{born.day} {born:%B %Y}", "short date of birth": f"{born:%d/%m/%Y}",
        "ISO date of birth": born.isoformat(), "postcode": person.postcode,
    }


# Every inbox URL against another organisation's referrals -------------------------------------------


@pytest.mark.django_db
def test_every_inbox_url_refuses_another_organisations_referral(world):
    a, b = world["a"], world["b"]
    client = signed_in_client(a["reader"])
    changes_before = ConnectionChange.objects.filter(connection=b["connection"]).count()
    walked = 0
    for route in inbox_routes():
        if "public_id" not in str(route):
            continue
        url = url_of(route, b["connection"].public_id)
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"accept-note": "x", "decline-reason": "other", "decline-note": "x",
                                 "no_capacity-note": "x", "attendance-attended": "attended"}).status_code == 404, url
        # The same URL for A's own referral is a real page (GET) or a real answer (POST), not a 404.
        own = url_of(route, a["connection"].public_id)
        assert client.get(own).status_code == (200 if route.name == "inbox_referral" else 405), own
        walked += 1
    assert walked == len(INBOX_URL_NAMES) - 1
    # Each refused attempt is in the access log, for the supervisors of the person's team, with what was tried.
    refusals = AccessRefusal.objects.filter(record_id=b["connection"].public_id)
    assert refusals.count() == 2 * walked
    assert {(entry.record_type, entry.reason, entry.actor_id, entry.team_id) for entry in refusals} == {
        ("connection", AccessRefusal.Reason.OTHER_ORGANISATION, a["reader"].pk, b["connection"].episode.team_id)}
    assert {entry.method for entry in refusals} == {"GET", "POST"}
    assert not AccessRefusal.objects.filter(record_id=a["connection"].public_id).exists()
    b["connection"].refresh_from_db()
    assert b["connection"].status == S.REFERRED
    assert ConnectionChange.objects.filter(connection=b["connection"]).count() == changes_before


@pytest.mark.django_db
def test_listing_pages_show_only_the_organisations_own_referrals(world):
    a, b = world["a"], world["b"]
    for route in inbox_routes():
        if "public_id" in str(route):
            continue
        text = text_of(signed_in_client(a["reader"]).get(url_of(route, None)))
        assert a["person"].given_name in text and a["service"].title in text
        assert str(a["connection"].public_id) in text
        for leaked in (b["person"].given_name, b["service"].title, str(b["connection"].public_id),
                       b["organisation"].title, "Note only for organisation B"):
            assert leaked not in text, leaked
        # The list shows first names only, never the rest of anyone's record.
        for what, value in details_of(a["person"]).items():
            assert value not in text, what


@pytest.mark.django_db
def test_inbox_lists_referrals_newest_first_and_never_a_mere_suggestion(world):
    a = world["a"]
    second = lw.episode(world["team"], worker=world["worker"], preferred_name="Bunny")
    newer = refer(second, a["service"])
    third = lw.episode(world["team"], worker=world["worker"], preferred_name="Suggested Sam")
    refer(third, a["service"], status=S.SUGGESTED)
    text = text_of(signed_in_client(a["reader"]).get(reverse("linkworkers:inbox")))
    assert "Suggested Sam" not in text
    assert text.index(str(newer.public_id)) < text.index(str(a["connection"].public_id))
    assert [c.public_id for c in inbox.referrals_for(a["reader"])] == [newer.public_id, a["connection"].public_id]


# Only what the person agreed to share ----------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("shares_contact_details", [True, False])
@pytest.mark.parametrize("shares_needs", [True, False])
def test_referral_shows_exactly_what_the_person_agreed_to_share(world, shares_contact_details, shares_needs):
    a = world["a"]
    episode = lw.episode(world["team"], worker=world["worker"], email="sam.shared@example.net")
    person = episode.person
    safeguarding.raise_safeguarding_concern(person=person, actor=Actor(world["worker"]),
                                            description=SAFEGUARDING_TEXT, immediate_risk=True)
    connection = refer(episode, a["service"], shares_contact_details=shares_contact_details,
                       shares_needs=shares_needs, note="Please ring after 10am.")
    response = signed_in_client(a["reader"]).get(reverse("linkworkers:inbox_referral", args=[connection.public_id]))
    assert response.status_code == 200
    text = text_of(response)

    # Always: the first name, the note for the service, the link worker and the team's contact details.
    assert person.given_name in text
    assert connection.note_for_service in text
    assert world["worker"].full_name in text and world["worker"].email in text
    assert world["team"].name in text and world["team"].phone in text and world["team"].email in text
    # Contact details if and only if shared.
    for value in (person.full_name, person.phone, person.email):
        assert (value in text) is shares_contact_details, value
    # Needs if and only if shared.
    for need in connection.needs.all():
        assert (need.name in text) is shares_needs, need.name
    assert ("Not shared" in text) is (not shares_contact_details or not shares_needs)
    # Never: date of birth, NHS number, postcode, safeguarding, risk.
    never = {what: value for what, value in details_of(person).items()
             if what not in ("family name", "phone", "email")}
    for what, value in never.items():
        assert value not in text, what
    assert SAFEGUARDING_TEXT not in text
    assert "afeguarding" not in text and "RAG" not in text


@pytest.mark.django_db
def test_worker_notes_in_the_history_are_not_shown_to_the_service(world):
    a = world["a"]
    connections.record_status(connection=a["connection"], actor=Actor(world["worker"]), status=S.STOPPED,
                              note="Private: moved in with her daughter after a fall")
    text = text_of(signed_in_client(a["reader"]).get(reverse("linkworkers:inbox_referral",
                                                              args=[a["connection"].public_id])))
    assert "Stopped" in text and "recorded by the link worker" in text
    assert "moved in with her daughter" not in text
    assert "There is nothing more to record on this referral." in text


# Who has an inbox ----------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["member without receives_referrals", "organisation not taking referrals",
                                 "link worker", "plain account"])
def test_someone_who_does_not_read_referrals_gets_no_inbox(world, who):
    a = world["a"]
    if who == "member without receives_referrals":
        user = reader_of(a["organisation"], receives_referrals=False)
    elif who == "organisation not taking referrals":
        user = reader_of(factories.organisation(accepts_referrals=False))
    elif who == "link worker":
        user = world["worker"]
    else:
        user = factories.UserFactory()
    assert not inbox.may_read_referrals(user)
    client = signed_in_client(user)
    response = client.get(reverse("linkworkers:inbox"))
    assert response.status_code == 403
    text = text_of(response)
    assert "You cannot read referrals" in text
    assert a["person"].given_name not in text
    assert client.get(reverse("linkworkers:inbox_referral", args=[a["connection"].public_id])).status_code == 404
    assert client.post(reverse("linkworkers:inbox_accept", args=[a["connection"].public_id])).status_code == 404


@pytest.mark.django_db
def test_an_organisation_that_stops_taking_referrals_closes_its_inbox(world):
    a = world["a"]
    type(a["organisation"]).objects.filter(pk=a["organisation"].pk).update(accepts_referrals=False)
    client = signed_in_client(a["reader"])
    assert client.get(reverse("linkworkers:inbox")).status_code == 403
    assert client.get(reverse("linkworkers:inbox_referral", args=[a["connection"].public_id])).status_code == 404


def test_signed_out_visitors_are_asked_to_sign_in(client, world):
    referral = reverse("linkworkers:inbox_referral", args=[world["a"]["connection"].public_id])
    for url in (reverse("linkworkers:inbox"), referral):
        response = client.get(url)
        assert response.status_code == 302
        assert urlparse(response["Location"]).path == reverse("account_login")


# Two-factor authentication --------------------------------------------------------------------------


@pytest.mark.django_db
def test_readers_of_referrals_must_have_two_factor_authentication(world):
    a = world["a"]
    assert requires_mfa(a["reader"])
    assert not requires_mfa(reader_of(a["organisation"], receives_referrals=False))
    assert not requires_mfa(reader_of(factories.organisation(accepts_referrals=False)))


@pytest.mark.django_db
def test_a_reader_without_two_factor_is_sent_to_set_it_up_from_every_inbox_url(world):
    a = world["a"]
    client = Client()
    client.force_login(a["reader"])
    for route in inbox_routes():
        url = url_of(route, a["connection"].public_id)
        for response in (client.get(url), client.post(url, {"accept-note": ""})):
            assert response.status_code == 302, url
            target = urlparse(response["Location"])
            assert target.path == MFA_SETUP and parse_qs(target.query)["next"] == [url], url
    assert ConnectionChange.objects.filter(connection=a["connection"], by_service=True).count() == 0
    assert not AuditEvent.objects.filter(actor_id=a["reader"].pk).exists()


@pytest.mark.django_db
def test_a_reader_signed_in_by_password_alone_is_asked_for_a_code(world):
    a = world["a"]
    activate_totp(a["reader"])
    client = Client()
    client.force_login(a["reader"])
    response = client.get(reverse("linkworkers:inbox"))
    assert urlparse(response["Location"]).path == MFA_CODE
    sign_in_with_mfa(client, a["reader"])
    assert client.get(reverse("linkworkers:inbox")).status_code == 200


@pytest.mark.django_db
def test_a_member_who_does_not_read_referrals_is_never_asked_for_two_factor(world):
    user = reader_of(world["a"]["organisation"], receives_referrals=False)
    client = Client()
    client.force_login(user)
    assert client.get(reverse("linkworkers:inbox")).status_code == 403
    page = text_of(client.get(reverse("directory:your_organisations")))
    assert "two-factor" not in page and reverse("linkworkers:inbox") not in page


@pytest.mark.django_db
def test_your_organisations_sends_a_reader_to_two_factor_set_up_then_to_the_inbox(world):
    a = world["a"]
    client = Client()
    client.force_login(a["reader"])
    page = text_of(client.get(reverse("directory:your_organisations")))
    assert f'href="{MFA_SETUP}?next={reverse("linkworkers:inbox")}"' in page
    assert "Set up two-factor authentication to read referrals" in page
    sign_in_with_mfa(client, a["reader"])
    page = text_of(client.get(reverse("directory:your_organisations")))
    assert "Set up two-factor authentication" not in page
    assert f'href="{reverse("linkworkers:inbox")}"' in page and "Referrals from link workers" in page


# Answers, their rules, and the link worker seeing them ----------------------------------------------


def answer(client, connection, name: str, data: dict):
    return client.post(reverse(f"linkworkers:inbox_{name.replace('-', '_')}", args=[connection.public_id]), data,
                       follow=True)


def answers_offered(text: str) -> set[str]:
    buttons = {"accept": "Accept the referral", "decline": "Decline the referral",
               "no_capacity": "Say you have no room", "attendance": "Record attendance"}
    return {name for name, label in buttons.items() if label in text}


@pytest.mark.django_db
def test_accepting_then_recording_attendance(world):
    a = world["a"]
    connection, client = a["connection"], signed_in_client(a["reader"])
    page = text_of(client.get(reverse("linkworkers:inbox_referral", args=[connection.public_id])))
    assert answers_offered(page) == {"accept", "decline", "no_capacity", "attendance"}

    response = answer(client, connection, "accept", {"accept-note": "Starts Tuesday."})
    text = text_of(response)
    assert f"You accepted the referral of {a['person'].given_name}." in text
    connection.refresh_from_db()
    assert connection.status == S.ACCEPTED
    assert answers_offered(text) == {"attendance"}
    change = connection.changes.last()
    assert (change.status, change.by_service, change.recorded_by, change.note) == (
        S.ACCEPTED, True, a["reader"], "Starts Tuesday.")

    text = text_of(answer(client, connection, "attendance", {"attendance-attended": "did_not_attend"}))
    assert "did not come" in text
    text = text_of(answer(client, connection, "attendance", {"attendance-attended": "attended"}))
    assert "You recorded that" in text
    connection.refresh_from_db()
    assert connection.status == S.ATTENDED
    assert [c.status for c in connection.changes.filter(by_service=True)] == [S.ACCEPTED, S.DID_NOT_ATTEND, S.ATTENDED]


@pytest.mark.django_db
def test_a_refused_transition_is_explained_and_changes_nothing(world):
    a = world["a"]
    connection, client = a["connection"], signed_in_client(a["reader"])
    answer(client, connection, "accept", {})
    response = answer(client, connection, "decline", {"decline-reason": DeclineReason.NOT_ELIGIBLE})
    assert response.status_code == 200
    refused = "A connection that is “Accepted by the service” cannot become “Declined by the service”."
    assert refused in text_of(response)
    response = answer(client, connection, "no-capacity", {})
    assert "cannot become “No capacity”" in text_of(response)
    connection.refresh_from_db()
    assert connection.status == S.ACCEPTED
    assert connection.changes.filter(by_service=True).count() == 1


@pytest.mark.django_db
def test_nothing_can_be_recorded_once_the_link_worker_stopped_the_connection(world):
    a = world["a"]
    connections.record_status(connection=a["connection"], actor=Actor(world["worker"]), status=S.STOPPED)
    client = signed_in_client(a["reader"])
    for name, data in [("accept", {}), ("no-capacity", {}), ("attendance", {"attendance-attended": "attended"}),
                       ("decline", {"decline-reason": DeclineReason.NOT_SUITABLE})]:
        text = text_of(answer(client, a["connection"], name, data))
        assert "A connection that is “Stopped” cannot become" in text, name
    assert not a["connection"].changes.filter(by_service=True).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("data, message", [
    ({}, "Select why you are declining the referral"),
    ({"decline-reason": "not-a-reason"}, "Select one of the reasons listed"),
    ({"decline-reason": DeclineReason.OTHER, "decline-note": "  "},
     "Say why you are declining the referral, in a few words"),
])
def test_declining_needs_a_reason_and_a_note_for_another_reason(world, data, message):
    a = world["a"]
    response = answer(signed_in_client(a["reader"]), a["connection"], "decline", data)
    text = text_of(response)
    assert response.status_code == 200
    assert "There is a problem" in text and message in text
    assert f"<title>Error: Referral of {a['person'].given_name}" in text
    a["connection"].refresh_from_db()
    assert a["connection"].status == S.REFERRED


@pytest.mark.django_db
@pytest.mark.parametrize("reason", DeclineReason.values)
def test_declining_records_the_reason_the_link_worker_sees(world, reason):
    a = world["a"]
    note = "We only work with over-65s." if reason == DeclineReason.OTHER else ""
    text = text_of(answer(signed_in_client(a["reader"]), a["connection"], "decline",
                          {"decline-reason": reason, "decline-note": note}))
    assert f"You declined the referral of {a['person'].given_name}." in text
    change = a["connection"].changes.last()
    assert (change.status, change.reason, change.note, change.by_service) == (S.DECLINED, reason, note, True)
    assert DeclineReason(reason).label in text


@pytest.mark.django_db
def test_no_capacity_is_recorded(world):
    a = world["a"]
    text = text_of(answer(signed_in_client(a["reader"]), a["connection"], "no-capacity",
                          {"no_capacity-note": "Full until March."}))
    assert "no room for" in text and "Full until March." in text
    a["connection"].refresh_from_db()
    assert a["connection"].status == S.NO_CAPACITY


@pytest.mark.django_db
def test_attendance_needs_an_answer(world):
    a = world["a"]
    text = text_of(answer(signed_in_client(a["reader"]), a["connection"], "attendance", {}))
    assert "Select whether the person came" in text
    assert not a["connection"].changes.filter(by_service=True).exists()


# The audit trail ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_view_and_answer_is_on_the_persons_audit_trail(world):
    a = world["a"]
    connection, reader, client = a["connection"], a["reader"], signed_in_client(a["reader"])
    client.get(reverse("linkworkers:inbox"))
    listed = audit.trail_for(a["person"]).filter(actor_id=reader.pk, action=AuditEvent.Action.VIEW)
    assert listed.count() == 1
    assert not audit.trail_for(world["b"]["person"]).filter(actor_id=reader.pk).exists()

    client.get(reverse("linkworkers:inbox_referral", args=[connection.public_id]))
    viewed = audit.trail_of(connection).filter(actor_id=reader.pk, action=AuditEvent.Action.VIEW)
    assert viewed.count() == 1
    event = viewed.get()
    assert event.person_public_id == a["person"].public_id and event.record_type == "connection to a service"
    assert reader.email in event.actor_label

    answer(client, connection, "accept", {})
    changed = audit.trail_of(connection).filter(actor_id=reader.pk, action=AuditEvent.Action.CHANGE).get()
    assert changed.detail["by_service"] is True and changed.detail["status"] == S.ACCEPTED
    # The answer's page after the redirect is one more view.
    assert audit.trail_of(connection).filter(actor_id=reader.pk, action=AuditEvent.Action.VIEW).count() == 2


@pytest.mark.django_db
def test_the_organisations_own_figures_are_at_the_top_of_its_inbox(world, settings):
    a = world["a"]
    settings.LINKWORKERS_RESPONSE_FIGURES_MINIMUM = 1
    client = signed_in_client(a["reader"])
    answer(client, a["connection"], "accept", {})
    text = text_of(client.get(reverse("linkworkers:inbox")))
    assert f"How {a['organisation'].title} answers referrals" in text
    assert f"How {world['b']['organisation'].title}" not in text
    assert "100% of referrals received" in text and "Less than a day" in text  # accepted at once
    settings.LINKWORKERS_RESPONSE_FIGURES_MINIMUM = 5
    text = text_of(client.get(reverse("linkworkers:inbox")))
    assert "Too few to show" in text and "100%" not in text


def test_every_inbox_url_is_under_a_prefix_where_the_second_factor_is_enforced(settings):
    # So tests/portal/test_mfa_enforcement.py's walk over every such URL covers the inbox too.
    for route in inbox_routes():
        url = url_of(route, "00000000-0000-0000-0000-000000000000")
        assert url.startswith(tuple(settings.STAFF_URL_PREFIXES)), url


@pytest.mark.django_db
def test_the_inbox_takes_the_same_number_of_queries_however_many_referrals(world):
    from django.db import connection as database
    from django.test.utils import CaptureQueriesContext

    a = world["a"]
    client = signed_in_client(a["reader"])

    def queries() -> int:
        with CaptureQueriesContext(database) as captured:
            assert client.get(reverse("linkworkers:inbox")).status_code == 200
        return len(captured)

    queries()  # the session's first request does its own once-only work
    before = queries()
    for _ in range(3):
        refer(lw.episode(world["team"], worker=world["worker"]), a["service"])
    assert len(inbox.referrals_for(a["reader"])) == 4
    assert queries() == before
