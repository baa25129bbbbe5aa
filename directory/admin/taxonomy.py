"""Wagtail admin: the needs and activities vocabulary, where moderators give each term its lay synonyms.

Lay synonyms are the words residents type for a term ("lonely", "on my own" for "Loneliness and
isolation"). Search matches them like the term's name, so a moderator can teach both engines a
word without a code release: saving a term whose lay synonyms (or name) changed records its
services afresh in the search outbox (`directory.indexing`). The terms themselves (codes, names,
the tree) are the seeded vocabulary and are not added, moved or deleted here.
"""

from django.db import transaction
from django.urls import path
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import BasePermissionPolicy

from ..models import TaxonomyTerm
from ..permissions import is_moderator

ACTIONS = {"change", "view"}


class TermPermissionPolicy(BasePermissionPolicy):
    """Moderators (and superusers) may edit lay synonyms; nobody adds or deletes terms here."""

    def user_has_permission(self, user, action):
        return (action in ACTIONS and bool(user) and user.is_authenticated and user.is_active
                and is_moderator(user))

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        from django.contrib.auth import get_user_model

        users = get_user_model().objects.filter(is_active=True)
        return users.filter(pk__in=[user.pk for user in users if self.user_has_any_permission(user, actions)])

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action)

    def instances_user_has_any_permission_for(self, user, actions):
        return self.model._default_manager.all() if self.user_has_any_permission(user, actions) \
            else self.model._default_manager.none()


class TermsView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("taxonomy", "parent")


class EditTermView(generic.EditView):
    def form_valid(self, form):
        # The term and its services' outbox rows commit together, or neither does.
        with transaction.atomic():
            return super().form_valid(form)

    def get_success_message(self):
        return f"Lay synonyms of “{self.object}” saved. Search finds its services by them within a minute or so."


class TaxonomyTermViewSet(ModelViewSet):
    model = TaxonomyTerm
    name = "taxonomy_terms"
    url_prefix = "categories"
    icon = "tag"
    menu_label = "Categories"
    menu_order = 260
    add_to_admin_menu = True
    index_view_class = TermsView
    edit_view_class = EditTermView
    copy_view_enabled = False
    inspect_view_enabled = False
    add_to_reference_index = False
    search_fields = ["name", "lay_synonyms", "code"]
    search_backend_name = None  # the database's own filtering
    list_display = ["__str__", "taxonomy", "lay_synonyms"]
    list_filter = ["taxonomy"]
    list_per_page = 100  # the whole vocabulary (a few dozen terms) on one page
    edit_handler = ObjectList([
        FieldPanel("taxonomy", read_only=True),
        FieldPanel("name", read_only=True),
        FieldPanel("description", read_only=True),
        FieldPanel("lay_synonyms", heading="Lay synonyms"),
    ])

    @property
    def permission_policy(self):
        return TermPermissionPolicy(self.model)

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            **{"add_url_name": None, "delete_url_name": None, "usage_url_name": None, **kwargs}
        )

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("edit/<int:pk>/", self.edit_view, name="edit"),
            path("history/<int:pk>/", self.history_view, name="history"),
            path("history-results/<int:pk>/", self.history_results_view, name="history_results"),
        ]


viewsets = [TaxonomyTermViewSet()]
