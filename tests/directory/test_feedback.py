"""Public feedback: problem reports and suggestions reach the moderation queue and the right people; spam is held
back; forms keep what was typed; an organisation's editors see only their own organisation's reports."""

import pytest
from django.core.cache import cache

from directory.feedback import report_problem
from directory.models import ActivitySuggestion, OrganisationMembership, ProblemReport
from directory.models.feedback import FeedbackStatus, HeldBackReason
from directory.services import add_member
from portal.roles import Role
from tests.factories import UserFactory, organisation, service, user_with_role
from tests.mfa import sign_in_with_mfa

REPORT = {"kind": "closed", "details": "The hall is shut for repairs until May.", "reporter_email": "",
          "website": ""}
SUGGESTION = {"name": "Crowthorne Men's Shed", "description": "Woodwork and a cuppa on Thursday mornings.",
              "where": "Crowthorne", "organiser": "", "suggester_email": "", "website": ""}


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(db):
    org_a = organisation(name="Ascot Friendship Club", email="club@ascot.example")
    org_b = organisation(name="Bracknell Boxing Club")
    editor_a, manager_a = UserFactory(email="anna@example.org"), UserFactory(email="alan@example.org")
    add_member(organisation=org_a, user=editor_a, role=OrganisationMembership.Role.EDITOR)
    add_member(organisation=org_a, user=manager_a, role=OrganisationMembership.Role.MANAGER)
    editor_b = UserFactory(email="bea@example.org")
    add_member(organisation=org_b, user=editor_b)
    return {"org_a": org_a, "org_b": org_b, "editor_a": editor_a, "manager_a": manager_a, "editor_b": editor_b,
            "service_a": service(org_a, name="Friendship lunch"),
            "service_b": service(org_b, name="Boxing for over-50s")}


def report_url(listing) -> str:
    return f"/services/{listing.public_id}/report/"


def post_report(client, listing, data=None, ip="203.0.113.7", capture=None):
    data = {**REPORT, **(data or {})}
    if capture is None:
        return client.post(report_url(listing), data, REMOTE_ADDR=ip)
    with capture(execute=True):
        return client.post(report_url(listing), data, REMOTE_ADDR=ip)


# --- Reporting a problem ----------------------------------------------------------------------

def test_the_report_form_asks_what_is_wrong(client, world):
    response = client.get(report_url(world["service_a"]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Report a problem with this listing" in body and "Friendship lunch" in body
    for label in ("Some details are wrong", "It has closed or stopped running", "It is not available in my area",
                  "Something else"):
        assert label in body
    assert 'class="nhsuk-radios__input" type="radio" name="kind"' in body
    # The honeypot: out of sight, out of the accessibility tree and the tab order, never autofilled.
    assert '<div class="nhsuk-u-visually-hidden" aria-hidden="true">' in body
    assert 'tabindex="-1"' in body and 'autocomplete="off"' in body and "Leave this field empty" in body


def test_a_valid_report_is_queued_and_the_organisation_told(client, world, mailoutbox,
                                                             django_capture_on_commit_callbacks):
    response = post_report(client, world["service_a"], {"reporter_email": "resident@example.org"},
                           capture=django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert response["Location"] == f"/services/{world['service_a'].public_id}/report/thank-you/"
    thanks = client.get(response["Location"])
    assert thanks.status_code == 200 and "Thank you for your report" in thanks.content.decode()

    report = ProblemReport.objects.get()
    assert (report.service_id, report.kind, report.details, report.reporter_email, report.status) == (
        world["service_a"].pk, "closed", REPORT["details"], "resident@example.org", FeedbackStatus.NEW)
    assert sorted(a for m in mailoutbox for a in m.to) == ["alan@example.org", "anna@example.org"]
    message = mailoutbox[0]
    assert message.subject == "Someone reported a problem with Friendship lunch"
    assert "It has closed or stopped running" in message.body and REPORT["details"] in message.body
    assert f"/admin/problem-reports/edit/{report.pk}/" in message.body


def test_a_rejected_report_keeps_everything_typed(client, world, mailoutbox):
    response = post_report(client, world["service_a"], {"kind": "", "details": "Moved to the library <b>hall</b>",
                                                         "reporter_email": "not-an-email"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "<title>Error: " in body
    assert "There is a problem" in body and 'class="nhsuk-error-summary"' in body
    assert '<a href="#id_kind_0">Select what the problem is</a>' in body
    assert '<a href="#id_reporter_email">Enter an email address in the correct format' in body
    assert "Moved to the library &lt;b&gt;hall&lt;/b&gt;</textarea>" in body
    assert 'value="not-an-email"' in body
    assert ProblemReport.objects.count() == 0 and mailoutbox == []

    response = post_report(client, world["service_a"], {"kind": "wrong_details", "details": ""})
    body = response.content.decode()
    assert '<a href="#id_details">Tell us more about the problem</a>' in body
    assert 'id="id_kind_0" value="wrong_details" checked' in body


def test_unpublished_listings_cannot_be_reported(client, world):
    world["service_b"].unpublish()
    assert client.get(report_url(world["service_b"])).status_code == 404
    assert post_report(client, world["service_b"]).status_code == 404


def test_a_filled_honeypot_is_held_back_silently(client, world, mailoutbox, django_capture_on_commit_callbacks):
    response = post_report(client, world["service_a"], {"website": "https://cheap-pills.example"},
                           capture=django_capture_on_commit_callbacks)
    assert response.status_code == 302 and response["Location"].endswith("/report/thank-you/")
    report = ProblemReport.objects.get()
    assert report.status == FeedbackStatus.HELD and report.held_back_reason == HeldBackReason.HONEYPOT
    assert mailoutbox == []


def test_the_rate_limit_holds_back_then_drops(client, world, mailoutbox, settings,
                                              django_capture_on_commit_callbacks):
    settings.FEEDBACK_RATE_LIMIT = 3
    for _ in range(3):
        assert post_report(client, world["service_a"], capture=django_capture_on_commit_callbacks).status_code == 302
    assert ProblemReport.objects.filter(status=FeedbackStatus.NEW).count() == 3
    assert len(mailoutbox) == 3 * 2

    # Over the limit: still thanked, stored for moderators, nobody emailed.
    for _ in range(3):
        assert post_report(client, world["service_a"], capture=django_capture_on_commit_callbacks).status_code == 302
    held = ProblemReport.objects.filter(status=FeedbackStatus.HELD)
    assert held.count() == 3 and set(held.values_list("held_back_reason", flat=True)) == {"rate_limit"}
    assert len(mailoutbox) == 6

    # Past twice the limit: dropped, so one address cannot fill the database.
    response = post_report(client, world["service_a"], capture=django_capture_on_commit_callbacks)
    assert response.status_code == 302 and ProblemReport.objects.count() == 6

    # Someone else, elsewhere, is not affected.
    post_report(client, world["service_a"], ip="198.51.100.20", capture=django_capture_on_commit_callbacks)
    assert ProblemReport.objects.filter(status=FeedbackStatus.NEW).count() == 4


def test_the_limit_is_per_period(world, settings):
    settings.FEEDBACK_RATE_LIMIT = 1
    first = report_problem(service=world["service_a"], kind="other", details="x", client_ip="192.0.2.1")
    second = report_problem(service=world["service_a"], kind="other", details="y", client_ip="192.0.2.1")
    assert (first.status, second.status) == (FeedbackStatus.NEW, FeedbackStatus.HELD)
    cache.clear()  # the period is over
    third = report_problem(service=world["service_a"], kind="other", details="z", client_ip="192.0.2.1")
    assert third.status == FeedbackStatus.NEW


def test_an_organisation_without_members_is_told_at_its_own_address(client, db, mailoutbox,
                                                                    django_capture_on_commit_callbacks):
    org = organisation(name="Owlsmoor Book Club", email="books@owlsmoor.example")
    club = service(org, name="Monthly book club")
    post_report(client, club, capture=django_capture_on_commit_callbacks)
    assert [m.to for m in mailoutbox] == [["books@owlsmoor.example"]]


# --- Suggesting an activity -------------------------------------------------------------------

def test_a_suggestion_is_queued_and_moderators_told(client, world, mailoutbox, django_capture_on_commit_callbacks):
    moderator = user_with_role(Role.MODERATOR, email="mo@example.org")
    assert client.get("/suggest-an-activity/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/suggest-an-activity/", SUGGESTION, REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 302 and response["Location"] == "/suggest-an-activity/thank-you/"
    assert "Thank you for your suggestion" in client.get(response["Location"]).content.decode()
    suggestion = ActivitySuggestion.objects.get()
    assert (suggestion.name, suggestion.where, suggestion.status) == (SUGGESTION["name"], "Crowthorne", "new")
    assert [m.to for m in mailoutbox] == [[moderator.email]]
    assert "Crowthorne Men's Shed" in mailoutbox[0].subject


def test_a_rejected_suggestion_keeps_everything_typed(client, world):
    response = client.post("/suggest-an-activity/", {**SUGGESTION, "name": "", "suggester_email": "me@"})
    body = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in body
    assert '<a href="#id_name">Enter the name of the activity or group</a>' in body
    assert "Woodwork and a cuppa on Thursday mornings.</textarea>" in body
    assert 'value="Crowthorne"' in body and 'value="me@"' in body
    assert ActivitySuggestion.objects.count() == 0


def test_a_suggestion_with_the_honeypot_filled_is_held(client, world, mailoutbox, django_capture_on_commit_callbacks):
    user_with_role(Role.MODERATOR)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/suggest-an-activity/", {**SUGGESTION, "website": "spam"})
    assert ActivitySuggestion.objects.get().status == FeedbackStatus.HELD and mailoutbox == []


# --- The moderation queue in the admin -------------------------------------------------------

@pytest.fixture
def reports(world):
    make = lambda listing, status=FeedbackStatus.NEW, **extra: ProblemReport.objects.create(  # noqa: E731
        service=listing, kind="wrong_details", details=f"Wrong phone number for {listing.title}", status=status,
        **extra)
    return {"a": make(world["service_a"]), "b": make(world["service_b"]),
            "a_held": make(world["service_a"], FeedbackStatus.HELD, held_back_reason="honeypot")}


QUEUE = "/admin/problem-reports/"


def edit_url(report) -> str:
    return f"{QUEUE}edit/{report.pk}/"


def test_an_editor_sees_only_their_own_organisations_reports(client, world, reports):
    client.force_login(world["editor_a"])
    response = client.get(QUEUE)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Friendship lunch" in body
    assert "Boxing for over-50s" not in body
    assert edit_url(reports["a"]) in body and edit_url(reports["b"]) not in body
    assert edit_url(reports["a_held"]) not in body  # spam is for moderators
    assert client.get(QUEUE + "?status=held").content.decode().count(edit_url(reports["a_held"])) == 0


def test_an_editor_cannot_open_or_change_another_organisations_report_by_url(client, world, reports):
    client.force_login(world["editor_a"])
    other = reports["b"]
    assert client.get(edit_url(other)).status_code == 404
    response = client.post(edit_url(other), {"status": "dismissed", "resolution_note": "Not ours"})
    assert response.status_code == 404
    other.refresh_from_db()
    assert (other.status, other.resolution_note, other.moderated_by) == ("new", "", None)
    assert client.get(edit_url(reports["a_held"])).status_code == 404


def test_an_editor_resolves_their_own_report_with_a_note(client, world, reports):
    client.force_login(world["editor_a"])
    form = client.get(edit_url(reports["a"]))
    assert form.status_code == 200
    body = form.content.decode()
    assert "Wrong phone number for Friendship lunch" in body
    assert 'value="held"' not in body  # only moderators hold things back
    response = client.post(edit_url(reports["a"]), {"status": "resolved", "resolution_note": "Number updated."})
    assert response.status_code == 302
    report = ProblemReport.objects.get(pk=reports["a"].pk)
    assert (report.status, report.resolution_note, report.moderated_by) == ("resolved", "Number updated.",
                                                                             world["editor_a"])
    assert report.moderated_at is not None


def test_an_editor_sees_no_suggestions(client, world):
    ActivitySuggestion.objects.create(name="Secret suggestion", description="-")
    client.force_login(world["editor_a"])
    response = client.get("/admin/activity-suggestions/")
    assert response.status_code in (302, 403)
    assert "Secret suggestion" not in response.content.decode()


def test_people_outside_any_organisation_see_no_reports(client, world, reports):
    resident = user_with_role(Role.VCS_EDITOR)  # a member of some other organisation only
    client.force_login(resident)
    body = client.get(QUEUE).content.decode()
    assert edit_url(reports["a"]) not in body and edit_url(reports["b"]) not in body
    assert client.get(edit_url(reports["a"])).status_code == 404


def test_moderators_see_everything_and_can_release_held_reports(client, world, reports):
    moderator = user_with_role(Role.MODERATOR)
    sign_in_with_mfa(client, moderator)
    body = client.get(QUEUE).content.decode()
    assert edit_url(reports["a"]) in body and edit_url(reports["b"]) in body
    assert edit_url(reports["a_held"]) not in body  # held back unless asked for
    assert edit_url(reports["a_held"]) in client.get(QUEUE + "?status=held").content.decode()
    response = client.post(edit_url(reports["b"]), {"status": "dismissed", "resolution_note": "Duplicate."})
    assert response.status_code == 302
    assert ProblemReport.objects.get(pk=reports["b"].pk).status == "dismissed"
    suggestion = ActivitySuggestion.objects.create(name="Bracknell Repair Café", description="Fixing things")
    assert "Bracknell Repair Café" in client.get("/admin/activity-suggestions/").content.decode()
    response = client.post(f"/admin/activity-suggestions/edit/{suggestion.pk}/",
                           {"status": "resolved", "resolution_note": "Invited them to list it."})
    assert response.status_code == 302
    assert ActivitySuggestion.objects.get(pk=suggestion.pk).status == "resolved"


def test_releasing_a_held_report_tells_the_organisation(client, world, reports, mailoutbox,
                                                        django_capture_on_commit_callbacks):
    moderator = user_with_role(Role.MODERATOR)
    sign_in_with_mfa(client, moderator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(edit_url(reports["a_held"]), {"status": "new", "resolution_note": "Not spam."})
    assert response.status_code == 302
    assert ProblemReport.objects.get(pk=reports["a_held"].pk).status == "new"
    assert sorted(a for m in mailoutbox for a in m.to) == ["alan@example.org", "anna@example.org"]
