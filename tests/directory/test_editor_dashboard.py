"""A group's editor opens the admin to their own listings, where each stands and what waits for a moderator;
not another organisation's, and not Wagtail's own panels or release news. Moderators keep Wagtail's dashboard."""

from datetime import date

import pytest
from wagtail.models import Page

from directory.models import ListingFreshness
from directory.services import add_member
from portal.roles import Role
from tests.factories import organisation, service, user_with_role
from tests.mfa import signed_in_client

WAGTAIL_PANELS = ("Your most recent edits", "Your locked pages", "Awaiting your review",
                  "Your pages and snippets in a workflow")


@pytest.fixture
def world(db):
    alpha, beta = organisation(name="Alpha Walking Group"), organisation(name="Beta Singing Club")
    editor = user_with_role(Role.RESIDENT)
    add_member(organisation=alpha, user=editor)
    up_to_date = service(alpha, name="Alpha Sunday Stroll")
    overdue = service(alpha, name="Alpha Canal Walk")
    ListingFreshness.objects.filter(service_id=overdue.pk).update(review_by=date(2024, 3, 1))
    pending = service(alpha, name="Alpha Night Walk", publish=False)
    pending.get_workflow().start(pending, editor)
    changed = Page.objects.get(pk=up_to_date.pk).specific
    changed.title = "Alpha Sunday Stroll (now at 10am)"
    changed.save_revision(user=editor)
    changed.get_workflow().start(changed, editor)
    service(beta, name="Beta Choir")
    return {"editor": editor, "moderator": user_with_role(Role.MODERATOR), "pending": pending, "overdue": overdue}


def test_the_editor_sees_their_listings_and_what_waits(client, world):
    client.force_login(world["editor"])
    page = client.get("/admin/").content.decode()

    waiting = page[page.index("Waiting for a moderator"):page.index("Alpha Walking Group</span>")]
    assert "Alpha Night Walk" in waiting and "Waiting for approval" in waiting
    assert "Alpha Sunday Stroll (now at 10am)" in waiting and "Listed, with changes waiting for approval" in waiting
    assert "Alpha Canal Walk" not in waiting
    assert f'href="/admin/pages/{world["pending"].pk}/edit/"' in waiting

    listings = page[page.index("Alpha Walking Group</span>"):]
    for title in ("Alpha Canal Walk", "Alpha Night Walk", "Alpha Sunday Stroll (now at 10am)"):
        assert title in listings
    assert "Review due since 1 March 2024" in listings
    assert f'href="/admin/pages/{world["overdue"].pk}/edit/"' in listings


def test_the_editor_sees_nothing_of_another_organisation(client, world):
    client.force_login(world["editor"])
    page = client.get("/admin/").content.decode()
    assert "Beta Choir" not in page and "Beta Singing Club" not in page


def test_the_editor_gets_no_wagtail_panels_or_release_news(client, world):
    client.force_login(world["editor"])
    page = client.get("/admin/").content.decode()
    assert not [heading for heading in WAGTAIL_PANELS if heading in page]
    assert "whats-new-in-wagtail" not in page and "What&#x27;s new in Wagtail" not in page


def test_with_nothing_waiting_the_editor_is_told_so(client, db):
    editor = user_with_role(Role.VCS_EDITOR)
    client.force_login(editor)
    assert "Nothing is waiting for a moderator." in client.get("/admin/").content.decode()


def test_a_moderator_keeps_wagtails_dashboard_with_their_review_queue(world):
    page = signed_in_client(world["moderator"]).get("/admin/").content.decode()
    awaiting = page[page.index("Awaiting your review"):]
    assert "Alpha Night Walk" in awaiting and "Alpha Sunday Stroll (now at 10am)" in awaiting
    assert "Waiting for a moderator" not in page
    assert "whats-new-in-wagtail" in page  # the help menu's link, which editors do not get


def test_the_listings_cost_the_same_queries_however_many_there_are(world):
    """Each listing's moderation state and review date are read with the pages, not once per listing."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from directory import onboarding

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            listed = onboarding.organisations_of(world["editor"])
            [(item["status"], [(s["status"], s["review"]) for s in item["services"]]) for item in listed]
        return len(captured)

    before = queries()
    alpha = world["pending"].get_parent()
    for n in range(6):
        late = service(alpha, name=f"Alpha Evening Walk {n}")
        ListingFreshness.objects.filter(service_id=late.pk).update(review_by=date(2024, 3, 1))
    assert queries() == before
    listed = onboarding.organisations_of(world["editor"])
    assert sum(s["review"].startswith("Review due since") for s in listed[0]["services"]) == 7
