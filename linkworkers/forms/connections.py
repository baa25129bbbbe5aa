"""Forms for connecting a person to directory services: the finder (the public search's own form, asked as a link
worker asks it), connecting to one result, and recording what happened next."""

from django import forms

from search.forms import SearchForm

from ..models import ConnectionStatus
from ..services.connections import NEXT, WORKER_STATUSES
from .intake import needs_terms
from .records import YES_NO

S = ConnectionStatus
NOTE_FOR_SERVICE_MAX = 1000


def _needs_choices() -> list[tuple[str, str]]:
    return [(term.code, str(term)) for term in needs_terms()]


class FinderForm(SearchForm):
    """The directory's search, built into the same `SearchQuery` as the public search, so the engine and its
    ranking are the same; needs are the taxonomy's needs, and `goal` carries the plan goal the search is for."""

    goal = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.fields["q"].label = "What are they looking for? (optional)"
        self.fields["q"].help_text = "Words, like walking, choir or debt advice"
        self.fields["where"].help_text = "A postcode, the start of one, like RG12, or a town or village"
        # The needs taxonomy, as the plan records a goal's needs; a code from elsewhere is simply not offered.
        self.fields["category"] = forms.MultipleChoiceField(
            label="Needs", choices=_needs_choices(), required=False, widget=forms.CheckboxSelectMultiple,
            help_text="Services meeting any of those ticked are found.",
            error_messages={"invalid_choice": "Choose needs from the list"},
        )


def _consent_fields() -> dict[str, forms.Field]:
    """What the person agrees the service may see: asked for a referral, never for a suggestion."""
    def yes_no(label):
        return forms.TypedChoiceField(label=label, choices=YES_NO, required=False, coerce=lambda value: value == "yes",
                                      widget=forms.RadioSelect, empty_value=None)

    return {
        "shares_contact_details": yes_no("May the service have their name and contact details?"),
        "shares_needs": yes_no("May the service see what they need help with?"),
        "note_for_service": forms.CharField(
            label="A note for the service (optional)", required=False, max_length=NOTE_FOR_SERVICE_MAX,
            widget=forms.Textarea(attrs={"rows": 3}),
            help_text="Only what they are happy for the service to know, like the best time to call.",
            error_messages={"max_length": f"Keep the note to {NOTE_FOR_SERVICE_MAX} characters or fewer"},
        ),
    }


_CONSENT_QUESTIONS = {
    "shares_contact_details": "Say whether the service may have their name and contact details",
    "shares_needs": "Say whether the service may see what they need help with",
}


def _check_consent(form: forms.Form, data: dict) -> None:
    """A referral needs both answers; a suggestion sends nothing to the service."""
    if data.get("status") == S.REFERRED:
        for name, message in _CONSENT_QUESTIONS.items():
            if data.get(name) is None and name not in form.errors:
                form.add_error(name, message)
    else:
        data.update(shares_contact_details=False, shares_needs=False, note_for_service="")


class ConnectForm(forms.Form):
    """Connect the person to one service: suggest it, or refer them to a group that takes referrals, with what
    the person agrees the service may see."""

    service = forms.UUIDField(widget=forms.HiddenInput,
                              error_messages={"required": "Choose a service from the search results",
                                              "invalid": "Choose a service from the search results"})
    goal = forms.UUIDField(required=False, widget=forms.HiddenInput)
    need = forms.MultipleChoiceField(required=False, widget=forms.MultipleHiddenInput)
    status = forms.ChoiceField(
        label="How are you connecting them?", widget=forms.HiddenInput, initial=S.SUGGESTED,
        choices=[(S.SUGGESTED, "Suggest it to them"), (S.REFERRED, "Refer them to the service")],
        error_messages={"required": "Choose whether to suggest the service or refer them to it",
                        "invalid_choice": "Choose whether to suggest the service or refer them to it"},
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(_consent_fields())
        self.fields["need"].choices = _needs_choices()

    def clean(self):
        data = super().clean()
        _check_consent(self, data)
        return data

    def consent(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("shares_contact_details", "shares_needs",
                                                            "note_for_service")}


class _StatusField(forms.ChoiceField):
    """Offers the statuses that may come next; any other status is passed on, so that the one rule about
    statuses (`services.connections.record_status`) says why it cannot be recorded."""

    def valid_value(self, value) -> bool:
        return value in S.values


class ConnectionStatusForm(forms.Form):
    """What happened next, as a link worker records it: only the statuses a worker may record that can follow
    the current one (a referral only to a group that takes them), with a note, which a stop needs."""

    status = _StatusField(
        label="What has happened?", widget=forms.RadioSelect,
        error_messages={"required": "Choose what has happened",
                        "invalid_choice": "Choose what has happened from the list"},
    )
    note = forms.CharField(
        label="Note (optional)", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For a stop, why it stopped.",
        error_messages={"max_length": "Keep the note to 2000 characters or fewer"},
    )

    def __init__(self, data=None, *, current: str, accepts_referrals: bool, **kwargs):
        super().__init__(data, **kwargs)
        self.offered = [status for status in S if status in WORKER_STATUSES & NEXT[S(current)]
                        and (status != S.REFERRED or accepts_referrals)]
        self.fields["status"].choices = [(status.value, status.label) for status in self.offered]
        self.offers_referral = S.REFERRED in self.offered
        if self.offers_referral:
            self.fields.update(_consent_fields())

    def clean(self):
        data = super().clean()
        if data.get("status") == S.STOPPED and not (data.get("note") or "").strip() and "note" not in self.errors:
            self.add_error("note", "Say why it stopped, in a few words")
        if self.offers_referral:
            _check_consent(self, data)
        return data

    def consent(self) -> dict:
        """What the person agreed the service may see, for a referral; nothing otherwise."""
        if self.cleaned_data.get("status") != S.REFERRED or not self.offers_referral:
            return {}
        return {name: self.cleaned_data[name] for name in ("shares_contact_details", "shares_needs",
                                                            "note_for_service")}
