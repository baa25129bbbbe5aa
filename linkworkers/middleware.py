"""Refused attempts to reach a case record go to the access log, whichever view refused them."""

from . import audit
from .access import RecordRefused


class AccessLogMiddleware:
    """Writes an access log entry for a `RecordRefused` raised by any view; the answer stays Django's 404.

    Here rather than in each view so that no page reaching records through `access` can forget it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, RecordRefused):
            audit.record_refusal(request, exception)
        return None  # Django answers the 404 exactly as for a record that does not exist
