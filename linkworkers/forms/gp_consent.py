"""The form recording what the person agreed their GP and referrer receive."""

from django import forms

from ..models.episodes import GpSharing

CHOICES = [
    (GpSharing.FULL.value, "The full summary, with their plan"),
    (GpSharing.CODED.value, "Coded facts only"),
]


class GpSharingForm(forms.Form):
    choice = forms.ChoiceField(
        label="What did the person agree their GP and referrer receive?", choices=CHOICES,
        widget=forms.RadioSelect,
        help_text=(
            "The full summary adds their plan: goals in their own words with how each went, and the review "
            "date. Coded facts only is the referral code, the support offered and the outcome, with no notes "
            "and nothing in their own words."
        ),
        error_messages={
            "required": "Select what the person agreed their GP and referrer receive",
            "invalid_choice": "Select one of the two choices: the full summary, or coded facts only",
        },
    )
