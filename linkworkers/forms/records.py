"""Forms for the person's record: details, contacts, RAG, tier and next contact, actions, closure, carers and
safeguarding."""

from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.dateformat import format as date_format

from search.postcodes import normalise_postcode

from ..models import CarerAction, ClosureReason, Contact, ContactMethod, Person, Rag, Tier
from ..nhs_number import clean_nhs_number

YES_NO = [("yes", "Yes"), ("no", "No")]


def _yes_no(label: str, required_message: str, **kwargs) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label, choices=YES_NO, coerce=lambda value: value == "yes", widget=forms.RadioSelect,
        error_messages={"required": required_message}, **kwargs,
    )


def _date(label: str, **kwargs) -> forms.DateField:
    kwargs.setdefault("error_messages", {}).setdefault("invalid", "Enter a real date, like 27/03/2026")
    # Browsers with a date picker send ISO dates; without one, people type the British way.
    return forms.DateField(
        label=label, input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date", "class": "nhsuk-input--width-10"}, format="%Y-%m-%d"),
        **kwargs,
    )


def _text(label: str, *, rows: int = 4, **kwargs) -> forms.CharField:
    return forms.CharField(label=label, widget=forms.Textarea(attrs={"rows": rows}), **kwargs)


class PersonDetailsForm(forms.Form):
    given_name = forms.CharField(label="Given name", max_length=100,
                                 error_messages={"required": "Enter their given name"})
    family_name = forms.CharField(label="Family name", max_length=100,
                                  error_messages={"required": "Enter their family name"})
    preferred_name = forms.CharField(label="Preferred name (optional)", max_length=100, required=False,
                                     help_text="What they like to be called.")
    date_of_birth = _date("Date of birth (optional)", required=False)
    nhs_number = forms.CharField(label="NHS number (optional)", max_length=20, required=False,
                                 help_text="10 digits, like 943 476 5919.")
    postcode = forms.CharField(label="Postcode (optional)", max_length=20, required=False)
    address = _text("Address (optional)", rows=3, required=False)
    phone = forms.CharField(label="Phone (optional)", max_length=30, required=False,
                            widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}))
    email = forms.EmailField(
        label="Email (optional)", required=False, widget=forms.EmailInput(attrs={"autocomplete": "off"}),
        error_messages={"invalid": "Enter an email address in the correct format, like name@example.com"},
    )
    preferred_contact_method = forms.ChoiceField(
        label="How they prefer to be contacted (optional)", choices=[("", "No preference"), *ContactMethod.choices],
        required=False, widget=forms.RadioSelect,
    )
    gp_practice = forms.CharField(label="GP practice (optional)", max_length=200, required=False)

    FIELDS = ("given_name", "family_name", "preferred_name", "date_of_birth", "nhs_number", "postcode", "address",
              "phone", "email", "preferred_contact_method", "gp_practice")

    @classmethod
    def for_person(cls, person: Person, data=None):
        return cls(data, initial={field: getattr(person, field) for field in cls.FIELDS})

    def clean_date_of_birth(self):
        born = self.cleaned_data["date_of_birth"]
        if born and born > timezone.localdate():
            raise forms.ValidationError("Date of birth must be in the past")
        return born

    def clean_nhs_number(self):
        return clean_nhs_number(self.cleaned_data["nhs_number"])

    def clean_postcode(self):
        typed = self.cleaned_data["postcode"].strip()
        if not typed:
            return ""
        postcode = normalise_postcode(typed)
        if postcode is None:
            raise forms.ValidationError("Enter a full UK postcode, like RG12 1AA")
        return postcode


class ContactForm(forms.Form):
    occurred_on = _date("Date of the contact", error_messages={"required": "Enter the date of the contact"})
    occurred_time = forms.TimeField(
        label="Time of the contact", help_text="Use the 24-hour clock, like 14:30.",
        widget=forms.TimeInput(attrs={"type": "time", "class": "nhsuk-input--width-5"}, format="%H:%M"),
        error_messages={"required": "Enter the time of the contact", "invalid": "Enter a real time, like 14:30"},
    )
    mode = forms.ChoiceField(label="How did the contact happen?", choices=Contact.Mode.choices,
                             widget=forms.RadioSelect, error_messages={"required": "Select how the contact happened"})
    duration_minutes = forms.IntegerField(
        label="How long did it take, in minutes?", min_value=1, max_value=24 * 60,
        widget=forms.NumberInput(attrs={"class": "nhsuk-input--width-4", "inputmode": "numeric"}),
        error_messages={"required": "Enter how many minutes the contact took",
                        "invalid": "Enter the duration as a whole number of minutes, like 30",
                        "min_value": "The duration must be at least 1 minute",
                        "max_value": "The duration must be 1440 minutes (a day) or fewer"},
    )
    attended = _yes_no("Did the person take part?", "Select yes if the person took part",
                       help_text="Yes if they answered, turned up or replied.")
    note = _text("Note (optional)", rows=5, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            # A contact is usually logged just after it happened; an earlier one can be typed over.
            now = timezone.localtime()
            self.initial.setdefault("occurred_on", now.date())
            self.initial.setdefault("occurred_time", now.time().replace(second=0, microsecond=0))

    def clean(self):
        cleaned = super().clean()
        day, time = cleaned.get("occurred_on"), cleaned.get("occurred_time")
        if day and time:
            occurred_at = timezone.make_aware(datetime.combine(day, time))
            if occurred_at > timezone.now():
                self.add_error("occurred_time", "The contact cannot be in the future: record it after it has happened")
            cleaned["occurred_at"] = occurred_at
        return cleaned


class RagForm(forms.Form):
    rag = forms.ChoiceField(label="RAG status", choices=Rag.choices, widget=forms.RadioSelect,
                            error_messages={"required": "Select a RAG status"})
    reason = _text("Why it is changing", error_messages={"required": "Say why the RAG status is changing"},
                   help_text="This is kept in the RAG history.")

    def __init__(self, *args, current: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.current = current

    def clean_rag(self):
        rag = self.cleaned_data["rag"]
        if rag == self.current:
            raise forms.ValidationError(f"The RAG status is already {Rag(rag).label.lower()}: choose a different one")
        return rag


class TierAndNextContactForm(forms.Form):
    tier = forms.ChoiceField(label="Tier of support", choices=Tier.choices, widget=forms.RadioSelect,
                             error_messages={"required": "Select a tier of support"})
    next_contact_on = _date("Next planned contact (optional)", required=False)

    def clean_next_contact_on(self):
        day = self.cleaned_data["next_contact_on"]
        if day and day < timezone.localdate():
            raise forms.ValidationError("The next planned contact must be today or later")
        return day


class ActionForm(forms.Form):
    description = forms.CharField(label="What needs doing", max_length=300,
                                  error_messages={"required": "Say what needs doing",
                                                  "max_length": "Keep it to 300 characters or fewer"})
    due_on = _date("Due by", error_messages={"required": "Enter the date it is due by"})


class ClosureForm(forms.Form):
    reason = forms.ChoiceField(
        label="Why is the episode closing?", choices=ClosureReason.choices, widget=forms.RadioSelect,
        error_messages={"required": "Select why the episode is closing"},
        help_text="“Goals met” means goals in the person's plan are recorded as met.",
    )
    planned = forms.TypedChoiceField(
        label="Was the closure planned?", choices=[("planned", "Planned"), ("unplanned", "Unplanned")],
        coerce=lambda value: value == "planned", widget=forms.RadioSelect,
        help_text="Planned means agreed with the person, for example because their goals were met.",
        error_messages={"required": "Select whether the closure was planned or unplanned"},
    )
    note = _text("Note (optional)", required=False)


class SignOffForm(forms.Form):
    approve = forms.TypedChoiceField(
        label="Your decision",
        choices=[("approve", "Sign off: close the episode"), ("send_back", "Send back: keep the episode open")],
        coerce=lambda value: value == "approve", widget=forms.RadioSelect,
        error_messages={"required": "Select whether to sign off the closure or send it back"},
    )


class ReopenForm(forms.Form):
    reason = _text("Why is the episode being reopened?",
                   error_messages={"required": "Say why the episode is being reopened"})


class CarerStatusForm(forms.Form):
    is_carer = forms.BooleanField(label="They are a carer", required=False,
                                  help_text="They look after someone who could not manage without them.")
    is_cared_for = forms.BooleanField(label="Someone cares for them", required=False)


class FindPersonForm(forms.Form):
    """Name and date of birth together, so the chooser shows only the person meant, not the team's list."""

    name = forms.CharField(label="Their name", max_length=100, error_messages={"required": "Enter their name"})
    date_of_birth = _date("Their date of birth", error_messages={"required": "Enter their date of birth"})


class CarerLinkForm(forms.Form):
    other = forms.UUIDField(label="Choose the person", widget=forms.RadioSelect,
                            error_messages={"required": "Choose the person to link"})
    direction = forms.ChoiceField(
        label="Who cares for whom?", choices=[("person_is_carer", ""), ("other_is_carer", "")],
        widget=forms.RadioSelect, error_messages={"required": "Select who cares for whom"},
    )
    relationship = forms.CharField(label="Relationship (optional)", max_length=100, required=False,
                                   help_text="For example daughter, husband or neighbour.")

    def __init__(self, *args, person: Person, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["other"].widget.choices = [
            (str(other.public_id), ", ".join(filter(None, [
                other.full_name,
                f"born {date_format(other.date_of_birth, 'j F Y')}" if other.date_of_birth else "",
                other.postcode,
            ])))
            for other in candidates
        ]
        self.fields["direction"].choices = [
            ("person_is_carer", f"{person.full_name} is their carer"),
            ("other_is_carer", f"They are {person.full_name}'s carer"),
        ]


class CarerActionForm(forms.Form):
    kind = forms.ChoiceField(label="What was done?", choices=CarerAction.Kind.choices, widget=forms.RadioSelect,
                             error_messages={"required": "Select what was done"})
    on = _date("When", error_messages={"required": "Enter the date"})
    note = _text("Note (optional)", rows=3, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("on", timezone.localdate())

    def clean_on(self):
        day = self.cleaned_data["on"]
        if day > timezone.localdate():
            raise forms.ValidationError("The date cannot be in the future")
        return day


class SafeguardingForm(forms.Form):
    description = _text("Describe the concern", rows=6, error_messages={"required": "Describe the concern"},
                        help_text="What you saw or were told, when, and who else knows.")
    immediate_risk = _yes_no("Is anyone at immediate risk?", "Select yes if anyone is at immediate risk",
                             help_text="If someone is in immediate danger, call 999 first.")
    escalated_to = forms.CharField(label="Who have you told? (optional)", max_length=200, required=False,
                                   help_text="For example your supervisor, the safeguarding lead or adult social care.")
