"""The person page: what it shows, its one VIEW event, its constant query count, and who may reach each record URL."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from linkworkers.audit import Actor
from linkworkers.services import break_glass, episodes, triage
from linkworkers.models import Action, AuditEvent, Contact, Episode, Person, Rag, RagChange, Tier
from portal.roles import Role
from tests.factories import linkworkers as lw

from .conftest import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def episode(team, worker):
    return lw.episode(team, worker=worker, given_name="Margaret", family_name="Okafor")


def person_url(person):
    return reverse("linkworkers:person", args=[person.public_id])


def views_of(person):
    return AuditEvent.objects.filter(record_id=person.public_id, action=AuditEvent.Action.VIEW)


def contact(episode, by, *, days_ago=1, attended=True, mode=Contact.Mode.PHONE, note="Talked about the walking group."):
    return episodes.record_contact(
        episode=episode, actor=Actor(by), occurred_at=timezone.now() - timedelta(days=days_ago), mode=mode,
        duration_minutes=30, attended=attended, note=note,
    )


# --- What the page shows ------------------------------------------------------------------------

def test_the_page_shows_the_persons_details(worker_client, episode, worker):
    person = episode.person
    episodes.update_person(person=person, actor=Actor(worker),
                           changes={"preferred_name": "Maggie", "email": "m@example.org"})
    response = worker_client.get(person_url(person))

    assert response.status_code == 200
    text = response.content.decode()
    assert "Margaret Okafor" in text
    assert "Likes to be called Maggie" in text
    born, today = person.date_of_birth, timezone.localdate()
    age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    assert f"{born.day} {born:%B %Y} (age {age})" in text
    n = person.nhs_number
    assert f"{n[:3]} {n[3:6]} {n[6:]}" in text
    assert person.postcode in text
    assert person.phone in text
    assert "m@example.org" in text
    assert "Phone call" in text  # preferred contact method
    assert "Forest Health Centre" in text


def test_the_page_shows_the_current_episode_with_its_figures(worker_client, episode, worker):
    episodes.set_rag(episode=episode, rag=Rag.AMBER, reason="Carer has gone into hospital", actor=Actor(worker))
    episodes.update_tier_and_next_contact(episode=episode, actor=Actor(worker), tier=Tier.FOLLOW_UP,
                                 next_contact_on=timezone.localdate() + timedelta(days=7))
    contact(episode, worker, days_ago=1)
    contact(episode, worker, days_ago=0, attended=False, note="No answer.")
    episodes.add_action(episode=episode, actor=Actor(worker), description="Send the lunch club leaflet",
                        due_on=timezone.localdate() - timedelta(days=2))
    episodes.add_action(episode=episode, actor=Actor(worker), description="Book the befriender visit",
                        due_on=timezone.localdate() + timedelta(days=5))

    text = worker_client.get(person_url(episode.person)).content.decode()

    assert "Follow-up" in text
    assert ">Amber</strong>" in text  # RAG said in words, not only colour
    assert "Carer has gone into hospital" in text  # RAG history
    assert "At acceptance" in text
    assert str(worker) in text
    assert "1 (usually 6 to 12)" in text  # contacts the person took part in
    assert (timezone.localdate() + timedelta(days=7)).strftime("%B") in text
    assert "Within the 3-day target" in text
    assert "Talked about the walking group." in text and "No answer." in text
    assert "Send the lunch club leaflet" in text
    assert text.count(">Overdue</strong>") == 1  # only the action past its date
    assert "Lonely since moving here." in text  # the referral's reasons
    assert "Dr Jo Smith" in text


def test_first_contact_not_made_after_three_days_is_overdue(worker_client, team, worker):
    referral = lw.referral(team)
    type(referral).objects.filter(pk=referral.pk).update(received_at=timezone.now() - timedelta(days=4))
    referral.refresh_from_db()
    episode = triage.accept_referral(referral=referral, actor=Actor(lw.supervisor(team)), link_worker=worker)

    text = worker_client.get(person_url(episode.person)).content.decode()

    assert "Not yet: due by" in text
    assert ">Overdue</strong>" in text


def test_the_page_writes_one_view_event(worker_client, episode, worker):
    person = episode.person
    before = views_of(person).count()

    worker_client.get(person_url(person))

    events = views_of(person)
    assert events.count() == before + 1
    event = events.first()
    assert event.actor_id == worker.pk
    assert event.what == "person page"
    assert event.path == person_url(person)


def test_the_page_has_links_to_the_summary_and_for_supervisors_the_audit_trail(supervisor_client, worker_client,
                                                                               episode):
    summary = reverse("linkworkers:summary", args=[episode.public_id, "acceptance"])
    trail = reverse("linkworkers:audit_trail", args=[episode.person.public_id])

    as_supervisor = supervisor_client.get(person_url(episode.person)).content.decode()
    as_worker = worker_client.get(person_url(episode.person)).content.decode()

    assert summary in as_supervisor and summary in as_worker
    assert trail in as_supervisor
    assert trail not in as_worker


def test_the_query_count_does_not_grow_with_contacts_or_actions(worker_client, team, worker):
    few, many = lw.episode(team, worker=worker), lw.episode(team, worker=worker)
    for days_ago in range(2):
        contact(few, worker, days_ago=days_ago)
    episodes.add_action(episode=few, actor=Actor(worker), description="One thing", due_on=timezone.localdate())
    for days_ago in range(20):
        contact(many, worker, days_ago=days_ago)
        episodes.set_rag(episode=many, rag=[Rag.RED, Rag.AMBER][days_ago % 2], reason="Changes", actor=Actor(worker))
    for n in range(10):
        episodes.add_action(episode=many, actor=Actor(worker), description=f"Thing {n}", due_on=timezone.localdate())
    known = many.person  # a second referral of the same person
    assert lw.referral(team, nhs_number=known.nhs_number, given_name=known.given_name, family_name=known.family_name,
                       date_of_birth=known.date_of_birth).person == known
    worker_client.get(person_url(few.person))  # session and MFA lookups settle on the first request

    with CaptureQueriesContext(connection) as small:
        assert worker_client.get(person_url(few.person)).status_code == 200
    with CaptureQueriesContext(connection) as large:
        assert worker_client.get(person_url(many.person)).status_code == 200

    assert len(large) == len(small)


# --- Changes from the page: details, RAG, plan, actions -----------------------------------------

def test_editing_details_saves_them_normalised(worker_client, episode):
    person = episode.person
    number = lw.valid_nhs_number(9001)
    data = {
        "given_name": "Margaret", "family_name": "Okafor-Reid", "preferred_name": "Maggie",
        "date_of_birth": "1948-05-02", "nhs_number": f"{number[:3]} {number[3:6]} {number[6:]}",
        "postcode": "rg12 1aa", "address": "", "phone": "01344 000000", "email": "",
        "preferred_contact_method": "letter", "gp_practice": "Forest Health Centre",
    }

    response = worker_client.post(reverse("linkworkers:person_edit", args=[person.public_id]), data, follow=True)

    assert "Details saved" in response.content.decode()
    person.refresh_from_db()
    assert (person.family_name, person.nhs_number, person.postcode, person.preferred_contact_method) == (
        "Okafor-Reid", number, "RG12 1AA", "letter"
    )
    changed = AuditEvent.objects.filter(record_id=person.public_id, what="details changed").get()
    assert set(changed.detail["fields"]) >= {"family_name", "nhs_number", "preferred_name"}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("nhs_number", "943 476 5918", "this one fails the NHS check"),
        ("nhs_number", "12345", "NHS number must be 10 digits"),
        ("postcode", "not a postcode", "Enter a full UK postcode, like RG12 1AA"),
    ],
)
def test_editing_details_refuses_a_wrong_nhs_number_or_postcode(worker_client, episode, field, value, message):
    person = episode.person
    data = {"given_name": person.given_name, "family_name": person.family_name, field: value}

    response = worker_client.post(reverse("linkworkers:person_edit", args=[person.public_id]), data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert Person.objects.get(pk=person.pk).nhs_number == person.nhs_number
    assert Person.objects.get(pk=person.pk).postcode == person.postcode


def test_changing_the_rag_status_is_kept_in_its_history(worker_client, episode):
    url = reverse("linkworkers:rag", args=[episode.public_id])

    response = worker_client.post(url, {"rag": "red", "reason": "Eviction notice"}, follow=True)

    assert "RAG status changed to red" in response.content.decode()
    assert "Eviction notice" in response.content.decode()
    assert Episode.objects.get(pk=episode.pk).rag == Rag.RED
    assert RagChange.objects.filter(episode=episode).count() == 2
    same = worker_client.post(url, {"rag": "red", "reason": "Still"})
    assert "already red" in same.content.decode()


def test_changing_tier_and_next_contact(worker_client, episode):
    next_week = timezone.localdate() + timedelta(days=7)

    worker_client.post(reverse("linkworkers:tier_and_next_contact", args=[episode.public_id]),
                       {"tier": "follow_up", "next_contact_on": next_week.isoformat()})

    episode.refresh_from_db()
    assert (episode.tier, episode.next_contact_on) == (Tier.FOLLOW_UP, next_week)
    past = worker_client.post(reverse("linkworkers:tier_and_next_contact", args=[episode.public_id]),
                              {"tier": "plan", "next_contact_on": "2020-01-01"})
    assert "must be today or later" in past.content.decode()


def test_adding_an_action_and_marking_it_done(worker_client, episode):
    due = timezone.localdate() + timedelta(days=3)
    worker_client.post(reverse("linkworkers:action_new", args=[episode.public_id]),
                       {"description": "Ring the lunch club", "due_on": due.isoformat()})
    action = Action.objects.get(episode=episode)
    assert (action.description, action.due_on) == ("Ring the lunch club", due)

    response = worker_client.post(reverse("linkworkers:action_done", args=[action.pk]), follow=True)

    assert "Action done: Ring the lunch club" in response.content.decode()
    assert Action.objects.get(pk=action.pk).done_at is not None
    assert worker_client.get(reverse("linkworkers:action_done", args=[action.pk])).status_code == 405


# --- Who reaches each URL -----------------------------------------------------------------------

def record_urls(episode, action) -> list[str]:
    person, e = episode.person.public_id, episode.public_id
    return [
        reverse("linkworkers:person", args=[person]),
        reverse("linkworkers:person_edit", args=[person]),
        reverse("linkworkers:carers", args=[person]),
        reverse("linkworkers:safeguarding_new", args=[person]),
        reverse("linkworkers:contact_new", args=[e]),
        reverse("linkworkers:rag", args=[e]),
        reverse("linkworkers:tier_and_next_contact", args=[e]),
        reverse("linkworkers:action_new", args=[e]),
        reverse("linkworkers:action_done", args=[action.pk]),
        reverse("linkworkers:close", args=[e]),
        reverse("linkworkers:sign_off", args=[e]),
        reverse("linkworkers:reopen", args=[e]),
    ]


# What a careless view would store if it let the post through.
ANYTHING = {
    "given_name": "Changed", "family_name": "Changed", "occurred_on": "2026-01-01", "occurred_time": "10:00",
    "mode": "phone", "duration_minutes": "10", "attended": "yes", "rag": "red", "reason": "goals_met",
    "planned": "planned", "tier": "signpost", "description": "Changed", "due_on": "2030-01-01",
    "approve": "approve", "immediate_risk": "no", "form": "status", "status-is_carer": "on",
}


@pytest.fixture
def record_of_team_b():
    team_b = lw.team()
    episode = lw.episode(team_b)
    action = episodes.add_action(episode=episode, actor=Actor(episode.link_worker), description="Theirs",
                                 due_on=timezone.localdate())
    return episode, action


def assert_untouched(episode, action):
    person = Person.objects.get(pk=episode.person.pk)
    assert person.given_name != "Changed" and not person.is_carer
    assert not Contact.objects.filter(episode=episode).exists()
    assert Action.objects.get(pk=action.pk).done_at is None
    assert Episode.objects.get(pk=episode.pk).rag == episode.rag
    assert not AuditEvent.objects.filter(record_id=person.public_id, action=AuditEvent.Action.VIEW).exists()


def test_a_worker_of_another_team_gets_404_on_every_record_url(worker_client, record_of_team_b):
    episode, action = record_of_team_b
    for url in record_urls(episode, action):
        assert worker_client.get(url).status_code == 404, url
        assert worker_client.post(url, ANYTHING).status_code == 404, url
    assert_untouched(episode, action)


def test_a_supervisor_of_another_team_gets_404_on_every_record_url(supervisor_client, record_of_team_b):
    episode, action = record_of_team_b
    for url in record_urls(episode, action):
        assert supervisor_client.get(url).status_code == 404, url
        assert supervisor_client.post(url, ANYTHING).status_code == 404, url
    assert_untouched(episode, action)


@pytest.mark.parametrize("role", [Role.COMMISSIONER, Role.SITE_ADMIN])
def test_commissioners_and_site_admins_get_404_on_every_record_url(make_user, record_of_team_b, role):
    episode, action = record_of_team_b
    client = signed_in(make_user(role))
    for url in record_urls(episode, action):
        assert client.get(url).status_code == 404, url
        assert client.post(url, ANYTHING).status_code == 404, url
    assert_untouched(episode, action)


def test_break_glass_reads_the_page_but_changes_nothing(make_user, record_of_team_b):
    episode, action = record_of_team_b
    commissioner = make_user(Role.COMMISSIONER)
    break_glass.grant_break_glass(actor=Actor(commissioner), person=episode.person,
                                  reason="Coroner's request for the record")
    client = signed_in(commissioner)

    page = client.get(person_url(episode.person))

    assert page.status_code == 200
    assert "break-glass access" in page.content.decode()
    assert reverse("linkworkers:person_edit", args=[episode.person.public_id]) not in page.content.decode()
    for url in record_urls(episode, action)[1:]:
        assert client.post(url, ANYTHING).status_code == 404, url
