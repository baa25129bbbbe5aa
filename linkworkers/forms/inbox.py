"""Forms of the referral inbox: a service accepts, declines (with a reason), says it has no room, or
records whether the person came."""

from django import forms

from ..models import ConnectionStatus, DeclineReason

S = ConnectionStatus


def _note(label: str, help_text: str = "") -> forms.CharField:
    return forms.CharField(label=label, required=False, max_length=2000, help_text=help_text,
                           widget=forms.Textarea(attrs={"rows": 3}))


class AcceptForm(forms.Form):
    note = _note("Note for the link worker (optional)", "For example, when the person can start.")

    def status(self) -> str:
        return S.ACCEPTED


class DeclineForm(forms.Form):
    reason = forms.ChoiceField(
        label="Why are you declining this referral?", choices=DeclineReason.choices, widget=forms.RadioSelect,
        error_messages={"required": "Select why you are declining the referral",
                        "invalid_choice": "Select one of the reasons listed"},
    )
    note = _note("Note for the link worker", "Needed if you chose “Another reason”.")

    def clean(self):
        data = super().clean()
        if data.get("reason") == DeclineReason.OTHER and not data.get("note", "").strip():
            self.add_error("note", "Say why you are declining the referral, in a few words")
        return data

    def status(self) -> str:
        return S.DECLINED


class NoCapacityForm(forms.Form):
    note = _note("Note for the link worker (optional)", "For example, when you expect to have room again.")

    def status(self) -> str:
        return S.NO_CAPACITY


class AttendanceForm(forms.Form):
    attended = forms.ChoiceField(
        label="Did the person come?", widget=forms.RadioSelect,
        choices=[(S.ATTENDED.value, "Yes, they came"), (S.DID_NOT_ATTEND.value, "No, they did not come")],
        error_messages={"required": "Select whether the person came",
                        "invalid_choice": "Select whether the person came"},
    )
    note = _note("Note for the link worker (optional)")

    def status(self) -> str:
        return self.cleaned_data["attended"]


# The inbox's answers, by the name in their URL.
ANSWER_FORMS = {
    "accept": AcceptForm,
    "decline": DeclineForm,
    "no-capacity": NoCapacityForm,
    "attendance": AttendanceForm,
}
# Which statuses each answer may record: the view offers an answer only where one of them is open.
ANSWER_STATUSES = {
    "accept": {S.ACCEPTED},
    "decline": {S.DECLINED},
    "no-capacity": {S.NO_CAPACITY},
    "attendance": {S.ATTENDED, S.DID_NOT_ATTEND},
}
