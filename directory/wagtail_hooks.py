"""Wagtail admin registration for the directory, and what organisation editors see of other organisations."""

from wagtail import hooks

from .admin import claims, feedback
from .permissions import explorable_pages, is_moderator


@hooks.register("register_admin_viewset")
def register_directory_viewsets():
    return [*feedback.viewsets, *claims.viewsets]


@hooks.register("construct_page_chooser_queryset")
def editors_choose_only_pages_they_explore(pages, request):
    """An editor browsing or searching the page chooser sees their own organisation's pages (and the
    pages above them), never another organisation's pages under their draft titles."""
    if is_moderator(request.user):
        return pages
    return pages.filter(pk__in=explorable_pages(request.user).values("pk"))


@hooks.register("construct_reports_menu")
def reports_are_for_moderators(request, menu_items):
    # The reports list every page and who edited it; EditorScopeMiddleware refuses their URLs too.
    if not is_moderator(request.user):
        menu_items[:] = []


@hooks.register("construct_main_menu")
def form_submissions_are_for_moderators(request, menu_items):
    if not is_moderator(request.user):
        menu_items[:] = [item for item in menu_items if item.name not in ("forms", "reports")]
