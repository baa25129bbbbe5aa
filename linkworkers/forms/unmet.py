"""Forms for when the directory has no answer, or has some: an unmet need, and sending the person their shortlist."""

from django import forms

from directory.models import Service, TaxonomyTerm
from themes.fields import ModelChoiceField

from ..models import UnmetReason
from .intake import needs_terms
from .records import _text


class UnmetNeedForm(forms.Form):
    need = ModelChoiceField(
        label="Which need could not be met?", queryset=TaxonomyTerm.objects.none(), empty_label="Choose a need",
        error_messages={"required": "Choose the need that could not be met",
                        "invalid_choice": "Choose a need from the list"},
    )
    reason = forms.ChoiceField(
        label="Why could it not be met?", choices=UnmetReason.choices, widget=forms.RadioSelect,
        error_messages={"required": "Choose why the need could not be met",
                        "invalid_choice": "Choose one of the reasons listed"},
    )
    service = ModelChoiceField(
        label="The service that was full or unsuitable (optional)", queryset=Service.objects.none(),
        required=False, empty_label="None of these",
        help_text="One the person is connected to in this episode.",
        error_messages={"invalid_choice": "Choose a service from the list, or none"},
    )
    note = _text("Note (optional)", rows=4, required=False, max_length=2000,
                 help_text="What you looked for and what would have helped. Say why if the reason is "
                           "“another reason”.",
                 error_messages={"max_length": "Keep the note to 2000 characters or fewer"})

    def __init__(self, data=None, *, services=None, **kwargs):
        """`services`: the services the worker may name as full or unsuitable; with none, the field is left out."""
        super().__init__(data, **kwargs)
        self.fields["need"].queryset = needs_terms()
        if services is None or not services.exists():
            del self.fields["service"]
        else:
            self.fields["service"].queryset = services

    def clean(self):
        data = super().clean()
        if data.get("reason") == UnmetReason.OTHER and not data.get("note", "").strip():
            self.add_error("note", "Say why the need could not be met, in a few words")
        return data


class SendShortlistForm(forms.Form):
    """How to send the person their shortlist: only the ways their record and the portal allow are offered.

    With none, the form has no field and refuses with `no_way`, which says why.
    """

    channel = forms.ChoiceField(
        label="How should it be sent?", choices=(), widget=forms.RadioSelect,
        error_messages={"required": "Choose how to send the shortlist",
                        "invalid_choice": "Choose one of the ways listed"},
    )

    def __init__(self, data=None, *, channels, no_way: str = "", **kwargs):
        super().__init__(data, **kwargs)
        self.no_way = no_way
        if channels:
            self.fields["channel"].choices = channels
            self.fields["channel"].initial = self.initial.get("channel") or channels[0][0]
        else:
            del self.fields["channel"]

    def clean(self):
        data = super().clean()
        if "channel" not in self.fields:
            raise forms.ValidationError(self.no_way)
        return data
