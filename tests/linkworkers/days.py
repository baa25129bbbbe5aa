"""Dates for test parameters, worked out when a form is posted rather than when the module is imported."""

from datetime import timedelta

from django.utils import timezone


class Day:
    """Today plus `offset` days, in local time, as the form's ISO date text.

    Parameter lists are built when pytest imports a module; a run that passes midnight would then
    post yesterday's "tomorrow", which is today and accepted. The test client turns this into
    text (str) as it posts.
    """

    def __init__(self, offset: int):
        self.offset = offset

    def __str__(self) -> str:
        return (timezone.localdate() + timedelta(days=self.offset)).isoformat()

    def __repr__(self) -> str:
        return f"Day({self.offset:+d})"
