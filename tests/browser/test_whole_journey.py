"""The link-worker module's whole journey in a browser, axe-core on every page: a link worker records a
what-matters conversation and a baseline SWEMWBS, writes a plan with a goal, finds a service from that goal
near the person and refers them to it; the group's editor, signed in with an authenticator code, reads the
referral (only what the person agreed to share), accepts it and records that the person came; the worker sees
the connection as attended, records the closure SWEMWBS and reads the change on the chart and the table.

Where the worker types (the conversation, the goal, the referral's answers and note), the keyboard alone does
it: Tab to the field, checking the focus got there, type, and Enter on the focused button.
"""

import datetime as dt
import re

import pytest
from django.utils import timezone

from directory.documents import search_document
from directory.models import OrganisationMembership, TaxonomyTerm
from directory.services import add_member
from linkworkers.models import (
    CarePlanVersion, Connection, ConnectionStatus, WellbeingMeasure, WhatMattersConversation,
)
from search.backends import get_backend
from tests import factories
from tests.factories import linkworkers as lw
from tests.mfa import activate_totp

from .test_measures_journey import ITEMS
from .test_referral_journey import focused, is_checked, new_page, press_tab_to, sign_in_with_totp

pytestmark = pytest.mark.django_db(transaction=True)

S = ConnectionStatus
NEAR = "RG12 1AA"  # Bracknell town centre: the person lives here and the services meet here
WHAT_MATTERS = "Getting out of the flat and seeing people again since Ray died."
HOPES = "To have somewhere to go on a Tuesday."
GOAL = "Meet people on a Tuesday"
CONTINGENCY = "Ring the link-worker team on 01344 352000, or her daughter Sue."
NOTE_FOR_SERVICE = "Mornings are best; she walks with a stick."


def venue(name: str) -> list[dict]:
    return [{"name": name, "address_1": "1 High Street", "city": "Bracknell", "postcode": NEAR}]


@pytest.fixture
def world(migrated_data):
    """A team with a worker and Maggie's open episode; near her, a lunch club whose organisation takes referrals
    (with an editor who reads them), a walk whose organisation does not, and a debt clinic for another need."""
    factories.ensure_postcodes("E06000036")
    team = lw.team(phone="01344 352000", email="linkworkers@example.org")
    worker = lw.member(team)
    episode = lw.episode(team, worker=worker, given_name="Maggie", family_name="Holloway", postcode=NEAR,
                         phone="07700 900555", email="maggie@example.net")
    loneliness, debt = (TaxonomyTerm.objects.get(code=code) for code in ("loneliness", "debt"))
    taking = factories.organisation(name="Forest Friends", accepts_referrals=True)
    club = factories.service(taking, name="Tuesday Lunch Club", categories=[loneliness], locations=venue("Hall"))
    walk = factories.service(name="Lily Hill Walk", categories=[loneliness], locations=venue("Lily Hill Park"))
    clinic = factories.service(name="Debt Clinic", categories=[debt], locations=venue("Library"))
    # The index's tables outlive the flush between transactional tests: start it with just these.
    get_backend().rebuild([search_document(service) for service in (club, walk, clinic)])
    editor = factories.UserFactory(full_name="Pat Organiser")
    membership = add_member(organisation=taking, user=editor)
    OrganisationMembership.objects.filter(pk=membership.pk).update(receives_referrals=True)
    return {"team": team, "worker": worker, "episode": episode, "person": episode.person, "club": club,
            "editor": editor, "loneliness": loneliness}


def type_date(page, element_id: str, day: dt.date) -> None:
    """Tab to a date input and type the date into its parts, in the order this browser's locale shows them
    (day, month, year in Britain; month first in an American browser), as a person reading it would.
    Playwright's `locale` does not reorder Chromium's date inputs, so the order is asked of the page."""
    press_tab_to(page, element_id, most=80)
    order = page.evaluate("""new Intl.DateTimeFormat(undefined, {day: '2-digit', month: '2-digit', year: 'numeric'})
        .formatToParts(new Date(2003, 1, 1)).filter(part => part.type !== 'literal').map(part => part.type)""")
    page.keyboard.type("".join(day.strftime({"day": "%d", "month": "%m", "year": "%Y"}[part]) for part in order))
    assert page.evaluate(f"document.getElementById('{element_id}').value") == day.isoformat()


def tab_and_type(page, element_id: str, text: str, *, most: int = 80) -> None:
    press_tab_to(page, element_id, most=most)
    page.keyboard.type(text)
    assert page.evaluate(f"document.getElementById('{element_id}').value") == text


def press_tab_to_button(page, name: str, *, most: int = 80) -> None:
    """Tab until the button called `name` has the focus (past any fields left empty on the way)."""
    for _ in range(most):
        page.keyboard.press("Tab")
        if page.evaluate("""(name) => {
                const element = document.activeElement;
                const button = element.tagName === 'BUTTON' || element.getAttribute('role') === 'button';
                return button && element.textContent.trim() === name;
            }""", name):
            return
    raise AssertionError(f"{most} presses of Tab never reached the button {name!r}; focus is on #{focused(page)}")


def press_tab_to_summary(page, text: str, *, most: int = 80) -> None:
    for _ in range(most):
        page.keyboard.press("Tab")
        if page.evaluate("(text) => document.activeElement.tagName === 'SUMMARY' && "
                         "document.activeElement.textContent.trim() === text", text):
            return
    raise AssertionError(f"{most} presses of Tab never reached the summary {text!r}")


def record_swemwbs(page, axe, person_path: str, answers: tuple[int, ...], *, closure: bool) -> None:
    """The SWEMWBS form from the person page: answers chosen by clicking (tests/browser/test_measures_journey.py
    proves the keyboard there), saved, and back on the person page at the wellbeing section."""
    page.get_by_role("link", name=re.compile("^Record SWEMWBS")).click()
    page.wait_for_url(re.compile(r"/wellbeing/swemwbs/$"))
    axe(page)
    if closure:
        page.get_by_label("Closure").check()
    else:
        assert is_checked(page, "id_point_0")  # baseline, the first measure
    for key, answer in zip(ITEMS, answers, strict=True):
        page.locator(f"#id_{key}_{answer - 1}").check()
    page.get_by_role("button", name="Save answers").click()
    page.wait_for_url(re.compile(re.escape(person_path) + "#wellbeing$"))
    axe(page)


def test_the_whole_journey_from_what_matters_to_the_change_in_wellbeing(browser, live_server, axe, world):
    worker, episode, person, club, editor = (world[key] for key in ("worker", "episode", "person", "club", "editor"))
    person_path = f"/staff/people/{person.public_id}/"
    today = timezone.localdate()
    on_today = today.strftime("%-d %B %Y")
    worker_secret, editor_secret = activate_totp(worker), activate_totp(editor)

    page = new_page(browser, live_server)
    try:
        # 1. The worker signs in and opens Maggie's record from the caseload.
        sign_in_with_totp(page, axe, worker, worker_secret, landing="/staff/caseload/")
        axe(page)
        page.get_by_role("link", name="Holloway, Maggie").click()
        page.wait_for_url(re.compile(re.escape(person_path) + "$"))
        assert page.get_by_role("heading", level=1).inner_text() == "Maggie Holloway"
        assert page.get_by_text("No what-matters conversation recorded yet.").is_visible()
        assert page.get_by_text("No plan yet.").is_visible()
        axe(page)

        # 2. The what-matters conversation, typed by keyboard alone.
        page.get_by_role("link", name="Record a what-matters conversation").click()
        page.wait_for_url(re.compile(rf"/staff/episodes/{episode.public_id}/what-matters/new/$"))
        assert page.get_by_role("heading", level=1).inner_text().endswith("Record a what-matters conversation")
        axe(page)
        type_date(page, "id_held_on", today)
        tab_and_type(page, "id_what_matters", WHAT_MATTERS)
        tab_and_type(page, "id_hopes", HOPES)
        press_tab_to_button(page, "Record conversation")
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(re.escape(person_path) + "$"))
        assert page.get_by_text("What-matters conversation recorded").is_visible()
        assert page.get_by_text(f"{on_today}, with {worker}").is_visible()
        assert page.get_by_text(WHAT_MATTERS).is_visible() and page.get_by_text(HOPES).is_visible()
        axe(page)
        conversation = WhatMattersConversation.objects.get()
        assert (conversation.episode_id, conversation.held_on, conversation.what_matters, conversation.hopes) == (
            episode.pk, today, WHAT_MATTERS, HOPES)

        # 3. SWEMWBS at baseline, while the conversation is fresh: 18, metric 17.43.
        record_swemwbs(page, axe, person_path, (2, 3, 2, 3, 3, 1, 4), closure=False)
        assert page.get_by_text("SWEMWBS recorded: raw score 18, metric score 17.43").is_visible()

        # 4. The plan, with one goal in Maggie's words meeting the need "Loneliness and isolation".
        page.get_by_role("link", name="Write the plan with Maggie").click()
        page.wait_for_url(re.compile(rf"/staff/episodes/{episode.public_id}/plan/edit/$"))
        assert page.get_by_role("heading", level=1).inner_text().endswith("Write the plan")
        axe(page)
        tab_and_type(page, "id_goal_0_words", GOAL)
        press_tab_to_summary(page, "Needs goal 1 meets (optional)")
        page.keyboard.press("Enter")  # opens the needs
        loneliness_box = page.get_by_role("checkbox", name="Loneliness and isolation", exact=True)
        loneliness_id = loneliness_box.get_attribute("id")
        press_tab_to(page, loneliness_id, most=80)
        page.keyboard.press("Space")
        assert is_checked(page, loneliness_id)
        axe(page)  # with the needs open
        tab_and_type(page, "id_contingency", CONTINGENCY, most=120)  # past the other needs and the empty action
        review_on = today + dt.timedelta(days=42)
        type_date(page, "id_review_on", review_on)
        press_tab_to_button(page, "Save the plan")
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(re.escape(person_path) + "$"))
        assert page.get_by_text("Plan saved as version 1").is_visible()
        assert page.get_by_text(review_on.strftime("%-d %B %Y")).first.is_visible()
        axe(page)
        version = CarePlanVersion.objects.get()
        goal = version.goals.get()
        assert (version.number, version.contingency, version.review_on) == (1, CONTINGENCY, review_on)
        assert goal.in_own_words == GOAL and list(goal.needs.all()) == [world["loneliness"]]

        # 5. From the plan, find a service for the goal: near Maggie, for its need.
        page.get_by_role("link", name=re.compile("^Read the plan and its versions")).click()
        page.wait_for_url(re.compile(rf"/staff/episodes/{episode.public_id}/plan/$"))
        assert page.get_by_role("heading", name=re.compile(f"Goal 1: .?{GOAL}")).is_visible()
        axe(page)
        page.get_by_role("link", name=re.compile("^Find a service for this goal")).click()
        page.wait_for_url(re.compile(rf"/find-a-service/\?goal={goal.thread}$"))
        assert page.get_by_role("heading", level=1).inner_text().endswith("Find a service")
        assert f"For the goal {GOAL}" in page.locator("main").inner_text().replace("“", "").replace("”", "")
        assert page.get_by_label("Where?").input_value() == NEAR
        results = page.locator("#results-heading + ol")
        names = results.locator("h3").all_inner_texts()
        assert set(names) == {"Tuesday Lunch Club", "Lily Hill Walk"}  # not the debt clinic: another need
        walk_card = results.locator("section", has_text="Lily Hill Walk")
        assert "Does not take referrals through the portal: suggest it" in walk_card.inner_text()
        assert walk_card.get_by_role("button", name=re.compile("^Refer")).count() == 0
        club_card = results.locator("section", has_text="Tuesday Lunch Club")
        assert "Takes referrals through the portal" in club_card.inner_text()
        axe(page)

        # 6. Refer her, with what she agreed to share: her contact details, not her needs; a note typed in.
        club_card.get_by_role("button", name="Refer Maggie to Tuesday Lunch Club").click()
        page.wait_for_url(re.compile(rf"/staff/episodes/{episode.public_id}/connections/new/\?"))
        assert page.get_by_role("heading", level=1).inner_text().endswith("Refer Maggie to Tuesday Lunch Club")
        axe(page)
        press_tab_to(page, "id_shares_contact_details_0")  # "Yes"
        page.keyboard.press("Space")
        assert is_checked(page, "id_shares_contact_details_0")
        press_tab_to(page, "id_shares_needs_0", most=3)  # passed by, unanswered the first time
        tab_and_type(page, "id_note_for_service", NOTE_FOR_SERVICE, most=3)
        press_tab_to_button(page, "Send the referral", most=3)
        page.keyboard.press("Enter")
        # The error summary takes the focus; its link leads to the question left out; nothing typed is lost.
        page.wait_for_selector(".nhsuk-error-summary")
        page.wait_for_function("document.activeElement.classList.contains('nhsuk-error-summary')")
        assert page.title().startswith("Error: ")
        assert page.locator(".nhsuk-error-summary").inner_text().endswith(
            "Say whether the service may see what they need help with")
        assert not Connection.objects.exists()
        axe(page)
        assert is_checked(page, "id_shares_contact_details_0")
        assert page.evaluate("document.getElementById('id_note_for_service').value") == NOTE_FOR_SERVICE
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent.trim()") == (
            "Say whether the service may see what they need help with")
        page.keyboard.press("Enter")
        page.wait_for_function("document.activeElement.id === 'id_shares_needs_0'")
        page.keyboard.press("ArrowRight")  # "No"
        assert is_checked(page, "id_shares_needs_1")
        press_tab_to_button(page, "Send the referral", most=3)
        page.keyboard.press("Enter")
        # Back to the search it came from, which now says she is connected.
        page.wait_for_url(re.compile(rf"/find-a-service/\?goal={goal.thread}$"))
        assert page.get_by_text("Maggie Holloway referred to Tuesday Lunch Club").is_visible()
        club_card = page.locator("#results-heading + ol section", has_text="Tuesday Lunch Club")
        assert "Maggie is already connected: Referred." in club_card.inner_text()
        axe(page)
        connection = Connection.objects.get()
        assert (connection.episode_id, connection.service_id, connection.status) == (episode.pk, club.pk, S.REFERRED)
        assert (connection.shares_contact_details, connection.shares_needs, connection.note_for_service) == (
            True, False, NOTE_FOR_SERVICE)
        assert connection.goal_thread == goal.thread and list(connection.needs.all()) == [world["loneliness"]]

        page.goto(person_path)
        connections = page.get_by_role("table", name="Connections to services in this episode")
        row = connections.get_by_role("row", name=re.compile("Tuesday Lunch Club"))
        assert f"Referred, recorded by {worker} on {on_today}" in row.inner_text()
        assert GOAL in row.inner_text() and "Forest Friends" in row.inner_text()
        axe(page)

        # 7. The group's editor signs in with an authenticator code and finds the referral in the inbox.
        editor_page = new_page(browser, live_server)
        try:
            sign_in_with_totp(editor_page, axe, editor, editor_secret, landing="/your-organisations/referrals/")
            assert editor_page.get_by_role("heading", level=1).inner_text() == "Referrals to your organisation"
            inbox = editor_page.get_by_role("table", name=re.compile("Referrals to your organisation"))
            listed = inbox.get_by_role("row", name=re.compile("Maggie"))
            assert "Tuesday Lunch Club" in listed.inner_text() and "Waiting for your answer" in listed.inner_text()
            assert "Holloway" not in inbox.inner_text()  # the list shows the first name only
            axe(editor_page)

            inbox.get_by_role("link", name=re.compile("^Maggie")).click()
            editor_page.wait_for_url(re.compile(rf"/your-organisations/referrals/{connection.public_id}/$"))
            assert editor_page.get_by_role("heading", level=1).inner_text().endswith("Maggie")
            shared = editor_page.locator("#shared").inner_text()
            for seen in ("Maggie Holloway", "07700 900555", "maggie@example.net", NOTE_FOR_SERVICE):
                assert seen in shared, seen
            assert re.search(r"Needs\s+Not shared", shared)
            main = editor_page.locator("main").inner_text()
            for unseen in ("Loneliness", person.nhs_number, person.nhs_number[:3] + " " + person.nhs_number[3:6],
                           str(person.date_of_birth.year), NEAR, WHAT_MATTERS, HOPES, GOAL, CONTINGENCY):
                assert unseen not in main, f"the service sees {unseen!r}, which Maggie did not agree to share"
            assert str(worker) in main and "01344 352000" in main
            axe(editor_page)

            # 8. Accept it, then record that she came.
            editor_page.locator("summary", has_text=re.compile("^Accept$")).click()
            axe(editor_page)  # with the answer open
            editor_page.get_by_label("Note for the link worker (optional)").first.fill("Starts next Tuesday.")
            editor_page.get_by_role("button", name="Accept the referral").click()
            editor_page.wait_for_url(re.compile(rf"/your-organisations/referrals/{connection.public_id}/$"))
            assert editor_page.get_by_text("You accepted the referral of Maggie.").is_visible()
            assert editor_page.locator(".nhsuk-inset-text").get_by_text("Accepted by the service").is_visible()
            axe(editor_page)
            connection.refresh_from_db()
            assert connection.status == S.ACCEPTED

            editor_page.locator("summary", has_text="Record whether they came").click()
            axe(editor_page)  # with the attendance question open
            editor_page.get_by_role("radio", name="Yes, they came").check()
            editor_page.get_by_role("button", name="Record attendance").click()
            editor_page.wait_for_url(re.compile(rf"/your-organisations/referrals/{connection.public_id}/$"))
            assert editor_page.get_by_text("You recorded that Maggie came.").is_visible()
            assert editor_page.locator(".nhsuk-inset-text").get_by_text("Attended").is_visible()
            history = editor_page.locator("#history").inner_text()
            assert "Accepted by the service (recorded by your organisation). Note: Starts next Tuesday." in history
            assert "Referred (recorded by the link worker)" in history
            axe(editor_page)
        finally:
            editor_page.context.close()
        connection.refresh_from_db()
        assert connection.status == S.ATTENDED
        assert [(change.status, change.recorded_by, change.by_service)
                for change in connection.changes.order_by("recorded_at", "pk")] == [
            (S.REFERRED, worker, False), (S.ACCEPTED, editor, True), (S.ATTENDED, editor, True)]

        # 9. Back with the worker: the person page shows the connection as attended, recorded by the service.
        page.reload()
        row = page.get_by_role("table", name="Connections to services in this episode").get_by_role(
            "row", name=re.compile("Tuesday Lunch Club"))
        assert f"Attended, recorded by the service on {on_today}" in row.inner_text()
        axe(page)
        page.get_by_role("link", name="History of the connection to Tuesday Lunch Club").click()
        page.wait_for_url(re.compile(rf"/connections/{connection.public_id}/$"))
        main = page.locator("main").inner_text()
        assert "Their name and contact details; not what they need help with" in main
        changes = page.get_by_role("table", name="History of the connection to Tuesday Lunch Club").inner_text()
        assert "The service (Forest Friends)" in changes and "Starts next Tuesday." in changes
        axe(page)

        # 10. SWEMWBS at closure: 24, metric 21.54; the change on the chart and in the table.
        page.goto(person_path)
        record_swemwbs(page, axe, person_path, (3, 3, 3, 4, 3, 4, 4), closure=True)
        assert page.get_by_text("SWEMWBS recorded: raw score 24, metric score 21.54").is_visible()
        chart = page.get_by_role("img", name="SWEMWBS metric score over time")
        assert chart.is_visible() and chart.evaluate("element => element.tagName.toLowerCase()") == "svg"
        sentence = (f"SWEMWBS metric score 17.43 at baseline on {on_today}, 21.54 at closure on {on_today}: "
                    f"up 4.11 points, a meaningful improvement.")
        assert page.locator("#wellbeing-summary").inner_text() == sentence
        table = page.get_by_role("table", name="SWEMWBS measures").inner_text()
        for shown in ("17.43", "21.54", "+4.11", "Meaningful improvement"):
            assert shown in table, shown
        assert list(WellbeingMeasure.objects.filter(episode=episode).values_list(
            "point", "raw_score")) == [("baseline", 18), ("closure", 24)]
    finally:
        page.context.close()
