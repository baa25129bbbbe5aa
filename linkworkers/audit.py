"""Writing and reading the audit trail. Every view, change and export of a person's record calls `record`;
every refused attempt to reach a record is written by `record_refusal`."""

from django.db.models import QuerySet

from search.ratelimit import client_address

from .models import AccessRefusal, AuditEvent, Person

Action = AuditEvent.Action


def _actor(user) -> tuple[int | None, str]:
    if user is None or not getattr(user, "is_authenticated", False):
        return None, "Public form"
    name = getattr(user, "full_name", "") or ""
    return user.pk, f"{name} <{user.email}>" if name else user.email


def _context(request, user=None) -> dict:
    """Who acted and from where, shared by every event of one request."""
    actor_id, actor_label = _actor(user if user is not None else getattr(request, "user", None))
    if request is None:
        return {"actor_id": actor_id, "actor_label": actor_label, "path": "", "ip_address": None, "user_agent": ""}
    return {
        "actor_id": actor_id,
        "actor_label": actor_label,
        "path": request.get_full_path()[:500],
        # The same address sign-in and the per-address limits see: behind the trusted proxies only.
        "ip_address": client_address(request),
        "user_agent": request.META.get("HTTP_USER_AGENT", "")[:300],
    }


def _event(context: dict, *, action: str, what: str, person: Person, detail: dict | None) -> AuditEvent:
    return AuditEvent(
        **context, action=action, what=what, record_type="person", record_id=person.public_id,
        team_id=person.team_id, detail=detail or {},
    )


def record(request, *, action: str, what: str, person: Person, user=None, detail: dict | None = None) -> AuditEvent:
    """Append one event about `person`'s record. `user` defaults to the request's user."""
    event = _event(_context(request, user), action=action, what=what, person=person, detail=detail)
    event.save()
    return event


# Rows per INSERT: Django splits a bulk_create on SQLite at its historical limit of 999 parameters
# (76 events), so a list of 250 people would cost 4 statements and a page's query count would grow
# with its length. 1,000 events (13,000 parameters) fit SQLite since 3.32 and PostgreSQL (65,535).
_EVENTS_PER_STATEMENT = 1000


def record_many(request, *, action: str, what: str, people, detail: dict | None = None) -> None:
    """One event per person, in one statement: a list or export that shows several records.

    A person shown twice on one page (two referrals, a handover and a caseload row) is one event.
    """
    context = _context(request)
    distinct = {person.pk: person for person in people if person is not None}
    events = [_event(context, action=action, what=what, person=person, detail=detail) for person in distinct.values()]
    fields = [field for field in AuditEvent._meta.concrete_fields if not field.primary_key]
    for start in range(0, len(events), _EVENTS_PER_STATEMENT):
        # bulk_create would split at Django's SQLite batch size; _insert is the statement it issues.
        AuditEvent.objects._insert(events[start : start + _EVENTS_PER_STATEMENT], fields=fields)


def trail_for(person: Person) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(record_type="person", record_id=person.public_id)


def record_refusal(request, refusal) -> AccessRefusal:
    """Append one access log entry for `refusal` (an `access.RecordRefused`): who, when, which record, URL, why."""
    user = getattr(request, "user", None)
    actor_id, actor_label = _actor(user)
    if actor_id is None:
        actor_label = "Not signed in"
    entry = AccessRefusal(
        actor_id=actor_id, actor_label=actor_label, record_type=refusal.record_type, record_id=refusal.record_id,
        team_id=refusal.team_id, method=request.method[:10], path=request.get_full_path()[:500],
        ip_address=client_address(request), reason=refusal.reason,
    )
    entry.save()
    return entry


def access_log(*, team_ids=None) -> QuerySet[AccessRefusal]:
    """Refusals of records of `team_ids` (a supervisor's teams), newest first; the whole log when None."""
    entries = AccessRefusal.objects.all()
    return entries if team_ids is None else entries.filter(team_id__in=list(team_ids))
