"""An editor of organisation A learns nothing of organisation B's drafts or editors from any admin URL.

Every pattern under /admin/ is read from the URLconf (so a view added later, by Wagtail or by us, is
walked too) and filled with B's pages, their revisions, workflow state and task state, and
opened by editor A. B's service has an unpublished draft under a distinctive title, submitted to
moderation and locked by B's editor: no page may show that title, or B's editor's name or email.
Directory moderators still see them where their work needs them.
"""

import itertools
import re

import pytest
from django.urls.resolvers import RegexPattern
from django.utils import timezone
from wagtail.models import Page, TaskState

from directory.services import add_member
from portal.roles import Role
from tests.factories import organisation, service, user_with_role
from tests.mfa import signed_in_client
from tests.portal.urlconf import routes

DRAFT_TITLE = "Zanzibar Quokka Draft"
B_EDITOR_NAME = "Bronwen Quilliam-Secret"
B_EDITOR_EMAIL = "bronwen.quilliam@beta.example"
SECRETS = (DRAFT_TITLE, B_EDITOR_NAME, B_EDITOR_EMAIL)

# Views that end the session or serve static assets: nothing of B's can be in them, and logging
# out would end the walk.
SKIP = {"wagtailadmin_logout", "wagtailadmin_sprite", "wagtailadmin_javascript_catalog"}


@pytest.fixture
def world(db):
    org_a, org_b = organisation(name="Alpha Walking Group"), organisation(name="Beta Singing Club")
    editor_a = user_with_role(Role.RESIDENT)
    editor_b = user_with_role(Role.RESIDENT, full_name=B_EDITOR_NAME, email=B_EDITOR_EMAIL)
    add_member(organisation=org_a, user=editor_a)
    add_member(organisation=org_b, user=editor_b)
    service_a, service_b = service(org_a, name="Alpha Walk"), service(org_b, name="Beta Choir")
    # B's editor drafts a change under a new title, submits it to moderation, and holds the lock.
    draft = Page.objects.get(pk=service_b.pk).specific
    draft.title = DRAFT_TITLE
    revision = draft.save_revision(user=editor_b, log_action=True)
    workflow_state = draft.get_workflow().start(draft, editor_b)
    task_state = TaskState.objects.filter(workflow_state=workflow_state).latest("pk")
    Page.objects.filter(pk=service_b.pk).update(locked=True, locked_by=editor_b, locked_at=timezone.now())
    # Editor A has a draft of their own in moderation too, so every report has something to list.
    own = Page.objects.get(pk=service_a.pk).specific
    own.title = "Alpha Walk (longer route)"
    own.save_revision(user=editor_a, log_action=True)
    own.get_workflow().start(own, editor_a)
    return {
        "org_a": org_a, "org_b": org_b, "editor_a": editor_a, "editor_b": editor_b, "service_a": service_a,
        "service_b": service_b, "revision": revision, "workflow_state": workflow_state, "task_state": task_state,
        "directory": org_b.get_parent(),
    }


def _candidates(name: str, w: dict) -> list:
    """Values to try for a URL parameter: B's records, where a parameter can name one."""
    b, org_b = w["service_b"].pk, w["org_b"].pk
    by_name = {
        "page_id": [b, org_b], "page_to_move_id": [b, org_b], "page_pk": [b, org_b],
        "parent_page_id": [org_b, w["directory"].pk, b],
        "destination_id": [w["org_a"].pk, org_b],
        "revision_id": [w["revision"].pk],
        "workflow_state_id": [w["workflow_state"].pk],
        "task_state_id": [w["task_state"].pk],
        "task_id": [w["task_state"].task_id],
        "app_label": ["wagtailcore", "directory"], "content_type_app_name": ["directory"], "app_name": ["directory"],
        "model_name": ["page", "service"], "content_type_model_name": ["service"],
        "action": ["delete", "move", "publish", "unpublish"],
        "action_name": ["approve", "reject"],
        "object_id": [str(b)],
        "pk": [b, org_b, w["editor_b"].pk, w["workflow_state"].pk, w["task_state"].pk],
    }
    return by_name.get(name, [b])


_GROUP = re.compile(r"\((?:\?P<(\w+)>)?[^()]*\)")


def _fill_regex(route: str, w: dict) -> list[str]:
    """Wagtail's revision comparison is the one regex route with parameters that matter."""
    if "revisions/compare" in route:
        b, rev = w["service_b"].pk, w["revision"].pk
        first = w["service_b"].revisions.order_by("pk").first().pk
        return [f"/admin/pages/{b}/revisions/compare/earliest...latest/",
                f"/admin/pages/{b}/revisions/compare/{first}...{rev}/",
                f"/admin/pages/{b}/revisions/compare/live...{rev}/"]
    if _GROUP.search(route.removeprefix("^admin/")) or ".*" in route:
        return []
    return ["/" + route.replace("^", "").replace("$", "").replace("\\", "")]


def admin_urls(w: dict) -> list[str]:
    urls = []
    for found in routes():
        route, pattern = str(found), found.pattern
        if not route.lstrip("^").startswith("admin/") or pattern.name in SKIP:
            continue
        if isinstance(pattern.pattern, RegexPattern) or "^" in route:
            urls += _fill_regex(route, w)
            continue
        names = list(pattern.pattern.converters)
        for values in itertools.product(*(_candidates(name, w) for name in names)):
            path = route
            for name, value in zip(names, values):
                path = re.sub(rf"<(?:\w+:)?{name}>", str(value), path)
            urls.append("/" + path)
    return sorted(set(urls))


def queries(w: dict) -> list[str]:
    """Each URL is opened as it is, and asking for B's pages by id (bulk actions) and by words (search)."""
    ids = "&".join(f"id={pk}" for pk in (w["service_b"].pk, w["org_b"].pk))
    return ["", f"?{ids}&q=Zanzibar&parent_page_id={w['org_b'].pk}", "?q=Beta"]


def leaks_for(client, w: dict) -> dict[str, list[str]]:
    found = {}
    for url in admin_urls(w):
        for query in queries(w):
            response = client.get(url + query)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            text = body.decode(errors="replace")
            seen = [secret for secret in SECRETS if secret in text]
            if seen:
                found[url + query] = [response.status_code, *seen]
    return found


def test_the_walk_covers_the_admin(world):
    urls = admin_urls(world)
    assert len(urls) > 150
    for expected in ("/admin/reports/site-history/", "/admin/reports/workflow/", "/admin/choose-page/search/",
                     f"/admin/pages/{world['service_b'].pk}/history/",
                     f"/admin/pages/workflow/confirm_cancellation/{world['service_b'].pk}/",
                     "/admin/bulk/wagtailcore/page/delete/"):
        assert expected in urls


def test_no_admin_url_shows_an_editor_bs_drafts_or_editors(client, world):
    client.force_login(world["editor_a"])
    leaks = leaks_for(client, world)
    assert not leaks, "\n".join(f"{url}: {found}" for url, found in sorted(leaks.items()))


MODERATOR_PAGES = [
    "/admin/reports/workflow/", "/admin/reports/workflow_tasks/", "/admin/reports/site-history/",
    "/admin/reports/locked/", "/admin/choose-page/{org_b}/", "/admin/choose-page/search/?q=Beta",
    "/admin/pages/{service_b}/history/", "/admin/pages/{org_b}/",
]


@pytest.mark.parametrize("path", MODERATOR_PAGES)
def test_moderators_still_see_drafts_and_who_made_them(path, world):
    moderator = user_with_role(Role.MODERATOR)
    client = signed_in_client(moderator)
    response = client.get(path.format(org_b=world["org_b"].pk, service_b=world["service_b"].pk))
    assert response.status_code == 200
    text = response.content.decode()
    assert DRAFT_TITLE in text or B_EDITOR_NAME in text or B_EDITOR_EMAIL in text, path


def test_editor_a_still_sees_their_own_work(client, world):
    client.force_login(world["editor_a"])
    for path in (f"/admin/choose-page/{world['org_a'].pk}/", f"/admin/pages/{world['service_a'].pk}/history/",
                 f"/admin/pages/{world['org_a'].pk}/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "Alpha Walk (longer route)" in response.content.decode(), path


REPORTS = ["/admin/reports/site-history/", "/admin/reports/workflow/", "/admin/reports/workflow_tasks/",
           "/admin/reports/page-types-usage/", "/admin/reports/locked/", "/admin/reports/aging-pages/"]


def test_reports_are_refused_to_editors_and_gone_from_their_menu(client, world):
    client.force_login(world["editor_a"])
    for path in REPORTS:
        assert client.get(path).status_code == 403, path
    dashboard = client.get("/admin/").content.decode()
    assert "/admin/reports/" not in dashboard


@pytest.mark.parametrize("path", REPORTS)
def test_moderators_open_every_report(path, world):
    assert signed_in_client(user_with_role(Role.MODERATOR)).get(path).status_code == 200
