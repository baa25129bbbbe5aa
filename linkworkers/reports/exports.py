"""Recording each download of a commissioners' report in the audit trail, and what each download says about itself.

A report is not a stored record, so one fixed id (derived from its name) stands for each report:
`audit.trail_of(report)` lists every export of it, with who, when and what it covered.
"""

import uuid
from collections.abc import Iterable
from types import SimpleNamespace

from django.db import transaction
from django.utils import timezone

from .. import audit
from ..audit import Actor
from .suppression import round_to, suppress_below


def stand_in(name: str) -> SimpleNamespace:
    """The audit trail's record for the report called `name` ("gap report"): the same id every time."""
    return SimpleNamespace(_meta=SimpleNamespace(verbose_name=name),
                           public_id=uuid.uuid5(uuid.NAMESPACE_URL, f"linkworkers/reports/{name.replace(' ', '-')}"))


@transaction.atomic
def record_export(*, actor: Actor, report: SimpleNamespace, covered: dict, file_format: str = "csv"):
    """Record one download of `report`, with the filters it `covered` (aggregates only, nobody's record)."""
    return audit.record(actor, action=audit.Action.EXPORT, record=report, detail=covered,
                        what=f"{report._meta.verbose_name} ({file_format.upper()})")


# --- What a download says about itself ---------------------------------------------------------------

def suppression_in_words() -> str:
    """The small-numbers rule as the reports' pages state it, for a download to carry with it."""
    below, base = suppress_below(), round_to()
    return (f'Counts of people from 1 to {below - 1} are shown as "<{below}" and every other count is rounded to '
            f"the nearest {base}, so no one can be recognised. Where a table has totals and a small count could be "
            f'worked out from them, another count is hidden too and shown as "*".')


def covered_in_words(filters, *, area_and_need: bool = True) -> list[tuple[str, str]]:
    """What `filters` (a gaps.Filters) covered, as (label, text) rows: the period, then the district and need
    where the report has them, then the referral source."""
    rows = [("Period", f"{filters.date_from:%-d %B %Y} to {filters.date_to:%-d %B %Y} (both days included)")]
    if area_and_need:
        rows += [("Postcode district", filters.district or "Every district"),
                 ("Need", filters.need.name if filters.need else "Every need")]
    return [*rows, ("Referral source", filters.source_name or "Every source")]


def about(title: str, filters, *, area_and_need: bool = True, notes: Iterable[tuple[str, str]] = ()
          ) -> list[tuple[str, str]]:
    """The rows of a download's About sheet: which report, what it covered, the small-numbers rule, when made."""
    made = timezone.localtime()
    return [("Report", title), *covered_in_words(filters, area_and_need=area_and_need),
            ("Small numbers", suppression_in_words()), *notes,
            ("Made", f"{made:%-d %B %Y at %H:%M} ({made:%Z})")]
