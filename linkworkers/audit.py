"""Writing and reading the audit trail. Every view, change and export of a person's record calls `record`."""

from django.db.models import QuerySet

from .models import AuditEvent, Person

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
        # REMOTE_ADDR only: a forwarded header can be forged unless a trusted proxy sets it, and the
        # deployment's proxy is expected to put the client address there.
        "ip_address": request.META.get("REMOTE_ADDR") or None,
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
