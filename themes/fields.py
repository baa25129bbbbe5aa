"""Model choice fields whose every impossible value is "Select a valid choice", never a database error.

Django looks each posted value up as it comes: on SQLite an id past 64 bits raises OverflowError
inside the `IN (...)` query (a 500), and a value that is not a number is reported in words a
person cannot act on. These fields refuse any value no row could have before a query runs.
Nothing here is particular to one part: every part's forms use them (so they live with the forms' templates).
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db import connections


def could_be_key(queryset, value, key: str = "pk") -> bool:
    """Whether `value` could be the `key` of a row of `queryset`'s model: the right type, in the column's range."""
    opts = queryset.model._meta
    field = opts.pk if key == "pk" else opts.get_field(key)
    while field.is_relation:  # a multi-table child's key is its parent's (as Wagtail pages' are)
        field = field.target_field
    try:
        python = field.to_python(value)
    except ValidationError:
        return False
    if isinstance(python, int) and not isinstance(python, bool):
        try:
            low, high = connections[queryset.db].ops.integer_field_range(field.get_internal_type())
        except KeyError:  # not an integer column Django knows the range of
            return True
        return (low is None or python >= low) and (high is None or python <= high)
    return True


def _invalid_choice(field, value) -> ValidationError:
    return ValidationError(field.error_messages["invalid_choice"], code="invalid_choice", params={"value": value})


class ModelChoiceField(forms.ModelChoiceField):
    def to_python(self, value):
        if (value not in self.empty_values and not isinstance(value, self.queryset.model)
                and not could_be_key(self.queryset, value, self.to_field_name or "pk")):
            raise _invalid_choice(self, value)
        return super().to_python(value)


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        if isinstance(value, (list, tuple)):  # anything else Django refuses as "Enter a list of values"
            key = self.to_field_name or "pk"
            for item in value:
                if not isinstance(item, self.queryset.model) and not could_be_key(self.queryset, item, key):
                    raise _invalid_choice(self, item)
        return super()._check_values(value)
