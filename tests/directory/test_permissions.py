"""An editor of organisation A can do nothing to organisation B's listings, by any admin URL.

Each action is tried by URL: the response must refuse, and B's page must be exactly as it was.
The same actions on A's own listing succeed where an editor is meant to be able to act, so the
refusals prove object-level permission, not a broken form.
"""

import pytest
from wagtail.models import Page

from directory.models import Service
from portal.roles import Role
from tests.directory.admin_forms import form_data
from tests.factories import organisation, service, user_with_role
from tests.mfa import activate_totp, sign_in_with_mfa
from directory.services import add_member


@pytest.fixture
def world(db, client):
    org_a, org_b = organisation(name="Alpha Walking Group"), organisation(name="Beta Singing Club")
    editor_a = user_with_role(Role.RESIDENT)
    add_member(organisation=org_a, user=editor_a)
    service_a, service_b = service(org_a, name="Alpha Walk"), service(org_b, name="Beta Choir")
    admin = user_with_role(Role.SITE_ADMIN, is_superuser=True)
    activate_totp(admin)
    return {"org_a": org_a, "org_b": org_b, "editor": editor_a, "service_a": service_a, "service_b": service_b,
            "admin": admin}


def snapshot(page: Page) -> tuple:
    page = Page.objects.get(pk=page.pk).specific
    return (page.title, page.live, page.has_unpublished_changes, page.revisions.count(), page.get_parent().pk,
            Page.objects.filter(pk=page.pk).exists(), page.get_children().count())


def edit_data_as_admin(client, world, page, **changes) -> dict:
    sign_in_with_mfa(client, world["admin"])
    data = form_data(client.get(f"/admin/pages/{page.pk}/edit/").content.decode())
    client.logout()
    data.update(changes)
    return data


def refused(response) -> bool:
    """Wagtail refuses with 403, or by sending the user to the dashboard with "Sorry, you do not have permission"."""
    return response.status_code == 403 or (response.status_code == 302 and response["Location"] == "/admin/")


ACTIONS = {
    "view edit form": lambda c, w, p: c.get(f"/admin/pages/{p.pk}/edit/"),
    "save draft": lambda c, w, p: c.post(f"/admin/pages/{p.pk}/edit/", w["data"]),
    "publish": lambda c, w, p: c.post(f"/admin/pages/{p.pk}/edit/", {**w["data"], "action-publish": "1"}),
    "submit for moderation": lambda c, w, p: c.post(f"/admin/pages/{p.pk}/edit/", {**w["data"], "action-submit": "1"}),
    "unpublish": lambda c, w, p: c.post(f"/admin/pages/{p.pk}/unpublish/"),
    "delete (form)": lambda c, w, p: c.get(f"/admin/pages/{p.pk}/delete/"),
    "delete": lambda c, w, p: c.post(f"/admin/pages/{p.pk}/delete/"),
    "move": lambda c, w, p: c.post(f"/admin/pages/{p.pk}/move/{w['org_a'].pk}/confirm/"),
    "copy": lambda c, w, p: c.post(f"/admin/pages/{p.pk}/copy/", {"new_title": "Copied", "new_slug": "copied",
                                                                  "new_parent_page": w["org_a"].pk}),
    "history": lambda c, w, p: c.get(f"/admin/pages/{p.pk}/history/"),
    "revert to a revision": lambda c, w, p: c.get(
        f"/admin/pages/{p.pk}/revisions/{p.revisions.first().pk}/revert/"),
    "preview": lambda c, w, p: c.post(f"/admin/pages/{p.pk}/edit/preview/", w["data"]),
    "lock": lambda c, w, p: c.post(f"/admin/pages/{p.pk}/lock/"),
}


@pytest.mark.parametrize("action", ACTIONS)
def test_editor_of_a_cannot_touch_a_service_of_b(client, world, action):
    target = world["service_b"]
    world["data"] = edit_data_as_admin(client, world, target, title="Hijacked by A")
    before = snapshot(target)
    client.force_login(world["editor"])
    response = ACTIONS[action](client, world, target)
    assert refused(response), f"{action}: {response.status_code} {response.get('Location', '')}"
    assert snapshot(target) == before


@pytest.mark.parametrize("action", ["view edit form", "save draft", "publish", "delete", "unpublish", "lock"])
def test_editor_of_a_cannot_touch_organisation_b_itself(client, world, action):
    target = world["org_b"]
    world["data"] = edit_data_as_admin(client, world, target, title="Hijacked by A")
    before = snapshot(target)
    client.force_login(world["editor"])
    response = ACTIONS[action](client, world, target)
    assert refused(response), f"{action}: {response.status_code} {response.get('Location', '')}"
    assert snapshot(target) == before


def test_editor_of_a_cannot_add_a_service_under_b(client, world):
    before = snapshot(world["org_b"])
    client.force_login(world["editor"])
    assert refused(client.get(f"/admin/pages/add/directory/service/{world['org_b'].pk}/"))
    assert refused(client.post(f"/admin/pages/add/directory/service/{world['org_b'].pk}/", {"title": "Sneaky"}))
    assert snapshot(world["org_b"]) == before


def test_editor_of_a_explores_only_a(client, world):
    client.force_login(world["editor"])
    response = client.get(f"/admin/pages/{world['org_a'].get_parent().pk}/", follow=True)
    listing = response.content.decode()
    assert "Alpha Walk" in listing
    assert "Beta" not in listing
    # Asking for B's part of the tree sends the editor back to their own.
    response = client.get(f"/admin/pages/{world['org_b'].pk}/")
    assert response.status_code == 302 and response["Location"] == f"/admin/pages/{world['org_a'].pk}/"


def test_editor_can_open_and_save_their_own_service(client, world):
    own = world["service_a"]
    data = edit_data_as_admin(client, world, own, title="Alpha Walk (longer route)")
    client.force_login(world["editor"])
    assert client.get(f"/admin/pages/{own.pk}/edit/").status_code == 200
    response = client.post(f"/admin/pages/{own.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    own = Service.objects.get(pk=own.pk)
    assert own.title == "Alpha Walk"  # the live title: a draft is not live
    assert own.get_latest_revision_as_object().title == "Alpha Walk (longer route)"


def test_editor_cannot_publish_or_delete_their_own_live_service(client, world):
    own = world["service_a"]
    data = edit_data_as_admin(client, world, own, title="Published without review")
    client.force_login(world["editor"])
    client.post(f"/admin/pages/{own.pk}/edit/", {**data, "action-publish": "1"})
    assert Service.objects.get(pk=own.pk).title == "Alpha Walk"
    assert refused(client.post(f"/admin/pages/{own.pk}/delete/"))
    assert Service.objects.filter(pk=own.pk, live=True).exists()
