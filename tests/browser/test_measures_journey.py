"""Wellbeing measures in a browser: a link worker records SWEMWBS at baseline by keyboard alone, sends an
incomplete closure form and is shown what is missing, completes it, and reads the change on the chart and the
table; axe-core on every page, the error page included."""

import re

import pytest
from django.utils import timezone

from linkworkers.models import WellbeingMeasure
from tests.factories import linkworkers as lw
from tests.mfa import activate_totp

from .test_referral_journey import focused, press_tab_to, sign_in_with_totp, tab_to_button

ITEMS = ("optimistic", "useful", "relaxed", "dealing_with_problems", "thinking_clearly", "close_to_others", "own_mind")


def choose_by_keyboard(page, key: str, answer: int) -> None:
    """Tab into the item's radio group (focus lands on the first answer), then Space or the arrow keys choose."""
    press_tab_to(page, f"id_{key}_0")
    if answer == 1:
        page.keyboard.press("Space")
    for _ in range(answer - 1):
        page.keyboard.press("ArrowDown")
    assert page.evaluate(f"document.getElementById('id_{key}_{answer - 1}').checked"), f"{key} is not {answer}"


@pytest.mark.django_db(transaction=True)
def test_baseline_by_keyboard_then_closure_and_the_change_on_the_chart(page, axe, live_server):
    team = lw.team()
    worker = lw.member(team)
    episode = lw.episode(team, worker=worker)
    secret = activate_totp(worker)
    person_path = f"/staff/people/{episode.person.public_id}/"
    sign_in_with_totp(page, axe, worker, secret, landing="/staff/caseload/")
    axe(page)
    assert page.get_by_text("No baseline measure").is_visible()

    page.goto(person_path)
    axe(page)
    page.get_by_role("link", name=re.compile("^Record SWEMWBS")).click()
    page.wait_for_url(re.compile(r"/wellbeing/swemwbs/$"))
    axe(page)
    assert page.evaluate("document.getElementById('id_point_0').checked")  # baseline, the first measure
    for key, answer in zip(ITEMS, (2, 3, 2, 3, 3, 1, 4), strict=True):  # 18: metric 17.43
        choose_by_keyboard(page, key, answer)
    tab_to_button(page, "Save answers")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(re.escape(person_path) + "#wellbeing$"))
    axe(page)
    assert page.get_by_text("SWEMWBS recorded: raw score 18, metric score 17.43").is_visible()

    # Closure, with one item missed: the error summary takes the focus and links to the item.
    page.get_by_role("link", name=re.compile("^Record SWEMWBS")).click()
    page.get_by_label("Closure").check()
    for key, answer in zip(ITEMS[:-1], (3, 3, 3, 4, 3, 4), strict=True):
        page.locator(f"#id_{key}_{answer - 1}").check()
    page.get_by_role("button", name="Save answers").click()
    axe(page)
    assert page.title().startswith("Error:")
    summary = page.locator(".nhsuk-error-summary")
    assert "Select an answer for “I've been able to make up my own mind about things”" in summary.inner_text()
    assert page.evaluate("document.getElementById('id_optimistic_2').checked")  # nothing typed is lost
    summary.get_by_role("link").first.click()
    assert focused(page) == "id_own_mind_0"
    page.locator("#id_own_mind_3").check()  # 24: metric 21.54
    page.get_by_role("button", name="Save answers").click()
    page.wait_for_url(re.compile(r"#wellbeing$"))
    axe(page)

    chart = page.get_by_role("img", name="SWEMWBS metric score over time")
    assert chart.is_visible()
    today = timezone.localdate().strftime("%-d %B %Y")
    sentence = (f"SWEMWBS metric score 17.43 at baseline on {today}, 21.54 at closure on {today}: "
                f"up 4.11 points, a meaningful improvement.")
    assert page.locator("#wellbeing-summary").inner_text() == sentence
    table = page.get_by_role("table", name="SWEMWBS measures")
    assert "+4.11" in table.inner_text() and "Meaningful improvement" in table.inner_text()
    licence = "© NHS Health Scotland, University of Warwick and University of Edinburgh"
    assert page.get_by_text(licence).first.is_visible()
    assert list(WellbeingMeasure.objects.values_list("point", "raw_score")) == [("baseline", 18), ("closure", 24)]

    page.get_by_role("link", name=re.compile("^Wellbeing measures to print")).click()
    axe(page)
    assert page.get_by_role("img", name="SWEMWBS metric score over time").is_visible()
