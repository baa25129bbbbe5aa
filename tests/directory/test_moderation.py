"""Community editors' changes wait for a moderator, who sees what changed; history can be restored."""

import pytest
from wagtail.models import Page

from directory.models import Service
from directory.services import add_member
from portal.roles import Role
from tests.directory.admin_forms import form_data
from tests.factories import organisation, service, user_with_role
from tests.mfa import activate_totp, sign_in_with_mfa


@pytest.fixture
def listing(db, client):
    org = organisation(name="Crowthorne Carers' Café")
    editor = user_with_role(Role.RESIDENT)
    add_member(organisation=org, user=editor)
    moderator = user_with_role(Role.MODERATOR)
    activate_totp(moderator)
    return {"service": service(org, name="Carers' coffee morning"), "editor": editor, "moderator": moderator}


def submit_edit(client, user, page, **changes):
    client.force_login(user)
    data = form_data(client.get(f"/admin/pages/{page.pk}/edit/").content.decode())
    data.update(changes)
    response = client.post(f"/admin/pages/{page.pk}/edit/", {**data, "action-submit": "1"})
    assert response.status_code == 302, response.content.decode()[:3000]
    return response


def test_community_edit_is_not_live_until_approved(client, listing):
    page = listing["service"]
    submit_edit(client, listing["editor"], page, title="Carers' coffee morning (now fortnightly)")

    live = Service.objects.get(pk=page.pk)
    assert live.title == "Carers' coffee morning"
    client.logout()  # as a resident sees it
    assert "now fortnightly" not in client.get(live.url).content.decode()
    state = live.current_workflow_state
    assert state is not None and state.status == "in_progress"

    # The moderator sees the change against the live version...
    sign_in_with_mfa(client, listing["moderator"])
    latest = live.get_latest_revision()
    compare = client.get(f"/admin/pages/{page.pk}/revisions/compare/live...{latest.pk}/")
    assert compare.status_code == 200
    body = compare.content.decode()
    assert "Carers&#x27; coffee morning" in body and "(now fortnightly)" in body

    # ...and approves it, which publishes it.
    task_state = state.current_task_state
    response = client.post(f"/admin/pages/workflow/action/{page.pk}/approve/{task_state.pk}/", {"comment": ""})
    assert response.status_code in (200, 302)
    assert Service.objects.get(pk=page.pk).title == "Carers' coffee morning (now fortnightly)"


def test_editors_cannot_approve_their_own_change(client, listing):
    page = listing["service"]
    submit_edit(client, listing["editor"], page, title="Self-approved")
    task_state = Service.objects.get(pk=page.pk).current_workflow_state.current_task_state
    client.post(f"/admin/pages/workflow/action/{page.pk}/approve/{task_state.pk}/", {"comment": ""})
    assert Service.objects.get(pk=page.pk).title == "Carers' coffee morning"


def test_moderator_can_reject_with_a_comment(client, listing):
    page = listing["service"]
    submit_edit(client, listing["editor"], page, title="Wrong title")
    sign_in_with_mfa(client, listing["moderator"])
    task_state = Service.objects.get(pk=page.pk).current_workflow_state.current_task_state
    client.post(f"/admin/pages/workflow/action/{page.pk}/reject/{task_state.pk}/", {"comment": "Please keep the name."})
    live = Service.objects.get(pk=page.pk)
    assert live.title == "Carers' coffee morning"
    assert live.current_workflow_state.status == "needs_changes"


def test_history_can_be_restored(client, listing):
    page = listing["service"]
    first_revision = page.revisions.order_by("created_at").first()
    sign_in_with_mfa(client, listing["moderator"])
    data = form_data(client.get(f"/admin/pages/{page.pk}/edit/").content.decode())
    client.post(f"/admin/pages/{page.pk}/edit/", {**data, "title": "A mistaken edit", "action-publish": "1"})
    assert Service.objects.get(pk=page.pk).title == "A mistaken edit"

    history = client.get(f"/admin/pages/{page.pk}/history/")
    assert history.status_code == 200
    revert_form = client.get(f"/admin/pages/{page.pk}/revisions/{first_revision.pk}/revert/")
    assert revert_form.status_code == 200
    data = form_data(revert_form.content.decode())
    assert data["title"] == "Carers' coffee morning"
    client.post(f"/admin/pages/{page.pk}/edit/", {**data, "action-publish": "1"})
    assert Page.objects.get(pk=page.pk).title == "Carers' coffee morning"
