"""Link workers' journey in a browser: a resident refers themselves by keyboard alone, a supervisor accepts
and allocates the referral, and the link worker records a first contact; axe-core on every page.

The resident never touches a mouse: Tab moves, arrow keys and Space choose, Enter sends,
and before typing the test checks that the focus is on the field it expects, so the focus order is
part of what is tested.
"""

import re

import pytest
from django.utils import timezone

from linkworkers.audit import Actor
from linkworkers.services import episodes
from linkworkers.models import Contact, Referral, ReferralStatus
from tests.factories import PASSWORD
from tests.factories import linkworkers as lw
from tests.mfa import activate_totp, unexpiring_totp_code

POSTCODE = "RG12 7DH"  # Bracknell, in the team's area


def focused(page) -> str:
    return page.evaluate("document.activeElement.id")


def press_tab_to(page, element_id: str, *, most: int = 40) -> None:
    """Press Tab until `element_id` has the focus, failing if it never comes."""
    for _ in range(most):
        page.keyboard.press("Tab")
        if focused(page) == element_id:
            return
    raise AssertionError(f"{most} presses of Tab never reached #{element_id}; focus is on #{focused(page)}")


def next_is(page, element_id: str) -> None:
    """One Tab goes to `element_id`: the next thing to fill in comes next in the focus order."""
    page.keyboard.press("Tab")
    assert focused(page) == element_id, f"Tab went to #{focused(page)}, not #{element_id}"


def type_into(page, element_id: str, text: str) -> None:
    next_is(page, element_id)
    page.keyboard.type(text)


def tab_to_button(page, name: str, *, most: int = 10) -> None:
    for _ in range(most):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.tagName") == "BUTTON":
            break
    assert page.evaluate("document.activeElement.textContent.trim()") == name


def is_checked(page, element_id: str) -> bool:
    return page.evaluate(f"document.getElementById('{element_id}').checked")


def answer_screening_by_keyboard(page, *, in_danger: bool) -> None:
    """The crisis questions: Tab into each group of radios (focus lands on "Yes"); the right arrow moves to "No"."""
    press_tab_to(page, "id_in_danger_0")
    if in_danger:
        page.keyboard.press("Space")
    else:
        page.keyboard.press("ArrowRight")
    assert is_checked(page, "id_in_danger_0" if in_danger else "id_in_danger_1")
    next_is(page, "id_urgent_mental_health_0")
    page.keyboard.press("ArrowRight")
    assert is_checked(page, "id_urgent_mental_health_1")
    tab_to_button(page, "Continue")
    page.keyboard.press("Enter")


def sign_in_with_totp(page, axe, user, secret: str, *, landing: str) -> None:
    """Sign in through the real form, with a password and an authenticator code, and arrive at `landing`."""
    page.goto(f"/accounts/login/?next={landing}")
    axe(page)
    page.get_by_label(re.compile("email", re.I)).first.fill(user.email)
    page.get_by_label(re.compile("^password", re.I)).first.fill(PASSWORD)
    page.get_by_role("button", name=re.compile("sign in", re.I)).click()
    page.wait_for_url(re.compile(r"/accounts/2fa/authenticate/"))
    axe(page)
    page.get_by_label(re.compile("code", re.I)).first.fill(unexpiring_totp_code(secret))
    page.get_by_role("button", name=re.compile("sign in|continue|authenticate", re.I)).click()
    page.wait_for_url(re.compile(re.escape(landing) + "$"))


def new_page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


@pytest.mark.django_db(transaction=True)
def test_self_referral_by_keyboard_then_allocation_and_a_first_contact(browser, page, axe, live_server):
    team = lw.team(areas="RG12")
    supervisor = lw.supervisor(team)
    worker = lw.member(team, skills="Benefits, housing", locality="Bracknell town")
    supervisor_secret, worker_secret = activate_totp(supervisor), activate_totp(worker)

    # 1. The resident: crisis screening first, answered "no" and "no".
    page.goto("/refer-yourself/")
    assert page.get_by_role("heading", level=1).inner_text().endswith("First, do you need help urgently?")
    axe(page)
    answer_screening_by_keyboard(page, in_danger=False)
    page.wait_for_selector("#id_given_name")
    assert page.get_by_role("heading", level=1).inner_text() == "Talk to a link worker"
    assert page.locator("#crisis-route").count() == 0
    axe(page)

    # The form, in the order the page asks it; the postcode is forgotten the first time.
    press_tab_to(page, "id_given_name")
    page.keyboard.type("Robin")
    type_into(page, "id_family_name", "Keyboard")
    type_into(page, "id_date_of_birth_0", "14")
    type_into(page, "id_date_of_birth_1", "6")
    type_into(page, "id_date_of_birth_2", "1958")
    next_is(page, "id_postcode")  # left empty
    next_is(page, "id_nhs_number")  # not known
    type_into(page, "id_gp_practice", "Forest Health Centre")
    type_into(page, "id_phone", "07700 900123")
    next_is(page, "id_email")
    next_is(page, "id_preferred_contact_method_0")  # phone call, the first choice
    page.keyboard.press("Space")
    assert is_checked(page, "id_preferred_contact_method_0")
    type_into(page, "id_reasons", "I have felt lonely since my wife died and would like to meet people.")
    next_is(page, "id_needs_0")
    page.keyboard.press("Space")
    assert is_checked(page, "id_needs_0")
    need = page.locator("label[for='id_needs_0']").inner_text()
    press_tab_to(page, "id_consent_to_contact_0", most=100)  # past the other needs, each its own checkbox
    page.keyboard.press("Space")
    assert is_checked(page, "id_consent_to_contact_0")
    tab_to_button(page, "Send", most=2)  # the robots' honeypot field is out of the tab order
    page.keyboard.press("Enter")

    # The error summary takes the focus; its link leads to the postcode box.
    page.wait_for_selector(".nhsuk-error-summary")
    page.wait_for_function("document.activeElement.classList.contains('nhsuk-error-summary')")
    assert page.title().startswith("Error: ")
    assert "Enter your postcode" in page.locator(".nhsuk-error-summary").inner_text()
    axe(page)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Enter your postcode"
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement.id === 'id_postcode'")
    page.keyboard.type(POSTCODE.lower().replace(" ", ""))
    # What was typed before is still there.
    assert page.evaluate("document.getElementById('id_given_name').value") == "Robin"
    assert is_checked(page, "id_needs_0") and is_checked(page, "id_consent_to_contact_0")
    press_tab_to(page, "id_consent_to_contact_0", most=100)
    tab_to_button(page, "Send", most=2)
    page.keyboard.press("Enter")

    page.wait_for_url(re.compile(r"/refer-yourself/thank-you/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Your request has been sent"
    referral = Referral.objects.get(family_name="Keyboard")
    assert referral.team == team and referral.postcode == POSTCODE and not referral.crisis_indicated
    assert referral.needs.get().name == need
    reference = str(referral.public_id)[:8].upper()
    assert reference in page.locator(".nhsuk-panel").inner_text()
    axe(page)

    # 2. The supervisor finds it in the queue, accepts it and allocates it to the link worker.
    supervisor_page = new_page(browser, live_server)
    try:
        sign_in_with_totp(supervisor_page, axe, supervisor, supervisor_secret, landing="/staff/referrals/")
        queue = supervisor_page.get_by_role("table", name=re.compile("Waiting for triage"))
        assert "Robin Keyboard" in queue.inner_text()
        axe(supervisor_page)
        supervisor_page.get_by_role("link", name="Robin Keyboard").click()
        supervisor_page.wait_for_url(re.compile(rf"/staff/referrals/{referral.public_id}/$"))
        assert supervisor_page.get_by_role("heading", level=1).inner_text().endswith("Robin Keyboard")
        axe(supervisor_page)

        supervisor_page.get_by_text("Accept and allocate").click()
        axe(supervisor_page)  # with the accept form open
        # Sent without a RAG status first: the error is shown with the form open again.
        supervisor_page.get_by_role("button", name="Accept referral").click()
        supervisor_page.wait_for_selector(".nhsuk-error-summary")
        assert "Choose a RAG status" in supervisor_page.locator(".nhsuk-error-summary").inner_text()
        assert supervisor_page.title().startswith("Error: ")
        axe(supervisor_page)
        supervisor_page.get_by_role("radio", name="Green").check()
        supervisor_page.get_by_role("radio", name=str(worker)).check()
        supervisor_page.get_by_role("button", name="Accept referral").click()
        supervisor_page.wait_for_url(re.compile(r"/staff/referrals/$"))
        assert supervisor_page.get_by_text(f"Robin Keyboard accepted and allocated to {worker}.").is_visible()
        awaiting = supervisor_page.get_by_role("table", name=re.compile("waiting for a first contact"))
        assert "Robin Keyboard" in awaiting.inner_text() and str(worker) in awaiting.inner_text()
        axe(supervisor_page)
    finally:
        supervisor_page.context.close()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED
    episode = referral.episode
    assert episode.link_worker == worker and episode.rag == "green" and episode.first_contact_at is None

    # 3. The link worker opens their caseload and the person, and records a first contact by phone.
    worker_page = new_page(browser, live_server)
    try:
        sign_in_with_totp(worker_page, axe, worker, worker_secret, landing="/staff/caseload/")
        assert worker_page.get_by_role("heading", level=1).is_visible()
        axe(worker_page)
        worker_page.get_by_role("link", name="Keyboard, Robin").click()
        worker_page.wait_for_url(re.compile(rf"/staff/people/{episode.person.public_id}/$"))
        assert worker_page.get_by_role("heading", level=1).inner_text() == "Robin Keyboard"
        assert "Not yet: due by" in worker_page.locator("main").inner_text()
        axe(worker_page)

        worker_page.get_by_role("button", name="Record a contact").click()
        worker_page.wait_for_url(re.compile(rf"/staff/episodes/{episode.public_id}/contacts/new/$"))
        axe(worker_page)
        # The date and time are today's and now's already.
        worker_page.get_by_role("radio", name="Phone", exact=True).check()
        worker_page.get_by_label("How long did it take, in minutes?").fill("25")
        worker_page.get_by_role("group", name="Did the person take part?").get_by_role("radio", name="Yes").check()
        worker_page.get_by_label("Note (optional)").fill("First call: talked about the walking group in Bracknell.")
        worker_page.get_by_role("button", name="Record contact").click()

        worker_page.wait_for_url(re.compile(rf"/staff/people/{episode.person.public_id}/$"))
        contacts = worker_page.get_by_role("table", name="Contacts in this episode")
        assert "talked about the walking group" in contacts.inner_text()
        assert "Phone" in contacts.inner_text()
        assert worker_page.get_by_text("Within the 3-day target").is_visible()
        axe(worker_page)
    finally:
        worker_page.context.close()
    contact = Contact.objects.get(episode=episode)
    assert contact.attended and contact.mode == Contact.Mode.PHONE and contact.recorded_by == worker
    episode.refresh_from_db()
    assert episode.first_contact_at == contact.occurred_at


@pytest.mark.django_db(transaction=True)
def test_a_crisis_answer_shows_the_crisis_route_at_once(page, axe, live_server):
    lw.team(areas="RG12")
    page.goto("/refer-yourself/")
    answer_screening_by_keyboard(page, in_danger=True)

    card = page.locator("#crisis-route")
    card.wait_for()
    assert card.get_by_role("heading", level=2).inner_text().endswith("Get help now")
    text = card.inner_text()
    for number in ("999", "111", "116 123"):
        assert f"call {number}" in text, number
    assert card.get_by_role("link", name="call 116 123").get_attribute("href") == "tel:116123"
    assert "option 2" in text
    # The crisis route comes before the form, so it is the first thing read after the heading.
    assert page.evaluate(
        "document.getElementById('crisis-route').compareDocumentPosition(document.getElementById('id_given_name'))"
        " & Node.DOCUMENT_POSITION_FOLLOWING"
    )
    axe(page)


@pytest.mark.django_db(transaction=True)
def test_a_single_yes_shows_the_crisis_route_with_the_other_question_unanswered(page, axe, live_server):
    """"Yes, I am in immediate danger" and nothing else: the crisis numbers, not a form error."""
    lw.team(areas="RG12")
    page.goto("/refer-yourself/")
    press_tab_to(page, "id_in_danger_0")
    page.keyboard.press("Space")  # "Yes"; the mental health question is left alone
    assert is_checked(page, "id_in_danger_0")
    tab_to_button(page, "Continue")
    page.keyboard.press("Enter")

    card = page.locator("#crisis-route")
    card.wait_for()
    assert card.get_by_role("heading", level=2).inner_text().endswith("Get help now")
    assert "call 999" in card.inner_text()
    assert page.locator(".nhsuk-error-summary").count() == 0
    axe(page)


@pytest.mark.django_db(transaction=True)
def test_referral_pages_load_with_the_csp_enforced_and_no_violation(browser, live_server):
    team = lw.team(areas="RG12")
    supervisor = lw.supervisor(team)
    secret = activate_totp(supervisor)
    person = lw.episode(team, by=supervisor).person
    lw.referral(team)  # one waiting in the queue too

    context = browser.new_context(base_url=live_server.url)  # CSP enforced: no bypass here
    page = context.new_page()
    violations = []
    page.on("console", lambda message: "Content Security Policy" in message.text and violations.append(message.text))
    try:
        page.goto("/refer-yourself/")
        page.wait_for_load_state("networkidle")
        assert page.evaluate("document.body.classList.contains('nhsuk-frontend-supported')")

        sign_in_with_totp(page, lambda page: None, supervisor, secret, landing="/staff/referrals/")
        for url in ["/staff/referrals/", f"/staff/people/{person.public_id}/"]:
            page.goto(url)
            page.wait_for_load_state("networkidle")
            assert page.get_by_role("heading", level=1).is_visible()
            assert page.evaluate("document.body.classList.contains('nhsuk-frontend-supported')"), (
                "the module script that starts nhsuk-frontend did not run"
            )
        assert violations == []
    finally:
        context.close()


@pytest.mark.django_db(transaction=True)
def test_staff_pages_reflow_on_a_narrow_screen_with_tables_scrolling_in_their_own_box(page, axe, live_server):
    """At 320 CSS pixels (a phone, or 400% zoom) the page never scrolls sideways: only a wide table does,
    in a box that a keyboard can reach and scroll."""
    team = lw.team(areas="RG12")
    supervisor = lw.supervisor(team)
    secret = activate_totp(supervisor)
    episode = lw.episode(team, by=supervisor)
    episodes.record_contact(episode=episode, actor=Actor(episode.link_worker), occurred_at=timezone.now(),
                            mode=Contact.Mode.PHONE, duration_minutes=20, attended=True,
                            note="Talked about the lunch club at the community centre on Tuesday.")
    lw.referral(team)
    sign_in_with_totp(page, lambda page: None, supervisor, secret, landing="/staff/referrals/")

    page.set_viewport_size({"width": 320, "height": 640})
    for url in ["/staff/referrals/", "/staff/referrals/?status=accepted", "/staff/caseload/",
                f"/staff/people/{episode.person.public_id}/"]:
        page.goto(url)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), f"{url} scrolls sideways"
        axe(page)  # includes scrollable-region-focusable: each table's box can be scrolled by keyboard
