"""After a group's editor sends a listing to the moderators, through Wagtail's own edit and add forms,
they are back on "Your organisations", told what happens next; and what they are told comes true.
Moderators, and an editor saving a draft, stay in Wagtail's flow."""

import pytest
from django.core import mail
from wagtail.users.models import UserProfile

from directory.models import Service
from directory.services import add_member
from portal.roles import Role
from tests.directory.admin_forms import form_data
from tests.factories import organisation, service, user_with_role
from tests.mfa import activate_totp, sign_in_with_mfa

YOUR_ORGANISATIONS = "/your-organisations/"


@pytest.fixture
def listing(db):
    org = organisation(name="Crowthorne Carers' Café")
    editor = user_with_role(Role.RESIDENT, email="eddie@example.org")
    add_member(organisation=org, user=editor)
    moderator = user_with_role(Role.MODERATOR)
    activate_totp(moderator)
    return {"organisation": org, "service": service(org, name="Carers' coffee morning"), "editor": editor,
            "moderator": moderator}


def post_edit(client, page, **changes):
    data = form_data(client.get(f"/admin/pages/{page.pk}/edit/").content.decode())
    return client.post(f"/admin/pages/{page.pk}/edit/", {**data, **changes})


def test_an_editor_who_submits_a_change_lands_on_your_organisations_told_what_happens_next(client, listing):
    client.force_login(listing["editor"])
    response = post_edit(client, listing["service"], title="Carers' coffee morning (fortnightly)",
                         **{"action-submit": "1"})

    assert response.status_code == 302 and response["Location"] == YOUR_ORGANISATIONS
    page = client.get(YOUR_ORGANISATIONS).content.decode()
    assert ("Your changes to ‘Carers&#x27; coffee morning (fortnightly)’ were sent to the directory&#x27;s "
            "moderators.") in page
    assert "The live listing stays as it was until they approve your changes." in page
    assert "We&#x27;ll email you when they approve it or if they ask for changes." in page
    assert "Listed, with changes waiting for approval" in page
    # Wagtail's own confirmation (with its admin buttons) is not shown on the site's page.
    assert "has been submitted for moderation" not in page
    assert Service.objects.get(pk=listing["service"].pk).current_workflow_state.status == "in_progress"


def test_the_time_moderators_take_is_said_only_when_it_is_set(client, listing, settings):
    client.force_login(listing["editor"])
    settings.DIRECTORY_MODERATION_WORKING_DAYS = 3
    post_edit(client, listing["service"], **{"action-submit": "1"})
    assert "They usually review changes within 3 working days." in client.get(YOUR_ORGANISATIONS).content.decode()


def test_without_a_set_time_none_is_promised(client, listing, settings):
    client.force_login(listing["editor"])
    settings.DIRECTORY_MODERATION_WORKING_DAYS = None
    post_edit(client, listing["service"], **{"action-submit": "1"})
    page = client.get(YOUR_ORGANISATIONS).content.decode()
    assert "sent to the directory&#x27;s moderators" in page and "working day" not in page


def test_no_email_is_promised_to_an_editor_who_turned_those_emails_off(client, listing):
    profile = UserProfile.get_for_user(listing["editor"])
    profile.approved_notifications = profile.rejected_notifications = False
    profile.save()
    client.force_login(listing["editor"])
    post_edit(client, listing["service"], **{"action-submit": "1"})
    page = client.get(YOUR_ORGANISATIONS).content.decode()
    assert "sent to the directory&#x27;s moderators" in page and "email you" not in page


def test_the_emails_promised_are_sent(client, listing):
    """Approval, and a request for changes with the moderator's comment, each reach the editor."""
    client.force_login(listing["editor"])
    post_edit(client, listing["service"], title="Carers' coffee morning (fortnightly)", **{"action-submit": "1"})
    sign_in_with_mfa(client, listing["moderator"])
    task_state = Service.objects.get(pk=listing["service"].pk).current_workflow_task_state
    mail.outbox.clear()
    client.post(f"/admin/pages/workflow/action/{listing['service'].pk}/reject/{task_state.pk}/",
                {"comment": "Which room is it in now?"})
    to_editor = [m for m in mail.outbox if m.to == ["eddie@example.org"]]
    assert len(to_editor) == 1 and "Which room is it in now?" in to_editor[0].body

    client.force_login(listing["editor"])
    post_edit(client, listing["service"], **{"action-submit": "1"})  # resubmitted after the changes
    sign_in_with_mfa(client, listing["moderator"])
    task_state = Service.objects.get(pk=listing["service"].pk).current_workflow_task_state
    mail.outbox.clear()
    client.post(f"/admin/pages/workflow/action/{listing['service'].pk}/approve/{task_state.pk}/", {"comment": ""})
    assert Service.objects.get(pk=listing["service"].pk).live_revision.as_object().title.endswith("(fortnightly)")
    to_editor = [m for m in mail.outbox if m.to == ["eddie@example.org"]]
    assert len(to_editor) == 1 and "approved" in to_editor[0].body


def test_saving_a_draft_keeps_the_editor_on_the_edit_page(client, listing):
    client.force_login(listing["editor"])
    page = listing["service"]
    response = post_edit(client, page, title="Carers' coffee morning (draft)")
    assert response.status_code == 302 and response["Location"] == f"/admin/pages/{page.pk}/edit/"
    assert Service.objects.get(pk=page.pk).current_workflow_state is None


def test_a_new_service_sent_for_approval_returns_to_your_organisations(client, listing):
    client.force_login(listing["editor"])
    add_url = f"/admin/pages/add/directory/service/{listing['organisation'].pk}/"
    data = form_data(client.get(add_url).content.decode())
    data.update(title="Saturday singing", slug="saturday-singing", description="Songs and tea.",
                **{"action-submit": "1"})
    response = client.post(add_url, data)

    assert response.status_code == 302 and response["Location"] == YOUR_ORGANISATIONS, response.content.decode()[:2000]
    page = client.get(YOUR_ORGANISATIONS).content.decode()
    assert "Your new service ‘Saturday singing’ was sent to the directory&#x27;s moderators." in page
    assert "It will appear in the directory once they approve it." in page
    new = Service.objects.get(title="Saturday singing")
    assert not new.live and new.current_workflow_state.status == "in_progress"


def test_a_moderator_who_submits_keeps_wagtails_flow(client, listing):
    sign_in_with_mfa(client, listing["moderator"])
    page = listing["service"]
    response = post_edit(client, page, **{"action-submit": "1"})
    assert response.status_code == 302 and response["Location"] == f"/admin/pages/{page.get_parent().pk}/"
    assert "has been submitted for moderation" in client.get(response["Location"]).content.decode()
