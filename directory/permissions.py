"""Who sees what of the directory in the Wagtail admin: moderators see every listing; an organisation's
editors see their own organisation's listings and nothing of anyone else's drafts or editors.

Wagtail guards editing by page permissions already, but several of its views show any page's draft
title, or who edited it, to anyone who can open the admin: choosers, reports, bulk action and move
confirmations. For editors those are narrowed here: the choosers list only pages the editor can
explore (their organisation and the pages above it), and `directory.middleware.EditorScopeMiddleware`
refuses the rest.
"""

from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy

_policy = PagePermissionPolicy()

# Admin views that list pages across the whole directory, or who edited them: for moderators only.
MODERATOR_NAMESPACES = frozenset({"wagtailadmin_reports", "wagtailforms"})
MODERATOR_VIEWS = frozenset({
    "wagtail_bulk_action",  # editors may neither publish, unpublish, move nor delete
    "wagtailadmin_pages:type_use", "wagtailadmin_pages:type_use_results",
})
# URL parameters that name a page the view is about (its edit form, history, revisions, workflow),
# and those that name a page shown as a place in the tree (a chooser's folder, a move's destination).
PAGE_PARAMETERS = ("page_id", "page_to_move_id", "page_pk")
PLACE_PARAMETERS = ("parent_page_id", "destination_id")
# Wagtail's explorer narrows itself: it sends an editor asking for another part of the tree to their own.
SELF_SCOPED_VIEWS = frozenset({"wagtailadmin_explore", "wagtailadmin_explore_results"})


def is_moderator(user) -> bool:
    """Superusers and anyone who may publish somewhere (the "Directory moderators" group): they see every page."""
    return user.is_superuser or _policy.user_has_permission(user, "publish")


def explorable_pages(user):
    """The pages an editor may see in the admin: their organisations' subtrees and the pages above them."""
    return _policy.explorable_instances(user)


def may_see_page(user, page_id) -> bool:
    page = Page.objects.filter(pk=page_id).first()
    return page is None or page.permissions_for_user(user).can_edit()


def may_see_place(user, page_id) -> bool:
    return not Page.objects.filter(pk=page_id).exists() or explorable_pages(user).filter(pk=page_id).exists()
