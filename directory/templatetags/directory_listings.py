"""Template filters for listing pages: thin adapters over directory.presentation and structured data."""

from django import template

from .. import presentation
from ..models import Organisation, Service
from ..structured_data import json_ld_script, organisation_json_ld, service_json_ld

register = template.Library()

register.filter("schedule_in_words", presentation.schedule_in_words)
register.filter("date_in_words", presentation.date_in_words)
register.filter("price_in_words", presentation.price_in_words)
register.filter("ways_to_join", presentation.ways_to_join)
register.filter("delivery_channels", presentation.delivery_channels)
register.filter("accessibility_features", presentation.accessibility_features)
register.filter("address_lines", presentation.address_lines)
register.filter("area_in_words", presentation.area_in_words)
register.filter("availability_of", presentation.availability_of)
register.filter("status_notice", presentation.status_notice)


@register.filter
def age_range_in_words(service) -> str:
    return presentation.age_range_in_words(service.minimum_age, service.maximum_age)


@register.filter
def valid_dates_in_words(schedule) -> str:
    return presentation.date_range_in_words(schedule.valid_from, schedule.valid_to)


@register.simple_tag(takes_context=True)
def json_ld(context, page):
    """The page's schema.org description as a JSON-LD script element (Service or Organization)."""
    base_url = context["request"].build_absolute_uri("/")
    if isinstance(page, Service):
        return json_ld_script(service_json_ld(page, base_url=base_url))
    if isinstance(page, Organisation):
        return json_ld_script(organisation_json_ld(page, base_url=base_url))
    return ""
