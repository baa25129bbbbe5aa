"""Template tags for the wellbeing section of a person's record, so the person page includes it in one line."""

from django import template

from .. import measures_history

register = template.Library()


@register.simple_tag
def wellbeing_history(person) -> measures_history.History:
    """The person's measures, changes and chart (one query)."""
    return measures_history.person_history(person)
