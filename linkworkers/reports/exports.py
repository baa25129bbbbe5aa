"""Recording each download of a commissioners' report in the audit trail.

A report is not a stored record, so one fixed id (derived from its name) stands for each report:
`audit.trail_of(report)` lists every export of it, with who, when and what it covered.
"""

import uuid
from types import SimpleNamespace

from django.db import transaction

from .. import audit
from ..audit import Actor


def stand_in(name: str) -> SimpleNamespace:
    """The audit trail's record for the report called `name` ("gap report"): the same id every time."""
    return SimpleNamespace(_meta=SimpleNamespace(verbose_name=name),
                           public_id=uuid.uuid5(uuid.NAMESPACE_URL, f"linkworkers/reports/{name.replace(' ', '-')}"))


@transaction.atomic
def record_export(*, actor: Actor, report: SimpleNamespace, covered: dict, file_format: str = "csv"):
    """Record one download of `report`, with the filters it `covered` (aggregates only, nobody's record)."""
    return audit.record(actor, action=audit.Action.EXPORT, record=report, detail=covered,
                        what=f"{report._meta.verbose_name} ({file_format.upper()})")
