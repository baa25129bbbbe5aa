"""Forms for wellbeing measures: one radio group per SWEMWBS item or ONS4 question, with when it was taken.

The person may choose not to answer: the page's second button records that, and then no answer is asked for.
"""

from django import forms
from django.utils import timezone

from .. import wellbeing
from ..models import MeasurePoint
from .records import _date


def _item(label: str, choices, *, answers: str, required: bool) -> forms.ChoiceField:
    """One question as a radio group; `answers` says what a valid answer is, for the error message."""
    return forms.ChoiceField(
        label=label, choices=[(str(value), text) for value, text in choices], widget=forms.RadioSelect,
        required=required,
        error_messages={
            "required": f"Select an answer for \u201c{label}\u201d",
            "invalid_choice": f"The answer for \u201c{label}\u201d must be {answers}",
        },
    )


class MeasureForm(forms.Form):
    """When the measure was taken; subclasses add the scale's questions as ITEMS."""

    ITEMS: tuple[str, ...] = ()

    point = forms.ChoiceField(
        label="When in the episode is this?", choices=MeasurePoint.choices, widget=forms.RadioSelect,
        help_text="Baseline at the start, closure at the end, reviews in between.",
        error_messages={"required": "Select baseline, review or closure",
                        "invalid_choice": "Select baseline, review or closure"},
    )
    taken_on = _date("Date the person answered", error_messages={"required": "Enter the date the person answered"},
                     help_text="Or the date they chose not to answer.")

    def __init__(self, *args, declining: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.declining = declining
        if not self.is_bound:
            self.initial.setdefault("taken_on", timezone.localdate())

    def clean_taken_on(self):
        day = self.cleaned_data["taken_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("The date cannot be in the future")
        return day

    @property
    def items(self) -> list[forms.BoundField]:
        return [self[name] for name in self.ITEMS]

    @property
    def when(self) -> list[forms.BoundField]:
        return [self["point"], self["taken_on"]]

    def answers(self) -> dict[str, int]:
        """The answers as numbers, keyed as the scale names its items (only once the form is valid)."""
        return {name: int(self.cleaned_data[name]) for name in self.ITEMS}


class SwemwbsForm(MeasureForm):
    ITEMS = tuple(key for key, _ in wellbeing.SWEMWBS_ITEMS)
    INLINE = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, statement in wellbeing.SWEMWBS_ITEMS:
            self.fields[key] = _item(
                statement, wellbeing.SWEMWBS_RESPONSES, required=not self.declining,
                answers="one of the five, from \u201cNone of the time\u201d to \u201cAll of the time\u201d",
            )


class Ons4Form(MeasureForm):
    ITEMS = tuple(key for key, _, _ in wellbeing.ONS4_QUESTIONS)
    INLINE = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, question, _ in wellbeing.ONS4_QUESTIONS:
            self.fields[key] = _item(question, [(n, str(n)) for n in range(11)], required=not self.declining,
                                     answers="a whole number from 0 to 10")
            self.fields[key].help_text = (
                "0 is not at all anxious, 10 is completely anxious." if key in wellbeing.ONS4_LOWER_IS_BETTER
                else "0 is not at all, 10 is completely."
            )
