"""The reports' filters: a period, a postcode district, a need and a referral source, read from the address (GET)."""

from datetime import timedelta

from django import forms
from django.utils import timezone

from directory.models import TaxonomyTerm
from directory.models.taxonomy import NEEDS
from search.postcodes import normalise_district

from ..models import ReferralSource
from .gaps import AUTHORITIES, DISTRICTS, Filters

# With no period chosen the report covers the last twelve months up to today.
DEFAULT_DAYS = 365
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
DISTRICT_MESSAGE = "Enter a postcode district like RG12, or leave it empty for every district"


def _date(label: str, help_text: str) -> forms.DateField:
    # Browsers with a date picker send ISO dates; without one, people type the British way.
    return forms.DateField(
        label=label, required=False, input_formats=DATE_FORMATS, help_text=help_text,
        error_messages={"invalid": f"{label} must be a real date, like 27/03/2026"},
        widget=forms.DateInput(attrs={"type": "date", "class": "nhsuk-input--width-10"}, format="%Y-%m-%d"),
    )


class GapReportFilterForm(forms.Form):
    date_from = _date("From", "The first day of the period, for example 1/4/2026.")
    date_to = _date("To", "The last day of the period, for example 31/3/2027.")
    district = forms.CharField(
        label="Postcode district (optional)", required=False, max_length=10,
        error_messages={"max_length": DISTRICT_MESSAGE},
        help_text="The first part of a postcode, for example RG12. Leave empty for every district.",
        widget=forms.TextInput(attrs={"class": "nhsuk-input--width-5", "autocomplete": "off"}),
    )
    need = forms.ModelChoiceField(
        label="Need (optional)", required=False, empty_label="Every need", to_field_name="code",
        queryset=TaxonomyTerm.objects.filter(taxonomy__name=NEEDS, parent__isnull=True).order_by("name"),
        error_messages={"invalid_choice": "Choose a need from the list"},
    )
    level = forms.ChoiceField(
        label="Count by", required=False, widget=forms.RadioSelect, initial=DISTRICTS,
        choices=[(DISTRICTS, "Postcode district"), (AUTHORITIES, "Local authority")],
        error_messages={"invalid_choice": "Choose postcode district or local authority"},
    )
    source = forms.ChoiceField(
        label="Referral source (optional)", required=False,
        choices=[("", "Every source"), *ReferralSource.choices],
        help_text="Who referred the person. Leave as every source for all referrals.",
        error_messages={"invalid_choice": "Choose a referral source from the list"},
    )

    def __init__(self, data=None, *args, **kwargs):
        # A report asked for without choosing shows (and checks) the default level, as the first visit does.
        if data is not None and "level" in self.base_fields and not data.get("level"):
            data = data.copy()
            data["level"] = DISTRICTS
        super().__init__(data, *args, **kwargs)

    def clean_district(self) -> str:
        typed = self.cleaned_data["district"].strip()
        if not typed:
            return ""
        district = normalise_district(typed)
        if district is None:
            raise forms.ValidationError(DISTRICT_MESSAGE)
        return district

    def clean(self):
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", "The end of the period must be on or after its start")
        return cleaned

    def filters(self) -> Filters:
        """The report's filters from a valid form, the last twelve months where no period was given."""
        today = timezone.localdate()
        date_to = self.cleaned_data.get("date_to") or today
        date_from = self.cleaned_data.get("date_from") or min(date_to, today) - timedelta(days=DEFAULT_DAYS - 1)
        if date_from > date_to:  # only the start was given, after today
            date_to = date_from
        return Filters(date_from=date_from, date_to=date_to, district=self.cleaned_data.get("district", ""),
                       need=self.cleaned_data.get("need"), source=self.cleaned_data.get("source", ""),
                       level=self.cleaned_data.get("level") or DISTRICTS)
