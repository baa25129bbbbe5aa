"""Listing freshness: review reminders with time moved forward, deprioritisation, and the one-click link.

Time moves by passing `now` to the services; the reminders are sent as beat would, by a daily run.
"""

import re
from datetime import date, datetime, time, timedelta

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

import directory.signals  # noqa: F401  (DirectoryConfig.ready() connects it too; importing twice is harmless)
from directory.freshness import (
    _advance,
    due_reminders,
    is_deprioritised,
    mark_reviewed,
    send_due_reminders,
    still_correct_token,
)
from directory.models import ListingFreshness, OrganisationMembership, Service
from directory.services import add_member
from directory.tasks import send_listing_reminders
from portal.roles import Role
from tests.directory.admin_forms import form_data
from tests.factories import UserFactory, organisation, service, user_with_role
from tests.mfa import sign_in_with_mfa

EDITOR, MANAGER = OrganisationMembership.Role.EDITOR, OrganisationMembership.Role.MANAGER
LINK = re.compile(r"https?://\S+(/listings/still-correct/[^/\s]+/)")


def at(day: date) -> datetime:
    """Half past eight in the morning, local time, on `day`: when beat runs the reminders."""
    return timezone.make_aware(datetime.combine(day, time(8, 30)))


def days(n: int) -> timedelta:
    return timedelta(days=n)


GAP = days(settings.LISTING_REMINDER_INTERVAL_DAYS)


@pytest.fixture
def listing(db):
    org = organisation(name="Sandhurst Walking Friends", email="hello@sandhurst-walkers.example")
    editor, manager = UserFactory(email="eddie@example.org"), UserFactory(email="mandy@example.org")
    add_member(organisation=org, user=editor, role=EDITOR)
    add_member(organisation=org, user=manager, role=MANAGER)
    walk = service(org, name="Tuesday health walk")
    reviewed = timezone.now() - days(1)
    freshness = mark_reviewed(walk, now=reviewed)
    return {"service": walk, "organisation": org, "editor": editor, "manager": manager, "freshness": freshness,
            "reviewed": reviewed}


def freshness_of(listing) -> ListingFreshness:
    return ListingFreshness.objects.get(service=listing["service"])


def recipients(messages) -> list[str]:
    return sorted(address for message in messages for address in message.to)


def still_correct_path(message) -> str:
    return LINK.search(message.body).group(1)


def test_review_falls_due_after_the_interval(listing):
    freshness = listing["freshness"]
    expected = timezone.localdate(listing["reviewed"] + days(settings.LISTING_REVIEW_INTERVAL_DAYS))
    assert freshness.review_by == expected
    assert settings.LISTING_REVIEW_INTERVAL_DAYS == 183  # about six months, unless configured otherwise
    assert (freshness.reminders_sent, freshness.last_reminder_at, freshness.deprioritised_at) == (0, None, None)


def test_the_whole_reminder_sequence_then_deprioritisation(listing, mailoutbox):
    due = listing["freshness"].review_by
    reviewed_on = timezone.localdate(listing["reviewed"]).strftime("%-d %B %Y")

    # Not a day early.
    assert send_due_reminders(now=at(due - days(1))) == {"reminders": 0, "deprioritised": 0}
    assert mailoutbox == []

    # 1: on the review date, to the editors.
    assert send_due_reminders(now=at(due)) == {"reminders": 1, "deprioritised": 0}
    assert recipients(mailoutbox) == ["eddie@example.org"]
    first = mailoutbox[0]
    assert first.subject == "Please check your listing: Tuesday health walk"
    assert "/listings/still-correct/" in first.body
    assert f"/admin/pages/{listing['service'].pk}/edit/" in first.body

    # Beat running again, the same day or the next ones, sends nothing more.
    for later in (at(due), at(due) + timedelta(hours=5), at(due + days(1)), at(due + GAP - days(1))):
        assert send_due_reminders(now=later)["reminders"] == 0
    assert len(mailoutbox) == 1

    # 2: after the gap, to editors and managers.
    mailoutbox.clear()
    assert send_due_reminders(now=at(due + GAP))["reminders"] == 1
    assert recipients(mailoutbox) == ["eddie@example.org", "mandy@example.org"]
    assert {m.subject for m in mailoutbox} == {"Reminder: please check your listing: Tuesday health walk"}
    assert send_due_reminders(now=at(due + GAP))["reminders"] == 0

    # 3: after another gap, to the managers, in stronger words.
    mailoutbox.clear()
    assert send_due_reminders(now=at(due + 2 * GAP))["reminders"] == 1
    assert recipients(mailoutbox) == ["mandy@example.org"]
    final = mailoutbox[0]
    assert final.subject == "Final reminder: Tuesday health walk will move down search results"
    assert "Action needed by" in final.body and "you manage the organisation's listings" in final.body
    sinks_on = (due + 3 * GAP).strftime("%-d %B %Y")
    assert f"Action needed by {sinks_on}" in final.body
    assert f'labelled "not reviewed since {reviewed_on}"' in final.body

    # Unanswered: a day short of the gap it is still ranked normally...
    mailoutbox.clear()
    assert send_due_reminders(now=at(due + 3 * GAP - days(1))) == {"reminders": 0, "deprioritised": 0}
    assert not is_deprioritised(Service.objects.get(pk=listing["service"].pk))

    # ...then it sinks, without another email.
    assert send_due_reminders(now=at(due + 3 * GAP)) == {"reminders": 0, "deprioritised": 1}
    assert mailoutbox == []
    walk = Service.objects.get(pk=listing["service"].pk)
    assert is_deprioritised(walk)
    freshness = freshness_of(listing)
    assert freshness.reminders_sent == 3 and freshness.deprioritised_at == at(due + 3 * GAP)

    # Nothing more, ever, until someone reviews it.
    assert send_due_reminders(now=at(due + 20 * GAP)) == {"reminders": 0, "deprioritised": 0}
    assert mailoutbox == []

    # Still visible, and labelled.
    assert Service.objects.live().public().filter(pk=walk.pk).exists()
    label = render_to_string("directory/includes/freshness_label.html", {"service": walk})
    assert f"Not reviewed since {reviewed_on}" in label
    assert "nhsuk-tag" in label


def test_the_label_shows_nothing_for_a_fresh_listing_or_one_without_a_record(listing):
    assert render_to_string("directory/includes/freshness_label.html", {"service": listing["service"]}).strip() == ""
    ListingFreshness.objects.filter(service=listing["service"]).delete()
    walk = Service.objects.get(pk=listing["service"].pk)
    assert render_to_string("directory/includes/freshness_label.html", {"service": walk}).strip() == ""
    assert not is_deprioritised(walk)


def test_two_runs_at_once_send_each_reminder_once(listing, mailoutbox):
    now = at(listing["freshness"].review_by)
    # Both runs found the listing due before either sent anything...
    seen_by_both = list(due_reminders(now=now).values_list("pk", flat=True))
    assert seen_by_both == [listing["freshness"].pk]
    # ...the first sends the reminder; the second finds it already claimed.
    assert [_advance(pk, now=now) for pk in seen_by_both] == [1]
    assert [_advance(pk, now=now) for pk in seen_by_both] == [None]
    assert len(mailoutbox) == 1
    assert freshness_of(listing).reminders_sent == 1


def test_organisation_without_members_is_reminded_at_its_own_address(db, mailoutbox):
    org = organisation(name="Binfield Knit and Natter", email="knit@binfield.example")
    knitting = service(org, name="Knit and natter")
    due = mark_reviewed(knitting, now=timezone.now()).review_by
    send_due_reminders(now=at(due))
    assert recipients(mailoutbox) == ["knit@binfield.example"]


def test_no_one_to_remind_is_logged_and_the_listing_still_sinks(db, mailoutbox, caplog):
    org = organisation(name="Warfield Allotment Society")
    allotment = service(org, name="Open allotment day")
    due = mark_reviewed(allotment, now=timezone.now()).review_by
    for step in range(4):
        send_due_reminders(now=at(due + step * GAP))
    assert mailoutbox == []
    assert "no members and no email address" in caplog.text
    assert is_deprioritised(Service.objects.get(pk=allotment.pk))


def test_publishing_an_edit_resets_freshness(listing):
    due = listing["freshness"].review_by
    for step in range(4):
        send_due_reminders(now=at(due + step * GAP))
    assert is_deprioritised(Service.objects.get(pk=listing["service"].pk))

    before = timezone.now()
    page = Service.objects.get(pk=listing["service"].pk)
    page.title = "Tuesday health walk (new route)"
    page.save_revision(user=listing["editor"]).publish()

    freshness = freshness_of(listing)
    assert freshness.last_reviewed_at >= before
    assert freshness.last_reviewed_by == listing["editor"]
    assert freshness.review_by == timezone.localdate(freshness.last_reviewed_at + days(183))
    assert (freshness.reminders_sent, freshness.last_reminder_at, freshness.deprioritised_at) == (0, None, None)


def test_an_approved_community_edit_counts_as_a_review(client, listing):
    due = listing["freshness"].review_by
    send_due_reminders(now=at(due))
    assert freshness_of(listing).reminders_sent == 1
    page = listing["service"]

    client.force_login(listing["editor"])
    data = form_data(client.get(f"/admin/pages/{page.pk}/edit/").content.decode())
    data["title"] = "Tuesday health walk, now at 10am"
    assert client.post(f"/admin/pages/{page.pk}/edit/", {**data, "action-submit": "1"}).status_code == 302
    assert freshness_of(listing).reminders_sent == 1  # submitted is not yet reviewed

    moderator = user_with_role(Role.MODERATOR)
    sign_in_with_mfa(client, moderator)
    task_state = Service.objects.get(pk=page.pk).current_workflow_state.current_task_state
    client.post(f"/admin/pages/workflow/action/{page.pk}/approve/{task_state.pk}/", {"comment": ""})
    assert Service.objects.get(pk=page.pk).title == "Tuesday health walk, now at 10am"
    freshness = freshness_of(listing)
    assert freshness.reminders_sent == 0 and freshness.last_reviewed_at > listing["reviewed"]


def test_listings_published_before_freshness_existed_are_chased_from_their_publication(listing, mailoutbox):
    ListingFreshness.objects.filter(service=listing["service"]).delete()
    published = Service.objects.get(pk=listing["service"].pk).last_published_at
    send_due_reminders(now=timezone.now())
    freshness = freshness_of(listing)
    assert freshness.last_reviewed_at == published and freshness.reminders_sent == 0
    send_due_reminders(now=at(freshness.review_by))
    assert freshness_of(listing).reminders_sent == 1


def test_unpublished_listings_are_not_chased(listing, mailoutbox):
    listing["service"].unpublish()
    send_due_reminders(now=at(listing["freshness"].review_by + 10 * GAP))
    assert mailoutbox == [] and freshness_of(listing).reminders_sent == 0


def test_the_daily_task_sends_due_reminders_and_is_scheduled(listing, mailoutbox):
    ListingFreshness.objects.filter(pk=listing["freshness"].pk).update(review_by=timezone.localdate())
    assert send_listing_reminders.delay().get() == {"reminders": 1, "deprioritised": 0}
    assert recipients(mailoutbox) == ["eddie@example.org"]
    entry = settings.CELERY_BEAT_SCHEDULE["listing-review-reminders"]
    assert entry["task"] == send_listing_reminders.name == "directory.tasks.send_listing_reminders"


# --- The one-click "still correct" link -----------------------------------------------------

@pytest.fixture
def reminded(listing, mailoutbox):
    """The listing with its first reminder sent today (real time, as the link checks its age against it)."""
    ListingFreshness.objects.filter(pk=listing["freshness"].pk).update(review_by=timezone.localdate())
    send_due_reminders(now=timezone.now())
    assert len(mailoutbox) == 1
    return {**listing, "path": still_correct_path(mailoutbox[0])}


def test_get_asks_and_changes_nothing(client, reminded):
    before = freshness_of(reminded)
    for _ in range(3):  # a mail scanner, then the person, then the person again
        response = client.get(reminded["path"])
        assert response.status_code == 200
    body = response.content.decode()
    assert "Are the details still correct?" in body and "Yes, the details are still correct" in body
    assert 'method="post"' in body
    after = freshness_of(reminded)
    assert (after.last_reviewed_at, after.reminders_sent, after.review_by) == (
        before.last_reviewed_at, before.reminders_sent, before.review_by)


def test_post_confirms_and_the_link_then_works_no_more(client, reminded, mailoutbox):
    response = client.post(reminded["path"])
    assert response.status_code == 200
    assert "Thank you, the listing is confirmed" in response.content.decode()
    freshness = freshness_of(reminded)
    assert freshness.reminders_sent == 0 and freshness.last_reviewed_at > reminded["reviewed"]
    assert freshness.last_reviewed_by is None
    assert freshness.review_by == timezone.localdate(freshness.last_reviewed_at + days(183))

    for attempt in (client.post, client.get):
        again = attempt(reminded["path"])
        assert again.status_code == 410
        assert "This link has already been used" in again.content.decode()
    assert freshness_of(reminded).last_reviewed_at == freshness.last_reviewed_at

    # And the chase starts over: nothing is due until the next review date.
    send_due_reminders(now=at(freshness.review_by - days(1)))
    assert len(mailoutbox) == 1


def test_the_link_brings_a_deprioritised_listing_back(client, listing, mailoutbox):
    due = listing["freshness"].review_by
    for step in range(4):
        send_due_reminders(now=at(due + step * GAP))
    assert is_deprioritised(Service.objects.get(pk=listing["service"].pk))
    token = still_correct_token(freshness_of(listing))  # as if the final reminder had just been sent
    assert client.post(f"/listings/still-correct/{token}/").status_code == 200
    assert not is_deprioritised(Service.objects.get(pk=listing["service"].pk))


def test_a_link_is_spoiled_by_a_review_made_another_way(client, reminded):
    mark_reviewed(reminded["service"])  # e.g. an edit was published meanwhile
    response = client.get(reminded["path"])
    assert response.status_code == 410 and "already been used" in response.content.decode()


def test_the_link_expires(client, listing):
    made = timezone.now() - days(settings.LISTING_STILL_CORRECT_LINK_DAYS) - timedelta(minutes=1)
    token = still_correct_token(freshness_of(listing), now=made)
    before = freshness_of(listing).last_reviewed_at
    for attempt in (client.get, client.post):
        response = attempt(f"/listings/still-correct/{token}/")
        assert response.status_code == 410
        body = response.content.decode()
        assert "This link has expired" in body
        assert f"/admin/pages/{listing['service'].pk}/edit/" in body  # what to do next: sign in and review
    assert freshness_of(listing).last_reviewed_at == before

    fresh_enough = still_correct_token(freshness_of(listing), now=made + timedelta(minutes=2))
    assert client.get(f"/listings/still-correct/{fresh_enough}/").status_code == 200


@pytest.mark.parametrize("spoil", [
    lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),   # signature altered
    lambda token: "x" + token,                                        # payload altered
    lambda token: token.split(":")[0],                                # signature cut off
])
def test_a_tampered_link_fails(client, reminded, spoil):
    token = reminded["path"].split("/")[-2]
    response = client.post(f"/listings/still-correct/{spoil(token)}/")
    assert response.status_code == 400
    assert "This link does not work" in response.content.decode()
    assert freshness_of(reminded).reminders_sent == 1


def test_a_link_signed_for_something_else_fails(client, reminded):
    from django.core import signing

    forged = signing.dumps({"s": reminded["service"].pk, "c": 0, "t": 0})  # right key, wrong salt
    assert client.get(f"/listings/still-correct/{forged}/").status_code == 400
