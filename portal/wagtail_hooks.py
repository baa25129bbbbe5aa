"""Wagtail admin: what visitors said about the site through the phase banner's feedback form, to read and
delete. There is nothing to moderate or reply to, so there is no adding or editing."""

from django.urls import path
from django.utils.text import Truncator
from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet

from .models import SiteFeedback


class SiteFeedbackViewSet(ModelViewSet):
    model = SiteFeedback
    name = "portal_site_feedback"
    url_prefix = "site-feedback"
    icon = "comment"
    menu_label = "Site feedback"
    add_to_admin_menu = True
    inspect_view_enabled = True
    copy_view_enabled = False
    add_to_reference_index = False
    list_display = [
        "satisfaction",
        Column("improvement", label="How could we improve",
               accessor=lambda feedback: Truncator(feedback.improvement).words(20)),
        "site",
        "created_at",
    ]
    list_filter = ["satisfaction", "site"]
    inspect_view_fields = ["satisfaction", "improvement", "site", "created_at"]

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            **{"add_url_name": None, "edit_url_name": None, "history_url_name": None, "usage_url_name": None,
               **kwargs}
        )

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
            path("delete/<int:pk>/", self.delete_view, name="delete"),
        ]


@hooks.register("register_admin_viewset")
def register_site_feedback_viewset():
    return SiteFeedbackViewSet()
