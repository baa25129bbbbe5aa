"""Wagtail admin: the moderation queue of public feedback (problem reports and activity suggestions).

Directory moderators and superusers (and any group granted the model's change permission) see
everything, held-back spam included. An organisation's members see only the reports about their
own organisation's listings, in the list and by URL: the permission policy scopes the queryset that
both the list and the edit view read from. Feedback is only ever marked resolved or dismissed with
a note here; it is never added, copied or deleted.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Q
from django.urls import path
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.log_actions import log
from wagtail.permission_policies.base import BasePermissionPolicy

from .. import feedback
from ..models import ActivitySuggestion, OrganisationMembership, ProblemReport
from ..models.feedback import FeedbackStatus
from ..services import MODERATORS_GROUP

ACTIONS = {"change", "view"}


class FeedbackPermissionPolicy(BasePermissionPolicy):
    """Who may moderate which feedback: object-level, from organisation membership."""

    def _visible(self, user):
        if self.model is ProblemReport:
            return feedback.reports_visible_to(user)
        return feedback.suggestions_visible_to(user)

    def user_has_permission(self, user, action):
        if action not in ACTIONS or not (user and user.is_authenticated and user.is_active):
            return False
        if feedback.is_moderator(user, self.model):
            return True
        return self.model is ProblemReport and OrganisationMembership.objects.filter(user=user).exists()

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        """The moderators (members see only some feedback, so are users "for instance", not for the model)."""
        if not ACTIONS & set(actions):
            return get_user_model().objects.none()
        permission = Permission.objects.filter(
            content_type__app_label=self.model._meta.app_label, codename=f"change_{self.model._meta.model_name}"
        )
        return get_user_model().objects.filter(
            Q(is_superuser=True) | Q(groups__name=MODERATORS_GROUP) | Q(groups__permissions__in=permission)
            | Q(user_permissions__in=permission),
            is_active=True,
        ).distinct()

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return self.model._default_manager.none()
        return self._visible(user)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.instances_user_has_permission_for(user, action).filter(pk=instance.pk).exists()


class ModerationForm(WagtailAdminModelForm):
    """Only moderators may hold something back as spam (or see that choice)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "status" in self.fields and not feedback.is_moderator(self.for_user, self._meta.model):
            self.fields["status"].choices = [
                choice for choice in self.fields["status"].choices if choice[0] != FeedbackStatus.HELD
            ]


class ShownIfSetPanel(FieldPanel):
    """A read-only field shown only when it has a value (why something was held back, for instance)."""

    def __init__(self, field_name, **kwargs):
        kwargs["read_only"] = True
        super().__init__(field_name, **kwargs)

    class BoundPanel(FieldPanel.BoundPanel):
        def is_shown(self):
            return bool(getattr(self.instance, self.field_name, None)) and super().is_shown()


class QueueView(generic.IndexView):
    def get_base_queryset(self):
        queryset = self.permission_policy.instances_user_has_permission_for(self.request.user, "change")
        if not self.request.GET.get("status"):
            queryset = queryset.exclude(status=FeedbackStatus.HELD)  # spam only when asked for
        return queryset


class ModerateView(generic.EditView):
    def get_queryset(self):
        # Someone else's report is "not found", not "forbidden": it does not exist for them.
        return self.permission_policy.instances_user_has_permission_for(self.request.user, "change")

    def save_instance(self):
        data = self.form.cleaned_data
        item = feedback.moderate(item=self.object, status=data["status"], note=data["resolution_note"],
                                 by=self.request.user)
        log(instance=item, action="wagtail.edit", content_changed=self.form.has_changed())
        return item


class FeedbackViewSet(ModelViewSet):
    index_view_class = QueueView
    edit_view_class = ModerateView
    copy_view_enabled = False
    inspect_view_enabled = False
    add_to_reference_index = False
    list_filter = ["status"]

    @property
    def permission_policy(self):
        return FeedbackPermissionPolicy(self.model)

    def get_common_view_kwargs(self, **kwargs):
        # No adding, deleting, history or usage pages: the views would not be scoped.
        return super().get_common_view_kwargs(
            **{"add_url_name": None, "delete_url_name": None, "history_url_name": None, "usage_url_name": None,
               **kwargs}
        )

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("edit/<int:pk>/", self.edit_view, name="edit"),
        ]


class ProblemReportViewSet(FeedbackViewSet):
    model = ProblemReport
    name = "directory_problem_reports"
    url_prefix = "problem-reports"
    icon = "warning"
    menu_label = "Problem reports"
    list_display = ["__str__", "status", "created_at"]
    list_filter = ["status", "kind"]
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [FieldPanel("service", read_only=True), FieldPanel("kind", read_only=True),
                 FieldPanel("details", read_only=True), FieldPanel("reporter_email", read_only=True),
                 FieldPanel("created_at", read_only=True), ShownIfSetPanel("held_back_reason")],
                heading="The report",
            ),
            MultiFieldPanel([FieldPanel("status"), FieldPanel("resolution_note")], heading="What was done"),
        ],
        base_form_class=ModerationForm,
    )


class ActivitySuggestionViewSet(FeedbackViewSet):
    model = ActivitySuggestion
    name = "directory_activity_suggestions"
    url_prefix = "activity-suggestions"
    icon = "comment"
    menu_label = "Activity suggestions"
    list_display = ["name", "status", "created_at"]
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [FieldPanel("name", read_only=True), FieldPanel("description", read_only=True),
                 FieldPanel("where", read_only=True), FieldPanel("organiser", read_only=True),
                 FieldPanel("suggester_email", read_only=True), FieldPanel("created_at", read_only=True),
                 ShownIfSetPanel("held_back_reason")],
                heading="The suggestion",
            ),
            MultiFieldPanel([FieldPanel("status"), FieldPanel("resolution_note")], heading="What was done"),
        ],
        base_form_class=ModerationForm,
    )


class FeedbackViewSetGroup(ViewSetGroup):
    menu_label = "Feedback"
    menu_icon = "comment"
    items = (ProblemReportViewSet, ActivitySuggestionViewSet)


viewsets: list = [FeedbackViewSetGroup()]
