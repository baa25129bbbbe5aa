"""Referral forms: the crisis screening asked first, then the professional, self- and staff-keyed referral forms."""

import datetime as dt

from django import forms
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone

from directory.models import TaxonomyTerm
from search.postcodes import normalise_postcode
from themes.fields import ModelChoiceField, ModelMultipleChoiceField

from .. import intake
from ..models import ContactMethod, ReferralChannel, ReferralSource, Team
from ..models.referrals import CRISIS_QUESTIONS, crisis_answer_in_words
from ..nhs_number import clean_nhs_number

YES_NO = [("yes", "Yes"), ("no", "No")]
NEEDS_TAXONOMY = "Needs"  # the taxonomy seeded by directory's 0002_seed_vocabulary
EMAIL_ERROR = "Enter an email address in the correct format, like name@example.com"
PHONE_ERROR = "Enter a phone number, like 01344 352000 or 07700 900982"
# Referrals received "now" from a device whose clock runs a little fast are still not in the future.
_CLOCK_SKEW = dt.timedelta(minutes=5)


def _radios(label: str, choices, required_message: str, **kwargs) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, choices=choices, widget=forms.RadioSelect, error_messages={"required": required_message},
        **kwargs,
    )


# --- Crisis screening ---------------------------------------------------------------------------

class CrisisScreeningForm(forms.Form):
    """The questions every referral route asks first. Any "yes" shows the crisis route at once."""

    QUESTIONS = CRISIS_QUESTIONS

    in_danger = _radios("", YES_NO, "Select yes if you or the person are in immediate danger")
    urgent_mental_health = _radios("", YES_NO, "Select yes if urgent help with mental health is needed today")

    def __init__(self, *args, about_self: bool, **kwargs):
        super().__init__(*args, **kwargs)
        for name, (own, other) in self.QUESTIONS.items():
            self.fields[name].label = own if about_self else other
        if about_self:
            self.fields["in_danger"].error_messages["required"] = "Select yes if you are in immediate danger"
        else:
            self.fields["in_danger"].error_messages["required"] = "Select yes if the person is in immediate danger"

    def full_clean(self):
        super().full_clean()
        if self.is_bound and said_yes_to_any(self.data, self.QUESTIONS, prefix=self.prefix):
            # One "yes" is enough: the crisis route comes at once, and nothing else is asked first.
            for name in self.QUESTIONS:
                if name in self._errors and not self.data.get(self.add_prefix(name)):
                    del self._errors[name]
                    self.cleaned_data[name] = ""

    def screening(self) -> dict:
        """What was asked and answered, in words a person reading the referral understands."""
        return screening_answers(self, self.QUESTIONS)


def said_yes_to_any(data, questions, *, prefix=None) -> bool:
    """Whether any crisis question was answered "yes" in the posted data."""
    form_prefix = f"{prefix}-" if prefix else ""
    return any(str(data.get(form_prefix + name, "")).lower() == "yes" for name in questions)


def screening_answers(form, questions) -> dict:
    """{question as asked: "Yes" | "No" | "Not answered"}, and whether any says yes."""
    answers = {form.fields[name].label: crisis_answer_in_words(form.cleaned_data.get(name)) for name in questions}
    return {"answers": answers, "crisis": "Yes" in answers.values()}


def crisis_fields(about_self: bool) -> dict:
    """The screening questions as fields of a one-page form (staff take them on the phone)."""
    return {name: CrisisScreeningForm(about_self=about_self).fields[name] for name in CrisisScreeningForm.QUESTIONS}


# --- Widgets and fields -------------------------------------------------------------------------

class DateOfBirthInput(forms.MultiWidget):
    """The NHS.UK date input: day, month and year as three labelled boxes in a fieldset."""

    template_name = "linkworkers/intake/widgets/date_input.html"
    parts = (("day", "Day", 2), ("month", "Month", 2), ("year", "Year", 4))

    def __init__(self, attrs=None):
        widgets = {name: forms.TextInput(attrs={"inputmode": "numeric"}) for name, _label, _width in self.parts}
        super().__init__(widgets, attrs)
        self.has_errors = False

    def decompress(self, value):
        return [value.day, value.month, value.year] if value else [None, None, None]

    def id_for_label(self, id_):
        # The error summary links to the day box, as NHS.UK's date input does.
        return f"{id_}_0" if id_ else ""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        # "bday" (a person giving their own date of birth) becomes bday-day, bday-month, bday-year.
        autocomplete = self.attrs.get("autocomplete", "")
        for subwidget, (part, label, width) in zip(context["widget"]["subwidgets"], self.parts):
            subwidget.update(label=label, width=width)
            subwidget["attrs"]["autocomplete"] = f"bday-{part}" if autocomplete == "bday" else autocomplete
        context["widget"]["has_errors"] = self.has_errors
        return context


class DateOfBirthField(forms.MultiValueField):
    widget = DateOfBirthInput

    def __init__(self, **kwargs):
        fields = [forms.CharField(required=False) for _part in DateOfBirthInput.parts]
        super().__init__(fields, require_all_fields=False, **kwargs)

    def compress(self, data_list):
        if not data_list or not any(data_list):
            return None
        day, month, year = (part.strip() for part in data_list)
        missing = [name for name, part in zip(("a day", "a month", "a year"), (day, month, year)) if not part]
        if missing:
            raise forms.ValidationError(f"Date of birth must include {' and '.join(missing)}")
        # Digits only (int() would take "-1", " 1_0" or "+3"), and a year of four before any number
        # reaches date(), where one too big for C raises OverflowError rather than ValueError.
        if not all(part.isdecimal() for part in (day, month, year)):
            raise forms.ValidationError("Date of birth must be a real date, like 15 3 1984")
        if len(year) != 4:
            raise forms.ValidationError("Year must include 4 numbers, like 1984")
        try:
            born = dt.date(int(year), int(month), int(day))
        except (ValueError, OverflowError):
            raise forms.ValidationError("Date of birth must be a real date, like 15 3 1984") from None
        today = timezone.localdate()
        if born > today:
            raise forms.ValidationError("Date of birth must be in the past")
        if born.year < today.year - 120:
            raise forms.ValidationError("Check the year of birth: it is more than 120 years ago")
        return born


def needs_terms():
    """The needs taxonomy's terms, each narrower need straight after the broader one it belongs to."""
    return (
        TaxonomyTerm.objects.filter(taxonomy__name=NEEDS_TAXONOMY)
        .select_related("parent")
        .order_by(Coalesce("parent__name", "name"), F("parent_id").asc(nulls_first=True), "name")
    )


# --- Referral forms -----------------------------------------------------------------------------

class ReferralForm(forms.Form):
    """The person's details, the reasons and consent: what every referral route records."""

    about_self = False
    contact_methods = ContactMethod.choices
    # Someone else's details: the browser must not fill in the referrer's own name, email or birthday.
    autocomplete = dict.fromkeys(
        ("given_name", "family_name", "date_of_birth", "nhs_number", "postcode", "phone", "email", "gp_practice"), "off"
    )

    given_name = forms.CharField(label="Given name", max_length=100,
                                 error_messages={"required": "Enter the person's given name"})
    family_name = forms.CharField(label="Family name", max_length=100,
                                  error_messages={"required": "Enter the person's family name"})
    date_of_birth = DateOfBirthField(
        label="Date of birth", help_text="For example, 15 3 1984",
        error_messages={"required": "Enter the person's date of birth", "incomplete": "Enter a full date of birth"},
    )
    nhs_number = forms.CharField(
        label="NHS number (if known)", required=False, max_length=20,
        help_text="10 digits, like 943 476 5919. Leave blank if you do not know it.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "nhsuk-input--width-10", "spellcheck": "false"}),
    )
    postcode = forms.CharField(
        label="Postcode", max_length=10, help_text="For example, RG12 1AA",
        error_messages={"required": "Enter the person's postcode"},
        widget=forms.TextInput(attrs={"class": "nhsuk-input--width-10"}),
    )
    phone = forms.CharField(label="Phone number", max_length=30, required=False,
                            widget=forms.TextInput(attrs={"type": "tel", "class": "nhsuk-input--width-20"}))
    email = forms.EmailField(label="Email address", required=False, error_messages={"invalid": EMAIL_ERROR})
    preferred_contact_method = _radios("How would they like to be contacted?", ContactMethod.choices,
                                       "Select how the person would like to be contacted")
    gp_practice = forms.CharField(label="GP practice", max_length=200,
                                  error_messages={"required": "Enter the person's GP practice"})
    reasons = forms.CharField(
        label="Reasons for referral", max_length=5000, widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What matters to the person and what they would like help with.",
        error_messages={"required": "Enter the reasons for the referral",
                        "max_length": "Enter the reasons in 5000 characters or fewer"},
    )
    needs = ModelMultipleChoiceField(
        label="What do they need help with? (optional)", queryset=TaxonomyTerm.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple, help_text="Select all that apply.",
    )
    consent_to_contact = _radios(
        "Has the person agreed to be contacted by a link worker?", YES_NO,
        "Select yes if the person has agreed to be contacted",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["needs"].queryset = needs_terms()
        self.fields["preferred_contact_method"].choices = self.contact_methods
        for name, token in self.autocomplete.items():
            self.fields[name].widget.attrs["autocomplete"] = token

    def full_clean(self):
        super().full_clean()
        # The date input marks its three boxes in red when the date is wrong.
        self.fields["date_of_birth"].widget.has_errors = "date_of_birth" in self.errors

    def clean_nhs_number(self):
        return clean_nhs_number(self.cleaned_data["nhs_number"])

    def clean_postcode(self):
        postcode = normalise_postcode(self.cleaned_data["postcode"])
        if postcode is None:
            raise forms.ValidationError("Enter a full UK postcode, like RG12 1AA")
        return postcode

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        digits = [ch for ch in phone if ch.isdigit()]
        if phone and (len(digits) < 10 or any(not (ch.isdigit() or ch in " +()-") for ch in phone)):
            raise forms.ValidationError(PHONE_ERROR)
        return phone

    def clean_consent_to_contact(self):
        if self.cleaned_data["consent_to_contact"] != "yes":
            raise forms.ValidationError(self.no_consent_message)
        return True

    no_consent_message = (
        "The person must agree to be contacted by a link worker before you refer them. "
        "Ask them first, then send the referral."
    )

    def clean(self):
        data = super().clean()
        phone, email, method = data.get("phone"), data.get("email"), data.get("preferred_contact_method")
        if "phone" in data and "email" in data and not phone and not email:
            self.add_error("phone", self.phone_or_email_message)
        elif method in (ContactMethod.PHONE, ContactMethod.TEXT) and not phone and "phone" in data:
            self.add_error("phone", "Enter a phone number, or choose another way to be contacted")
        elif method == ContactMethod.EMAIL and not email and "email" in data:
            self.add_error("email", "Enter an email address, or choose another way to be contacted")
        return data

    phone_or_email_message = "Enter a phone number or an email address, so a link worker can get in touch"

    def person(self) -> dict:
        data = self.cleaned_data
        return {field: data.get(field) or "" for field in (
            "given_name", "family_name", "nhs_number", "postcode", "phone", "email", "gp_practice",
            "preferred_contact_method",
        )} | {"date_of_birth": data["date_of_birth"]}

    def referrer(self) -> dict:
        return {name: self.cleaned_data.get(name, "") for name in (
            "referrer_name", "referrer_role", "referrer_organisation", "referrer_email", "referrer_phone",
        ) if name in self.fields}

    def sections(self) -> list[tuple[str, list]]:
        """(heading, fields) in the order the page asks them; hidden and honeypot fields are rendered apart."""
        return [
            (heading, [self[name] for name in names if name in self.fields]) for heading, names in self.section_names
        ]

    section_names = [
        ("About the person", ["given_name", "family_name", "date_of_birth", "nhs_number", "postcode", "gp_practice"]),
        ("How to contact them", ["phone", "email", "preferred_contact_method"]),
        ("The referral", ["reasons", "needs", "consent_to_contact"]),
    ]


class PublicReferralMixin(forms.Form):
    """What the public forms add: the signed screening answers, and a honeypot for robots."""

    screening = forms.CharField(widget=forms.HiddenInput, required=False)
    # Hidden from sight and from assistive technology, out of the tab order, never autofilled.
    website = forms.CharField(
        label="Leave this field empty", required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def clean_screening(self):
        answers = intake.read_screening(self.cleaned_data["screening"])
        if answers is None:
            raise forms.ValidationError("Answer the first questions again, then fill in the form.")
        return answers


class ProfessionalReferralForm(PublicReferralMixin, ReferralForm):
    referrer_name = forms.CharField(label="Your name", max_length=150,
                                    widget=forms.TextInput(attrs={"autocomplete": "name"}),
                                    error_messages={"required": "Enter your name"})
    referrer_role = forms.CharField(label="Your role (optional)", max_length=150, required=False,
                                    help_text="For example, practice nurse or social worker.")
    referrer_organisation = forms.CharField(label="Your organisation", max_length=200,
                                            widget=forms.TextInput(attrs={"autocomplete": "organization"}),
                                            error_messages={"required": "Enter your organisation"})
    referrer_email = forms.EmailField(
        label="Your email address", help_text="So the link worker can contact you about this referral.",
        error_messages={"required": "Enter your email address", "invalid": EMAIL_ERROR},
    )
    referrer_phone = forms.CharField(label="Your phone number (optional)", max_length=30, required=False,
                                     widget=forms.TextInput(attrs={"type": "tel", "class": "nhsuk-input--width-20"}))
    source = _radios(
        "Where are you referring from?",
        [(value, label) for value, label in ReferralSource.choices
         if value not in (ReferralSource.SELF, ReferralSource.FAMILY_OR_FRIEND)],
        "Select where you are referring from",
    )

    section_names = [
        ("About you", ["referrer_name", "referrer_role", "referrer_organisation", "referrer_email",
                       "referrer_phone", "source"]),
        *ReferralForm.section_names,
    ]

    def clean_referrer_phone(self):
        phone = self.cleaned_data["referrer_phone"].strip()
        if phone and sum(ch.isdigit() for ch in phone) < 10:
            raise forms.ValidationError(PHONE_ERROR)
        return phone


class SelfReferralForm(PublicReferralMixin, ReferralForm):
    """Plain words for a resident referring themselves; fewer questions."""

    about_self = True
    autocomplete = {
        "given_name": "given-name", "family_name": "family-name", "date_of_birth": "bday", "nhs_number": "off",
        "postcode": "postal-code", "phone": "tel", "email": "email", "gp_practice": "off",
    }
    phone_or_email_message = "Enter a phone number or an email address, so a link worker can get in touch with you"
    no_consent_message = (
        "A link worker needs to contact you to help. Select yes if you are happy for them to contact you."
    )

    section_names = [
        ("Tell us a bit about you", ["given_name", "family_name", "date_of_birth", "postcode", "nhs_number",
                                     "gp_practice"]),
        ("How can we get in touch?", ["phone", "email", "preferred_contact_method"]),
        ("What would you like help with?", ["reasons", "needs", "consent_to_contact"]),
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        f = self.fields
        f["given_name"].label, f["given_name"].error_messages["required"] = "First name", "Enter your first name"
        f["family_name"].label, f["family_name"].error_messages["required"] = "Last name", "Enter your last name"
        f["date_of_birth"].error_messages.update(required="Enter your date of birth")
        f["postcode"].error_messages["required"] = "Enter your postcode"
        f["nhs_number"].help_text = (
            "You can find it on a letter from the NHS or your GP, a prescription, or in the NHS App. "
            "Leave this blank if you do not know it."
        )
        f["gp_practice"].label, f["gp_practice"].required = "Your GP practice (optional)", False
        f["phone"].label = "Your phone number"
        f["email"].label = "Your email address"
        f["preferred_contact_method"].label = "How would you like us to contact you?"
        f["preferred_contact_method"].error_messages["required"] = "Select how you would like us to contact you"
        f["reasons"].label = "What would you like help with?"
        f["reasons"].help_text = "Tell us in your own words what is going on and what would make a difference."
        f["reasons"].error_messages["required"] = "Tell us what you would like help with"
        f["needs"].label = "Is it about any of these? (optional)"
        f["consent_to_contact"].label = "Are you happy for a link worker to contact you?"
        f["consent_to_contact"].error_messages["required"] = (
            "Select yes if you are happy for a link worker to contact you"
        )


class StaffReferralForm(ReferralForm):
    """A referral taken by phone, email or in person: the crisis questions are on the same page."""

    in_danger, urgent_mental_health = crisis_fields(about_self=False).values()
    channel = _radios(
        "How did the referral come in?",
        [(c.value, c.label) for c in (ReferralChannel.PHONE, ReferralChannel.EMAIL, ReferralChannel.WALK_IN)],
        "Select how the referral came in",
    )
    source = forms.ChoiceField(label="Referral source", choices=[("", "Select a source"), *ReferralSource.choices],
                               error_messages={"required": "Select where the referral came from"})
    received_at = forms.DateTimeField(
        label="When it was received", input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
        help_text="Change this if the referral came in earlier, for example by email yesterday.",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={"required": "Enter when the referral was received",
                        "invalid": "Enter a real date and time, like 27/03/2026 14:30"},
    )
    team = ModelChoiceField(label="Team", queryset=Team.objects.none(), empty_label="Select a team",
                                  error_messages={"required": "Select the team the referral is for"})
    referrer_name = forms.CharField(label="Referrer's name (optional)", max_length=150, required=False)
    referrer_role = forms.CharField(label="Referrer's role (optional)", max_length=150, required=False)
    referrer_organisation = forms.CharField(label="Referrer's organisation (optional)", max_length=200,
                                            required=False)
    referrer_email = forms.EmailField(label="Referrer's email address (optional)", required=False,
                                      error_messages={"invalid": EMAIL_ERROR})
    referrer_phone = forms.CharField(label="Referrer's phone number (optional)", max_length=30, required=False)

    section_names = [
        ("Crisis and risk", ["in_danger", "urgent_mental_health"]),
        ("How it came in", ["channel", "source", "received_at", "team"]),
        ("Who referred them (optional)", ["referrer_name", "referrer_role", "referrer_organisation",
                                          "referrer_email", "referrer_phone"]),
        *ReferralForm.section_names,
    ]

    def __init__(self, *args, teams, **kwargs):
        now = timezone.localtime().replace(second=0, microsecond=0)
        kwargs.setdefault("initial", {}).setdefault("received_at", now)
        super().__init__(*args, **kwargs)
        self.fields["gp_practice"].required = False
        self.fields["gp_practice"].label = "GP practice (optional)"
        self.fields["team"].queryset = Team.objects.filter(pk__in=[t.pk for t in teams])
        if len(teams) == 1:  # nothing to choose
            del self.fields["team"]
            self.only_team = teams[0]

    def clean_received_at(self):
        received_at = self.cleaned_data["received_at"]
        if received_at > timezone.now() + _CLOCK_SKEW:
            raise forms.ValidationError("When it was received must be now or in the past")
        return received_at

    def chosen_team(self) -> Team:
        return self.cleaned_data["team"] if "team" in self.fields else self.only_team

    def screening(self) -> dict:
        return screening_answers(self, CrisisScreeningForm.QUESTIONS)
