"""Tags for the portal's own pages: where to get help (error pages), and how long staff stay signed
in (sign-in page). Both read settings only, so the 500 page can use them without a database."""

from django import template
from django.conf import settings

from themes.crisis import crisis_route

from ..middleware import staff_session_limits_in_words

register = template.Library()


@register.inclusion_tag("portal/includes/get_help.html")
def get_help() -> dict:
    return {
        "crisis_route": crisis_route(),
        "team_phone": settings.TEAM_CONTACT_PHONE,
        "team_tel": "".join(ch for ch in settings.TEAM_CONTACT_PHONE if ch.isdigit() or ch == "+"),
        "team_email": settings.TEAM_CONTACT_EMAIL,
    }


@register.simple_tag
def staff_session_limits() -> str:
    return staff_session_limits_in_words()
