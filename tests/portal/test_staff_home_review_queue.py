"""A directory moderator's staff home leads to their review queue and says how much is in it."""

import pytest

from directory.models import OrganisationMembership
from directory.services import add_member
from portal.roles import Role
from tests.factories import organisation, service, user_with_role
from tests.mfa import signed_in_client

QUEUE_URL = "/admin/reports/workflow_tasks/?reviewable=true"


@pytest.fixture
def submitted(db):
    """Four services an editor sent to the moderators; the first has since been approved."""
    org = organisation(name="Owlsmoor Allotment Society")
    editor = user_with_role(Role.RESIDENT)
    add_member(organisation=org, user=editor)
    pages = []
    for name in ("Seed swap", "Plot open day", "Compost clinic", "Harvest supper"):
        page = service(org, name=name, publish=False)
        page.get_workflow().start(page, editor)
        pages.append(page)
    moderator = user_with_role(Role.MODERATOR)
    task_state = pages[0].current_workflow_task_state
    task_state.task.specific.on_action(task_state, moderator, "approve")
    return {"moderator": moderator, "organisation": org}


def test_the_moderator_sees_how_many_changes_wait_and_the_queue_holds_them(submitted):
    client = signed_in_client(submitted["moderator"])
    home = client.get("/staff/").content.decode()
    assert f'<a href="{QUEUE_URL}">3 changes to listings are waiting for your review</a>' in home.replace("&amp;", "&")

    queue = client.get(QUEUE_URL)
    assert queue.status_code == 200
    body = queue.content.decode()
    for title in ("Plot open day", "Compost clinic", "Harvest supper"):
        assert title in body
    assert "Seed swap" not in body


def test_with_nothing_waiting_the_moderator_is_told_so(db):
    organisation()  # the directory, its moderators' group and its workflow
    home = signed_in_client(user_with_role(Role.MODERATOR)).get("/staff/").content.decode()
    assert "Nothing is waiting for your review." in home
    assert f'href="{QUEUE_URL}"' in home


def test_commissioners_are_not_shown_a_review_queue(submitted):
    home = signed_in_client(user_with_role(Role.COMMISSIONER)).get("/staff/").content.decode()
    assert "Directory moderation" not in home and "waiting for your review" not in home


def test_staff_home_names_the_organisations_a_person_belongs_to(submitted):
    link_worker = user_with_role(Role.LINK_WORKER)
    add_member(organisation=submitted["organisation"], user=link_worker, role=OrganisationMembership.Role.MANAGER)
    home = signed_in_client(link_worker).get("/staff/").content.decode()
    assert "<li>Owlsmoor Allotment Society (Manager)</li>" in home
