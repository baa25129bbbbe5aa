"""Unmet need: the worker records a need no service could meet, with the person's area as it was then; the person
page lists what is stored, each reason in its own words, and the area stays put when the person moves."""

from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from directory.models import TaxonomyTerm
from linkworkers.audit import Actor
from linkworkers.models import AuditEvent, Person, UnmetNeed, UnmetReason
from linkworkers.services import closure
from linkworkers.services.connections import connect, record_unmet_need
from tests import factories
from tests.factories import linkworkers as lw

from .conftest import signed_in

pytestmark = pytest.mark.django_db

TABLE = "Unmet needs in this episode"


class _TableReader(HTMLParser):
    """The body rows of the table whose region is labelled `label`, each as its cells' text."""

    def __init__(self, label: str):
        super().__init__()
        self.label, self.inside, self.depth, self.rows, self.cell = label, False, 0, [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "div" and attrs.get("aria-label") == self.label:
            self.inside, self.depth = True, 0
        if not self.inside:
            return
        if tag == "div":
            self.depth += 1
        elif tag == "tr":
            self.rows.append([])
        elif tag == "td":
            self.cell = []

    def handle_endtag(self, tag):
        if not self.inside:
            return
        if tag == "td" and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "div":
            self.depth -= 1
            if self.depth == 0:
                self.inside = False

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def unmet_rows(html: str) -> list[list[str]]:
    reader = _TableReader(TABLE)
    reader.feed(html)
    return [row for row in reader.rows if row]  # the header row has no <td>


def person_page(client, person) -> str:
    response = client.get(reverse("linkworkers:person", args=[person.public_id]))
    assert response.status_code == 200
    return response.content.decode()


def new_url(episode, **query) -> str:
    url = reverse("linkworkers:unmet_need_new", args=[episode.public_id])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def term(code: str) -> TaxonomyTerm:
    return TaxonomyTerm.objects.get(code=code)


@pytest.fixture
def episode(team, worker):
    factories.ensure_postcodes("E06000036")  # Bracknell Forest: the gazetteer knows the person's postcode
    return lw.episode(team, worker=worker, given_name="Edith", family_name="Crane", postcode="RG12 7DH")


# --- Recording one ---------------------------------------------------------------------------------

def test_the_area_stored_is_the_area_when_recorded_and_stays_when_the_person_moves(worker_client, episode):
    person = episode.person
    response = worker_client.post(new_url(episode), {
        "need": term("loneliness").pk, "reason": UnmetReason.FULL,
        "note": "The befriending scheme has a three-month waiting list.",
    }, follow=True)
    assert "Unmet need recorded: Loneliness and isolation" in response.content.decode()

    unmet = UnmetNeed.objects.get(episode=episode)
    assert (unmet.postcode_district, unmet.local_authority) == ("RG12", "E06000036")
    assert unmet.recorded_by == episode.link_worker and unmet.goal_thread is None

    # The person moves to Ascot: their record changes, the unmet need recorded before does not.
    details = {"given_name": person.given_name, "family_name": person.family_name, "postcode": "SL5 7RF",
               "gp_practice": person.gp_practice, "preferred_contact_method": "phone", "phone": person.phone}
    assert worker_client.post(reverse("linkworkers:person_edit", args=[person.public_id]), details).status_code == 302
    person.refresh_from_db()
    assert person.postcode == "SL5 7RF"

    unmet.refresh_from_db()
    assert (unmet.postcode_district, unmet.local_authority) == ("RG12", "E06000036")
    page = person_page(worker_client, person)
    (row,) = unmet_rows(page)
    assert row[0] == str(unmet.need) == "Loneliness and isolation"
    assert row[1] == UnmetReason.FULL.label
    # The authority stored as its ONS code, shown by its name.
    assert unmet.local_authority == "E06000036" and row[2] == f"{unmet.postcode_district}, Bracknell Forest"
    assert row[3] == unmet.note
    assert str(episode.link_worker) in row[4]
    assert "SL5" not in row[2]


def test_every_reason_shows_its_own_label(worker, episode):
    need = term("loneliness")
    for reason in UnmetReason:
        record_unmet_need(episode=episode, actor=Actor(worker), need=need, reason=reason,
                          note=f"Note for {reason.value}")

    rows = unmet_rows(person_page(signed_in(worker), episode.person))

    stored = {unmet.note: unmet.get_reason_display() for unmet in UnmetNeed.objects.filter(episode=episode)}
    assert len(rows) == len(UnmetReason) == len(stored)
    assert {row[3]: row[1] for row in rows} == stored
    assert sorted(row[1] for row in rows) == sorted(reason.label for reason in UnmetReason)


@pytest.mark.parametrize("postcode, area", [("", "Area not known"),
                                            ("ZZ99 9ZZ", "ZZ99, local authority not known")])
def test_a_postcode_not_known_still_records_the_need(team, worker, postcode, area):
    episode = lw.episode(team, worker=worker, postcode="RG12 7DH")
    Person.objects.filter(pk=episode.person.pk).update(postcode=postcode)
    client = signed_in(worker)

    response = client.post(new_url(episode), {"need": term("housing").pk, "reason": UnmetReason.NONE_EXISTS})

    assert response.status_code == 302
    unmet = UnmetNeed.objects.get(episode=episode)
    assert unmet.local_authority == "" and unmet.postcode_district == (postcode.split()[0] if postcode else "")
    (row,) = unmet_rows(person_page(client, episode.person))
    assert row[2] == area


def test_a_goal_in_the_address_picks_its_first_need_and_is_stored(worker_client, episode):
    version = lw.plan(episode, goals=("Meet people who speak Polish",))
    goal = version.goals.get()
    goal_needs = [term("loneliness"), term("confidence")]
    goal.needs.set(goal_needs)
    first = goal.needs.all()[0]  # as the plan lists them: "Confidence and skills"
    assert first.code == "confidence"

    form_page = worker_client.get(new_url(episode, goal=goal.thread)).content.decode()
    assert "Meet people who speak Polish" in form_page
    assert f'<option value="{first.pk}" selected>' in form_page

    worker_client.post(new_url(episode, goal=goal.thread),
                       {"need": first.pk, "reason": UnmetReason.LANGUAGE, "note": "No Polish-speaking group nearby."})
    unmet = UnmetNeed.objects.get(episode=episode)
    assert (unmet.goal_thread, unmet.need, unmet.reason) == (goal.thread, first, UnmetReason.LANGUAGE)


@pytest.mark.parametrize("goal", ["not-a-uuid", "8c5e7a8e-1f7a-4d5b-9a53-8a4f6c7d2e10"])
def test_a_goal_that_is_not_the_plans_is_not_found(worker_client, episode, goal):
    lw.plan(episode)
    assert worker_client.get(new_url(episode, goal=goal)).status_code == 404


def test_the_service_that_was_full_can_be_named_from_the_persons_connections(worker, worker_client, episode):
    full = factories.service(name="Tuesday Lunch Club")
    connect(episode=episode, actor=Actor(worker), service=full)

    form_page = worker_client.get(new_url(episode)).content.decode()
    assert "Tuesday Lunch Club" in form_page
    worker_client.post(new_url(episode), {"need": term("loneliness").pk, "reason": UnmetReason.FULL,
                                          "service": full.pk})

    assert UnmetNeed.objects.get(episode=episode).service == full
    other = factories.service(name="Not One Of Theirs")
    refused = worker_client.post(new_url(episode), {"need": term("loneliness").pk, "reason": UnmetReason.FULL,
                                                    "service": other.pk}).content.decode()
    assert "Choose a service from the list, or none" in refused and UnmetNeed.objects.count() == 1
    (row,) = unmet_rows(person_page(worker_client, episode.person))
    assert row[1] == "The service is full: Tuesday Lunch Club"


def test_the_record_is_audited(worker_client, episode):
    worker_client.post(new_url(episode), {"need": term("debt").pk, "reason": UnmetReason.COST})
    unmet = UnmetNeed.objects.get()
    event = AuditEvent.objects.get(record_id=unmet.public_id)
    assert (event.action, event.person_public_id) == (AuditEvent.Action.CREATE, episode.person.public_id)


# --- Refusals ------------------------------------------------------------------------------------

@pytest.mark.parametrize("data, message", [
    ({"reason": UnmetReason.FULL}, "Choose the need that could not be met"),
    ({"need": "loneliness"}, "Choose why the need could not be met"),
    ({"need": "loneliness", "reason": "closed"}, "Choose one of the reasons listed"),
    ({"need": "loneliness", "reason": UnmetReason.OTHER}, "Say why the need could not be met, in a few words"),
    ({"need": "99999999999999999999999", "reason": UnmetReason.FULL}, "Choose a need from the list"),
    ({"need": "9223372036854775808", "reason": UnmetReason.FULL}, "Choose a need from the list"),
    ({"need": "-1", "reason": UnmetReason.FULL}, "Choose a need from the list"),
    ({"need": "abc", "reason": UnmetReason.FULL}, "Choose a need from the list"),
    ({"need": "1.5", "reason": UnmetReason.FULL}, "Choose a need from the list"),
    ({"need": "²", "reason": UnmetReason.FULL}, "Choose a need from the list"),
])
def test_bad_input_is_shown_in_the_error_summary(worker_client, episode, data, message):
    if data.get("need") == "loneliness":
        data = {**data, "need": term("loneliness").pk}
    response = worker_client.post(new_url(episode), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "nhsuk-error-summary" in page and message in page
    assert not UnmetNeed.objects.exists()


def test_a_closed_episode_is_refused_with_a_clear_message(worker, worker_client, episode):
    closure.close_episode(episode=episode, actor=Actor(worker), reason="disengaged", planned=False,
                          note="No reply to calls or letters.")
    episode.refresh_from_db()
    assert not episode.is_open

    shown = worker_client.get(new_url(episode)).content.decode()
    assert "This episode is closed" in shown and "Record unmet need</button>" not in shown
    posted = worker_client.post(new_url(episode), {"need": term("housing").pk, "reason": UnmetReason.FULL})
    assert posted.status_code == 200
    assert "This episode is closed. Reopen it first." in posted.content.decode()
    assert not UnmetNeed.objects.exists()


def test_another_teams_worker_cannot_record_or_see_one(episode):
    outsider = signed_in(lw.member(lw.team()))
    assert outsider.get(new_url(episode)).status_code == 404
    assert outsider.post(new_url(episode), {"need": term("housing").pk, "reason": "full"}).status_code == 404
    assert not UnmetNeed.objects.exists()


# --- The person page -----------------------------------------------------------------------------

def test_the_person_page_says_when_none_are_recorded_and_links_to_the_form(worker_client, episode):
    page = person_page(worker_client, episode.person)
    assert "No unmet needs recorded." in page
    assert new_url(episode) in page


def test_the_person_page_takes_as_many_queries_with_many_unmet_needs_as_with_one(team, worker):
    few, many = (lw.episode(team, worker=worker) for _ in range(2))
    needs = list(TaxonomyTerm.objects.filter(taxonomy__name="Needs", parent__isnull=False)[:4])
    record_unmet_need(episode=few, actor=Actor(worker), need=needs[0], reason=UnmetReason.FULL)
    for n, need in enumerate(needs * 2):
        record_unmet_need(episode=many, actor=Actor(worker), need=need, reason=list(UnmetReason)[n % 7])
    client = signed_in(worker)
    person_page(client, few.person)  # session and MFA lookups settle on the first request

    with CaptureQueriesContext(connection) as small:
        assert len(unmet_rows(person_page(client, few.person))) == 1
    with CaptureQueriesContext(connection) as large:
        assert len(unmet_rows(person_page(client, many.person))) == 8

    assert len(large) == len(small)


# --- The demo caseload ---------------------------------------------------------------------------

def test_the_demo_records_a_few_plausible_unmet_needs(team, worker, supervisor):
    from django.utils import timezone

    from linkworkers.demo import load_caseload_demo
    from linkworkers.models import Contact

    factories.ensure_postcodes("E06000036")
    load_caseload_demo(team=team, worker=worker, supervisor=supervisor)

    recorded = list(UnmetNeed.objects.filter(episode__team=team).select_related("episode__person", "need"))
    assert 4 <= len(recorded) <= 8
    assert {UnmetReason.FULL, UnmetReason.TOO_FAR, UnmetReason.TIMES} <= {unmet.reason for unmet in recorded}
    for unmet in recorded:
        episode, person = unmet.episode, unmet.episode.person
        assert unmet.recorded_by == worker and unmet.note
        assert (unmet.postcode_district, unmet.local_authority) == (person.postcode.split()[0], "E06000036")
        attended = list(Contact.objects.filter(episode=episode, attended=True).order_by("occurred_at"))
        # After the "what matters" meeting, where the plan was made; before the episode closed and before now.
        assert unmet.recorded_at > attended[1].occurred_at, unmet
        assert unmet.recorded_at < (episode.closed_at or timezone.now())
        goals = {goal.thread: goal for version in episode.care_plan.versions.all() for goal in version.goals.all()}
        assert unmet.need in goals[unmet.goal_thread].needs.all(), unmet  # the need of the goal it was for
