"""Model fields for listing data: days of the week stored as iCal BYDAY codes ("MO,WE")."""

from django import forms
from django.db import models

WEEKDAYS = [("MO", "Monday"), ("TU", "Tuesday"), ("WE", "Wednesday"), ("TH", "Thursday"), ("FR", "Friday"),
            ("SA", "Saturday"), ("SU", "Sunday")]
WEEKDAY_CODES = [code for code, _ in WEEKDAYS]


class WeekdaysFormField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        kwargs.pop("max_length", None)
        kwargs.pop("empty_value", None)
        super().__init__(choices=WEEKDAYS, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, str):
            return [code for code in value.split(",") if code]
        return value

    def clean(self, value):
        chosen = set(super().clean(value))
        return ",".join(code for code in WEEKDAY_CODES if code in chosen)

    def has_changed(self, initial, data):
        return self.prepare_value(initial or "") != self.prepare_value(",".join(data or []))


class WeekdaysField(models.CharField):
    """Days of the week as ordered iCal codes; edited as a group of checkboxes."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 20)
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        return WeekdaysFormField(required=not self.blank, label=self.verbose_name.capitalize(),
                                 help_text=self.help_text)
