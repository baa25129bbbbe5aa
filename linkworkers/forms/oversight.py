"""The break-glass form: which record a commissioner or site admin needs to open, and why."""

import uuid

from django import forms

from ..models import Person


class BreakGlassForm(forms.Form):
    reference = forms.CharField(
        label="Record reference",
        max_length=64,
        error_messages={"required": "Enter the record's reference."},
        help_text="The person's reference as given in the complaint or incident report, for example "
        "3f2b8c1e-5d4a-4c2b-9e7f-0a1b2c3d4e5f.",
    )
    reason = forms.CharField(
        label="Why you need to see this record",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say why you need to see this record."},
        help_text="Say in a sentence or two what the access is for (a complaint, an incident review, a "
        "legal request). Your reason is recorded with your access and reviewed.",
    )

    def clean_reference(self) -> Person:
        # Break glass is the one way to a record outside one's teams, so this looks a person up
        # outside `access`; the grant that follows is what makes the record readable, and it is audited.
        try:
            public_id = uuid.UUID(self.cleaned_data["reference"].strip())
        except ValueError:
            public_id = None
        person = Person.objects.filter(public_id=public_id).first() if public_id else None
        if person is None:
            raise forms.ValidationError("No record has that reference. Check it against the report it came from.")
        return person
