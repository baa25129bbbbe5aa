"""How organisations answer the referrals sent to them over the last year: for link workers choosing a
service, and for each group about itself.

A referral counts in the year its first "referred" falls in. The service's first answer is the first
status its own editors record after that. Each figure is hidden below a small number
(`LINKWORKERS_RESPONSE_FIGURES_MINIMUM`, default 5) of the referrals it is worked out from, so a
figure cannot point to one person and one bad week cannot brand a small group.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta
from statistics import median

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.utils import timezone

from .models import ConnectionChange, ConnectionStatus

S = ConnectionStatus
PERIOD = timedelta(days=365)
# A first answer that says the service took the person on; attendance recorded straight away says so too.
_TOOK_ON = {S.ACCEPTED, S.ATTENDED, S.DID_NOT_ATTEND}
_TURNED_AWAY = {S.DECLINED, S.NO_CAPACITY}
_ATTENDANCE = {S.ATTENDED, S.DID_NOT_ATTEND}


def minimum() -> int:
    return int(settings.LINKWORKERS_RESPONSE_FIGURES_MINIMUM)


@dataclass(frozen=True)
class ResponseFigures:
    """One organisation's figures; a figure is None where too few referrals lie behind it to show."""

    received: int
    answered: int
    median_days: float | None  # from referral to the service's first answer, of those answered
    accepted_percent: int | None  # of referrals received
    declined_or_full_percent: int | None  # of referrals received
    attended_percent: int | None  # of those the service took on, the share whose attendance is "attended"
    minimum: int

    @property
    def too_few(self) -> bool:
        return self.received < self.minimum


def _percent(part: int, whole: int, at_least: int) -> int | None:
    return round(100 * part / whole) if whole and whole >= at_least else None


def figures_for(organisation_ids, *, now=None) -> dict[int, ResponseFigures]:
    """Figures for each organisation id given (every one, even with no referrals), in one query."""
    ids = list(dict.fromkeys(organisation_ids))
    now = now or timezone.now()
    since, at_least = now - PERIOD, minimum()
    first_referred_in_year = ConnectionChange.objects.filter(
        connection=OuterRef("connection"), status=S.REFERRED, recorded_at__gte=since, recorded_at__lte=now,
    )
    earlier_referral = ConnectionChange.objects.filter(
        connection=OuterRef("connection"), status=S.REFERRED, recorded_at__lt=since,
    )
    rows = (
        ConnectionChange.objects.filter(connection__organisation_id__in=ids, recorded_at__lte=now)
        .filter(Exists(first_referred_in_year), ~Exists(earlier_referral))
        .order_by("connection_id", "recorded_at", "pk")
        .values_list("connection__organisation_id", "connection_id", "status", "by_service", "recorded_at")
    )
    changes = defaultdict(list)
    organisation_of = {}
    for organisation_id, connection_id, status, by_service, recorded_at in rows:
        changes[connection_id].append((status, by_service, recorded_at))
        organisation_of[connection_id] = organisation_id

    tallies = {pk: {"received": 0, "days": [], "took_on": 0, "turned_away": 0, "attended": 0} for pk in ids}
    for connection_id, history in changes.items():
        tally = tallies[organisation_of[connection_id]]
        tally["received"] += 1
        referred_at = next(at for status, _, at in history if status == S.REFERRED)
        answers = [(status, at) for status, by_service, at in history if by_service and at >= referred_at]
        if not answers:
            continue
        first, answered_at = answers[0]
        tally["days"].append((answered_at - referred_at).total_seconds() / 86400)
        if first in _TOOK_ON:
            tally["took_on"] += 1
            attendance = [status for status, _, at in history if status in _ATTENDANCE and at >= referred_at]
            if attendance and attendance[-1] == S.ATTENDED:
                tally["attended"] += 1
        elif first in _TURNED_AWAY:
            tally["turned_away"] += 1

    figures = {}
    for pk, tally in tallies.items():
        received, days = tally["received"], tally["days"]
        figures[pk] = ResponseFigures(
            received=received, answered=len(days),
            median_days=round(median(days), 1) if len(days) >= at_least else None,
            accepted_percent=_percent(tally["took_on"], received, at_least),
            declined_or_full_percent=_percent(tally["turned_away"], received, at_least),
            attended_percent=_percent(tally["attended"], tally["took_on"], at_least),
            minimum=at_least,
        )
    return figures
