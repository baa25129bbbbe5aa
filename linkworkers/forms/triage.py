"""Forms for triage: confirming a possible match, the four decisions on a referral, and allocation."""

from django import forms
from django.db.models import Case, IntegerField, Q, Value, When

from directory.models import Service
from directory.selectors import running_services
from themes.fields import ModelMultipleChoiceField, could_be_key

from ..models import Rag, Tier

NOT_YET = ""


def _text(label: str, *, required_message: str = "", rows: int = 4, **kwargs) -> forms.CharField:
    if required_message:
        kwargs["error_messages"] = {"required": required_message}
    return forms.CharField(label=label, widget=forms.Textarea(attrs={"rows": rows}), **kwargs)


class MatchForm(forms.Form):
    same_person = forms.TypedChoiceField(
        choices=[("yes", "Yes"), ("no", "No")], coerce=lambda value: value == "yes",
        error_messages={"required": "Say whether this is the same person"},
    )


class AllocationMixin:
    """A choice of link worker from `selectors.allocation_options`, each shown with their caseload."""

    def _set_worker_choices(self, options, *, allow_later: bool) -> None:
        self.options = options
        self._workers = {str(option.user_id): option.user for option in options}
        choices = [(str(option.user_id), str(option.user)) for option in options]
        if allow_later:
            choices.append((NOT_YET, "Not yet: allocate later"))
        field = self.fields["link_worker"]
        field.choices = choices
        field.required = not allow_later

    def clean_link_worker(self):
        value = self.cleaned_data["link_worker"]
        return self._workers.get(value) if value else None

    def allocation_choices(self) -> list[dict]:
        """Each worker as a radio with what a supervisor weighs: caseload, RAG mix, skills, locality, past work."""
        bound = self["link_worker"]
        current = str(bound.value() or "")
        items = []
        for index, option in enumerate(self.options):
            value = str(option.user_id)
            items.append({"value": value, "id": f"{bound.auto_id}_{index}", "label": str(option.user),
                          "checked": current == value, "option": option})
        if NOT_YET in dict(self.fields["link_worker"].choices):
            items.append({"value": NOT_YET, "id": f"{bound.auto_id}_{len(items)}", "label": "Not yet: allocate later",
                          "checked": bound.form.is_bound and current == NOT_YET, "option": None})
        return items


class AcceptForm(AllocationMixin, forms.Form):
    tier = forms.ChoiceField(label="Tier of support", choices=Tier.choices, initial=Tier.PLAN,
                             widget=forms.RadioSelect, error_messages={"required": "Choose the tier of support"})
    rag = forms.ChoiceField(
        label="RAG status", choices=Rag.choices, widget=forms.RadioSelect,
        help_text="Red for the most complex: it sets how often the person is contacted and discussed.",
        error_messages={"required": "Choose a RAG status"},
    )
    link_worker = forms.ChoiceField(label="Allocate to", required=False)

    def __init__(self, *args, options, **kwargs):
        super().__init__(*args, **kwargs)
        self._set_worker_choices(options, allow_later=True)


class AllocateForm(AllocationMixin, forms.Form):
    link_worker = forms.ChoiceField(label="Allocate to", error_messages={"required": "Choose a link worker"})
    note = _text("Note for the handover (optional)", required=False, rows=3)

    def __init__(self, *args, options, **kwargs):
        super().__init__(*args, **kwargs)
        self._set_worker_choices(options, allow_later=False)


class ServiceSearchForm(forms.Form):
    """A GET search of the directory for the signposting choices, so they stay a short list without JavaScript."""

    q = forms.CharField(label="Find a service by name or by what it offers", required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search"}))


class SignpostForm(forms.Form):
    services = ModelMultipleChoiceField(
        label="Services given", queryset=Service.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = _text("Note", required=False, help_text="What was suggested and how the person can get in touch.")

    def __init__(self, *args, candidates, **kwargs):
        """`candidates`: a `signposting.Candidates`, the services found for the referral, in order."""
        super().__init__(*args, **kwargs)
        shown = [service.pk for service in candidates.services]
        # A service ticked from an earlier search is still valid when the list now shows others, while
        # it is running: one closed meanwhile (or never offered) is not a valid choice.
        posted = self.data.getlist(self.add_prefix("services")) if self.is_bound else []
        field = self.fields["services"]
        ticked = [value for value in posted if could_be_key(Service.objects.all(), value)]
        # Those found in the search's order (nearest and best first), then any ticked from an earlier search.
        # (No Case without a When: it would be a bare constant, which PostgreSQL reads as a column number.)
        order = [Case(*(When(pk=pk, then=Value(position)) for position, pk in enumerate(shown)),
                      default=Value(len(shown)), output_field=IntegerField())] if shown else []
        field.queryset = (running_services().filter(Q(pk__in=shown) | Q(pk__in=ticked))
                          .order_by(*order, "title"))
        field.label_from_instance = lambda service: candidates.labels.get(service.pk, service.title)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("services") and not (cleaned.get("note") or "").strip():
            self.add_error("services", "Choose the services given, or describe them in the note")
        return cleaned


class RedirectForm(forms.Form):
    redirected_to = forms.CharField(label="Redirected to", max_length=200,
                                    help_text="The service or team now taking the referral.",
                                    error_messages={"required": "Say where the referral is going"})
    reason = _text("Reason", required_message="Give the reason for redirecting")


class DeclineForm(forms.Form):
    reason = _text("Reason for declining", required_message="Give the reason for declining",
                   help_text="The referrer is told this.")
