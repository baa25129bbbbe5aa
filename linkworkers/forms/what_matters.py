"""The form for a what-matters conversation."""

from django import forms
from django.utils import timezone

from ..models import Concern
from .records import _date, _text


class WhatMattersForm(forms.Form):
    held_on = _date("When did the conversation happen?",
                    error_messages={"required": "Enter the date the conversation happened"})
    what_matters = _text("What matters to them", error_messages={"required": "Write what matters to the person"},
                         help_text="Start from their answer to “what matters to you?”.")
    working_well = _text("What is working well", required=False, rows=3)
    not_working = _text("What is not working", required=False, rows=3)
    hopes = _text("What they hope to achieve", required=False, rows=3)
    strength_people = _text("People they can count on", required=False, rows=2,
                            help_text="Family, friends, neighbours, groups they belong to.")
    strength_skills = _text("Skills", required=False, rows=2)
    strength_interests = _text("Interests", required=False, rows=2)
    strength_places = _text("Places", required=False, rows=2,
                            help_text="Places they go, or would like to, such as a library, park or church.")
    concerns = forms.MultipleChoiceField(
        label="What are they worried about?", choices=Concern.choices, required=False,
        widget=forms.CheckboxSelectMultiple, help_text="Select all that apply.",
    )
    other_concern = forms.CharField(label="Something else (optional)", max_length=200, required=False,
                                    error_messages={"max_length": "Keep it to 200 characters or fewer"})
    own_words = _text("In their own words (optional)", required=False, rows=3,
                      help_text="Something they said that you want to keep as they said it.")

    def clean_held_on(self):
        day = self.cleaned_data["held_on"]
        if day and day > timezone.localdate():
            raise forms.ValidationError("The conversation cannot be in the future: enter the date it happened")
        return day

    def clean(self):
        data = super().clean()
        if Concern.OTHER in data.get("concerns", []) and not data.get("other_concern", "").strip():
            self.add_error("other_concern", "Say what else they are worried about, or untick “Something else”")
        return data
