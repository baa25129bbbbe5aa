"""A service's categories in its editor: two questions, what kind of activity it is and what needs it
helps with, answered from the Activities and Needs taxonomies and stored together in
`Service.categories`, which search, the API and structured data read.

Each question is a group of checkboxes in a fieldset whose legend is the question. Wagtail would
render a checkbox group under a heading with no fieldset, so the widget draws its own and the panel
leaves out its heading rather than say the question twice.
"""

import functools

from django import forms
from django.db.models import F
from django.db.models.functions import Coalesce
from wagtail.admin.compare import M2MFieldComparison
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel

from ..models.taxonomy import ACTIVITIES, NEEDS, TaxonomyTerm

# Form field: (taxonomy, question, hint)
QUESTIONS = {
    "activities": (ACTIVITIES, "What kind of activity is it?", "Choose every kind that describes it."),
    "needs": (NEEDS, "What needs does it help with?",
              "Choose the needs people come to it with. Link workers and residents search by these."),
}


def terms_of(taxonomy: str):
    """The taxonomy's terms, each broader term followed by its narrower ones."""
    return (
        TaxonomyTerm.objects.filter(taxonomy__name=taxonomy)
        .select_related("parent")
        .order_by(Coalesce("parent__name", "name"), F("parent").asc(nulls_first=True), "name")
    )


class TermsWidget(forms.CheckboxSelectMultiple):
    template_name = "directory/admin/terms_widget.html"

    def __init__(self, *, legend: str, hint: str, **kwargs):
        super().__init__(**kwargs)
        self.legend, self.hint = legend, hint

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"].update(legend=self.legend, hint=self.hint)
        return context


def _question_field(name: str) -> forms.ModelMultipleChoiceField:
    _, question, hint = QUESTIONS[name]
    # The terms are given per form (ServiceForm.__init__): this module is imported while models load.
    return forms.ModelMultipleChoiceField(
        queryset=TaxonomyTerm.objects.none(), required=False, label=question,
        widget=TermsWidget(legend=question, hint=hint),
    )


class ServiceForm(WagtailAdminPageForm):
    """The service editor's form: the two questions are read from, and saved to, `categories`."""

    activities = _question_field("activities")
    needs = _question_field("needs")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        chosen = [term.pk for term in self.instance.categories.all()]
        for name, (taxonomy, _, _) in QUESTIONS.items():
            self.fields[name].queryset = terms = terms_of(taxonomy)
            self.initial.setdefault(name, list(terms.filter(pk__in=chosen).values_list("pk", flat=True)))

    def save(self, commit=True):
        asked = set(TaxonomyTerm.objects.filter(taxonomy__name__in=[ACTIVITIES, NEEDS]).values_list("pk", flat=True))
        # Terms of a taxonomy neither question asks about (one an administrator added) are kept as they were.
        kept = [term for term in self.instance.categories.all() if term.pk not in asked]
        self.instance.categories = [*self.cleaned_data["activities"], *self.cleaned_data["needs"], *kept]
        return super().save(commit=commit)


class TermsComparison(M2MFieldComparison):
    """One question's answers in a comparison of two revisions, read from `categories`."""

    def __init__(self, field, obj_a, obj_b, *, taxonomy: str, label: str):
        super().__init__(field, obj_a, obj_b)
        self.taxonomy, self.label = taxonomy, label

    def field_label(self):
        return self.label

    def get_items(self):
        asked = set(terms_of(self.taxonomy).values_list("pk", flat=True))
        return tuple([term for term in items if term.pk in asked] for items in super().get_items())


class TermsPanel(FieldPanel):
    """One of the questions, by its form field name in QUESTIONS."""

    class BoundPanel(FieldPanel.BoundPanel):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.heading = ""  # the fieldset's legend is the question

        def get_comparison(self):
            taxonomy, question, _ = QUESTIONS[self.field_name]
            categories = self.panel.model._meta.get_field("categories")
            return [functools.partial(TermsComparison, categories, taxonomy=taxonomy, label=question)]
