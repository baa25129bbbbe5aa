"""Wagtail admin: moderators import another directory's Open Referral UK feed and watch it run.

"Open Referral imports" lists every run; "Import a feed" takes a URL or an uploaded file and starts
the Celery job; a run's page shows its progress (refreshing itself while it runs), its counts and
each record it skipped or took with something left out, and why.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail import hooks
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.generic import CreateView, IndexView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import BasePermissionPolicy

from directory.permissions import is_moderator

from .importer.feeds import is_url
from .models import COUNTS, ImportIssue, ImportRun, ImportSource
from .tasks import import_feed

MAX_UPLOAD_BYTES = 200 * 1024 * 1024


class ModeratorsOnly(BasePermissionPolicy):
    """Moderators may see runs and start them; nobody edits, copies or deletes a run's record."""

    ALLOWED_ACTIONS = frozenset({"view", "add"})

    def user_has_permission(self, user, action):
        return action in self.ALLOWED_ACTIONS and user.is_active and is_moderator(user)

    def users_with_any_permission(self, actions):
        from django.contrib.auth import get_user_model

        users = get_user_model().objects.filter(is_active=True)
        if self.ALLOWED_ACTIONS.isdisjoint(actions):
            return users.none()
        return [user for user in users if is_moderator(user)]


class ImportForm(forms.ModelForm):
    source_name = forms.CharField(
        label="Who publishes the feed", max_length=150,
        help_text="E.g. 'Bracknell Forest Council'. Imported listings are attributed to them, and the same name "
                  "next time matches the same records.")

    class Meta:
        model = ImportRun
        fields = ["location", "feed_file"]
        labels = {"location": "The feed's address", "feed_file": "Or a file"}
        help_texts = {"location": "A /services URL of an Open Referral UK API (3.0 or 1.0): its pages are followed.",
                      "feed_file": "A JSON or NDJSON file of services, in the 3.0 or the 1.0 shape."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        names = list(ImportSource.objects.values_list("name", flat=True)[:50])
        if names:
            self.fields["source_name"].help_text += " Already imported: " + ", ".join(names) + "."

    def clean(self):
        cleaned = super().clean()
        location, upload = (cleaned.get("location") or "").strip(), cleaned.get("feed_file")
        if bool(location) == bool(upload):
            raise ValidationError("Give either the feed's address or a file, not both.")
        if location and not is_url(location):
            raise ValidationError({"location": "Enter an address starting http:// or https://."})
        if upload and upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError({"feed_file": "The file is larger than 200 MB: import it from its URL instead."})
        cleaned["location"] = location
        return cleaned


class StartImportView(CreateView):
    page_title = "Import a feed"
    submit_button_label = "Start the import"

    def save_instance(self):
        # Imported here, not with the module: every web process loads this module with the admin's URLs,
        # and the importer's schema checker brings 200,000 objects every full garbage collection walks.
        from .importer.run import start_import

        data = self.form.cleaned_data
        run = start_import(source_name=data["source_name"], location=data["location"],
                           feed_file=data.get("feed_file"), started_by=self.request.user)
        import_feed.delay(run.pk)  # in process without a broker: the run has finished when this returns
        run.refresh_from_db()
        return run

    def get_success_url(self):
        return reverse("openreferral_imports:inspect", args=[self.object.pk])

    def get_success_message(self, instance=None):
        run = self.object
        if run.is_done:
            return f"Import {run.get_status_display().lower()}: " + ", ".join(
                f"{getattr(run, name)} {name}" for name in COUNTS) + "."
        return "The import has started: this page shows its progress."


class RunIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("source")


class RunInspectView(InspectView):
    template_name = "openreferral/admin/import_run.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        run = self.object
        context.update(
            run=run,
            counts=[(name, getattr(run, name)) for name in COUNTS],
            errors=run.issues.filter(level=ImportIssue.Level.ERROR)[:500],
            warnings=run.issues.filter(level=ImportIssue.Level.WARNING)[:500],
            percent=min(100, 100 * run.processed // run.total) if run.total else None,
        )
        return context


class ImportRunViewSet(ModelViewSet):
    model = ImportRun
    permission_policy = ModeratorsOnly(ImportRun)
    index_view_class = RunIndexView
    add_view_class = StartImportView
    inspect_view_class = RunInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    icon = "download"
    menu_label = "Open Referral imports"
    menu_order = 260
    add_to_admin_menu = True
    url_prefix = "openreferral-imports"
    url_namespace = "openreferral_imports"
    list_filter = ["status", "source"]
    search_backend_name = None
    list_display = [
        TitleColumn("source", label="Source", accessor="source",
                    get_url=lambda run: reverse("openreferral_imports:inspect", args=[run.pk])),
        DateColumn("created_at", label="Started"),
        Column("status", label="Status", accessor="get_status_display"),
        Column("processed", label="Records read"),
        Column("created", label="Created"),
        Column("updated", label="Updated"),
        Column("unchanged", label="Unchanged"),
        Column("skipped", label="Skipped"),
        Column("deactivated", label="Made inactive"),
    ]

    def get_form_class(self, for_update=False):
        return ImportForm


@hooks.register("register_admin_viewset")
def register_import_viewset():
    return ImportRunViewSet()
