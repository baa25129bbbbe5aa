"""The reports' filters: a period, a postcode district, a need and a referral source, read from the address (GET)."""

from datetime import timedelta

from django import forms
from django.utils import timezone

from directory.models import TaxonomyTerm
from directory.models.taxonomy import NEEDS
from search.postcodes import normalise_district

from ..models import ReferralSource
from . import gaps
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

    first_area = forms.CharField(
        label="First area", required=False, max_length=60,
        widget=forms.TextInput(attrs={"class": "nhsuk-input--width-20", "autocomplete": "off"}),
    )
    second_area = forms.CharField(
        label="Second area", required=False, max_length=60,
        widget=forms.TextInput(attrs={"class": "nhsuk-input--width-20", "autocomplete": "off"}),
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
        first, second = cleaned.get("first_area", "").strip(), cleaned.get("second_area", "").strip()
        if first and not second:
            self.add_error("second_area", "Enter a second area to set beside the first, or clear the first")
        elif second and not first:
            self.add_error("first_area", "Enter a first area to set beside the second, or clear the second")
        return cleaned

    def areas_to_compare(self) -> tuple[str, str] | None:
        """The two areas typed to set side by side, or None."""
        first, second = (self.cleaned_data.get(name, "").strip() for name in ("first_area", "second_area"))
        return (first, second) if first and second else None

    def refuse_unknown_areas(self, report) -> tuple[str, str] | None:
        """The report's names for the two areas typed, or None with an error on each the report does not have."""
        typed = self.areas_to_compare()
        if typed is None:
            return None
        named = [gaps.area_named(report, text) for text in typed]
        noun = report.filters.area_noun
        for field_name, text, name in zip(("first_area", "second_area"), typed, named):
            if name is None:
                self.add_error(field_name, f"This report has no {noun} called {text}: use a name from its tables, "
                                           f"like {self._example(report)}")
        return tuple(named) if all(named) else None

    @staticmethod
    def _example(report) -> str:
        areas = report.referrals_by_area.districts or [row.district for row in report.rows]
        return areas[0] if areas else ("RG12" if report.filters.level == DISTRICTS else "Bracknell Forest")

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
