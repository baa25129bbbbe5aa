"""The crisis numbers every part shows people who may be at risk: settings.LINKWORKERS_CRISIS_ROUTE, read as
configuration, each number also as a tel: address so a phone can dial it.

It lives here, below the parts, because the search pages, the referral forms and the site's own pages
all show it (through `nhsuk/includes/crisis_numbers.html`).
"""

from django.conf import settings


def crisis_route() -> list[dict]:
    return [
        {**step, "tel": "".join(ch for ch in str(step["number"]) if ch.isdigit() or ch == "+")}
        for step in getattr(settings, "LINKWORKERS_CRISIS_ROUTE", ())
    ]
