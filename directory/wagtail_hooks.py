"""Wagtail admin registration for the directory, and what organisation editors see of the admin."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from wagtail import hooks
from wagtail.users.models import UserProfile

from .admin import claims, feedback, taxonomy
from .admin.dashboard import YourListingsPanel
from .permissions import explorable_pages, is_moderator


@hooks.register("register_admin_viewset")
def register_directory_viewsets():
    return [*feedback.viewsets, *claims.viewsets, *taxonomy.viewsets]


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


@hooks.register("construct_homepage_panels")
def editors_see_their_own_listings(request, panels):
    """An editor's dashboard: their listings and what waits for a moderator. Moderators keep Wagtail's
    panels, whose "Awaiting your review" is their queue."""
    if not is_moderator(request.user):
        panels[:] = [YourListingsPanel()]


@hooks.register("construct_help_menu")
def no_wagtail_release_news_for_editors(request, menu_items):
    if not is_moderator(request.user):
        menu_items[:] = [item for item in menu_items if not item.name.startswith("whats-new-in-wagtail")]


# After sending a listing to the moderators ------------------------------------------------------


@hooks.register("after_edit_page")
def editors_return_to_their_organisations_after_submitting(request, page):
    return _after_sending(request, page, new=False)


@hooks.register("after_create_page")
def editors_return_to_their_organisations_after_adding(request, page):
    return _after_sending(request, page, new=True)


def _after_sending(request, page, *, new: bool):
    """An editor who sent a listing to the moderators goes back to "Your organisations", told what happens
    next. Saving a draft keeps them on the edit page; moderators stay in Wagtail's own flow."""
    if is_moderator(request.user) or not _sent_for_moderation(request, page):
        return None
    _replace_wagtail_confirmation(request, what_happens_next(request.user, page, new=new))
    return redirect("directory:your_organisations")


def _sent_for_moderation(request, page) -> bool:
    # Wagtail falls back to saving a draft when a submission is not allowed: the workflow state says what
    # happened. Read afresh, since the edit view's page holds the states it had before the action.
    state = page.workflow_states.active().first()
    asked = request.POST.get("action-submit") or request.POST.get("action-restart-workflow")
    return bool(asked) and state is not None and state.status == state.STATUS_IN_PROGRESS


def what_happens_next(user, page, *, new: bool) -> str:
    """The confirmation an editor reads after sending `page` to the moderators; every sentence holds."""
    title = page.get_admin_display_title()
    if new:
        sentences = [f"Your new {page._meta.verbose_name} ‘{title}’ was sent to the directory's moderators."]
    elif page.live:
        sentences = [f"Your changes to ‘{title}’ were sent to the directory's moderators."]
    else:
        sentences = [f"‘{title}’ was sent to the directory's moderators."]
    days = settings.DIRECTORY_MODERATION_WORKING_DAYS
    if days:
        sentences.append(f"They usually review changes within {days} working day{'' if days == 1 else 's'}.")
    sentences.append("The live listing stays as it was until they approve your changes." if page.live and not new
                     else "It will appear in the directory once they approve it.")
    # Wagtail emails whoever submitted when the change is approved or sent back, unless they turned it off.
    profile = UserProfile.get_for_user(user)
    approved, rejected = user.email and profile.approved_notifications, user.email and profile.rejected_notifications
    if approved and rejected:
        sentences.append("We'll email you when they approve it or if they ask for changes.")
    elif approved:
        sentences.append("We'll email you when they approve it.")
    elif rejected:
        sentences.append("We'll email you if they ask for changes.")
    return " ".join(sentences)


def _replace_wagtail_confirmation(request, text: str) -> None:
    """Put `text` in place of the confirmation Wagtail queued a moment ago: that one is HTML with buttons
    for the admin, and the editor is leaving the admin for a page of the site."""
    queued = list(messages.get_messages(request))  # reading them takes them all off the queue
    if queued and queued[-1].level == messages.SUCCESS:
        queued.pop()  # Wagtail's, added just before its after_*_page hooks run
    for message in queued:
        messages.add_message(request, message.level, message.message, extra_tags=message.extra_tags)
    messages.success(request, text)
