"""Refuses organisation editors the admin views that would show other organisations' drafts or editors."""

from django.core.exceptions import PermissionDenied

from .permissions import (
    MODERATOR_NAMESPACES,
    MODERATOR_VIEWS,
    PAGE_PARAMETERS,
    PLACE_PARAMETERS,
    SELF_SCOPED_VIEWS,
    explorable_pages,
    is_moderator,
    may_see_page,
    may_see_place,
)


class EditorScopeMiddleware:
    """For admin users who are not moderators: reports, page-type usage and bulk actions are refused, and
    any admin view about a page they cannot edit (history, revisions, workflow, moving) is a 403.

    Here rather than in each view because Wagtail's own views are the ones to narrow, and a view
    Wagtail adds later is covered by its URL parameters without anyone remembering it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        user = getattr(request, "user", None)
        if match is None or not request.path.startswith("/admin/"):
            return None
        if user is None or not user.is_authenticated or is_moderator(user):
            return None
        if set(match.namespaces) & MODERATOR_NAMESPACES or match.view_name in MODERATOR_VIEWS:
            raise PermissionDenied
        for name in PAGE_PARAMETERS:
            if name in view_kwargs and not may_see_page(user, view_kwargs[name]):
                raise PermissionDenied
        if match.view_name == "wagtailadmin_pages:revisions_compare" and not may_see_page(user, view_args[0]):
            raise PermissionDenied  # its page id is a positional group
        if match.view_name not in SELF_SCOPED_VIEWS:
            for name in PLACE_PARAMETERS:
                if name in view_kwargs and not may_see_place(user, view_kwargs[name]):
                    raise PermissionDenied
        if match.view_name == "wagtailadmin_choose_page_chosen_multiple":
            ids = [pk for pk in request.GET.getlist("id") if pk.isdigit()]
            if explorable_pages(user).filter(pk__in=ids).count() != len(set(ids)):
                raise PermissionDenied
        return None
