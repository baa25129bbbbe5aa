"""Forms for the caseload page's filters and for cover: moving a worker's people to a colleague."""

from django import forms

from themes.fields import ModelMultipleChoiceField

from ..models import Episode, Rag, Tier
from ..selectors import CASELOAD_SORTS

ANY = [("", "Any")]
UNALLOCATED = "none"


class CaseloadFilterForm(forms.Form):
    """GET filters; an unknown value is ignored rather than an error, so an old bookmark still opens."""

    worker = forms.ChoiceField(label="Link worker", required=False)
    rag = forms.ChoiceField(label="RAG status", choices=ANY + Rag.choices, required=False)
    tier = forms.ChoiceField(label="Tier", choices=ANY + Tier.choices, required=False)
    overdue = forms.BooleanField(label="Only people with overdue actions", required=False)
    closed = forms.BooleanField(label="Include closed episodes", required=False)
    sort = forms.ChoiceField(
        choices=[(key, key) for key in CASELOAD_SORTS] + [(f"-{key}", key) for key in CASELOAD_SORTS],
        required=False, widget=forms.HiddenInput,
    )

    def __init__(self, *args, workers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if workers is None:  # a link worker sees their own caseload only
            del self.fields["worker"]
        else:
            self.workers = {str(user.pk): user for user in workers}
            self.fields["worker"].choices = (
                [("", "Everyone in the team")] + [(key, str(user)) for key, user in self.workers.items()]
                + [(UNALLOCATED, "Not allocated yet")]
            )

    def values(self) -> dict:
        """The valid filters, each falling back to its default."""
        if self.is_bound:
            self.is_valid()  # keeps the fields that are valid in cleaned_data
        cleaned = getattr(self, "cleaned_data", {})
        return {name: cleaned.get(name) or (False if isinstance(field, forms.BooleanField) else "")
                for name, field in self.fields.items()}


class CoverForm(forms.Form):
    to_worker = forms.ChoiceField(label="Who is covering", error_messages={"required": "Choose who is covering"})
    move = forms.ChoiceField(
        label="Which people", widget=forms.RadioSelect, initial="all",
        choices=[("all", "All of their open episodes"), ("chosen", "Only the people ticked below")],
        error_messages={"required": "Choose whether to move everyone or only some people"},
    )
    episodes = ModelMultipleChoiceField(
        label="People to move", queryset=Episode.objects.none(), required=False, widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(
        label="Handover note", widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example, why and until when. Each person's new worker sees it.",
        error_messages={"required": "Write a handover note"},
    )

    def __init__(self, *args, episodes, colleagues, **kwargs):
        super().__init__(*args, **kwargs)
        self.colleagues = {str(user.pk): user for user in colleagues}
        self.fields["to_worker"].choices = [("", "Choose a link worker")] + [
            (key, str(user)) for key, user in self.colleagues.items()
        ]
        field = self.fields["episodes"]
        field.queryset = episodes
        field.label_from_instance = lambda episode: f"{episode.person.full_name} ({episode.get_rag_display()}, "\
                                                    f"{episode.get_tier_display().lower()})"

    def clean_to_worker(self):
        return self.colleagues[self.cleaned_data["to_worker"]]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("move") == "chosen" and not cleaned.get("episodes"):
            self.add_error("episodes", "Tick the people to move, or choose all of their open episodes")
        return cleaned
