"""Writing and reading the audit trail. Every view, change and export of a person's record calls `record`."""

from django.db.models import QuerySet

from .models import AuditEvent, Person

Action = AuditEvent.Action


def _actor(user) -> tuple[int | None, str]:
    if user is None or not getattr(user, "is_authenticated", False):
        return None, "Public form"
    name = getattr(user, "full_name", "") or ""
    return user.pk, f"{name} <{user.email}>" if name else user.email


def _client_ip(request) -> str | None:
    # REMOTE_ADDR only: a forwarded header can be forged unless a trusted proxy sets it, and the
    # deployment's proxy is expected to put the client address there.
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def record(request, *, action: str, what: str, person: Person, user=None, detail: dict | None = None) -> AuditEvent:
    """Append one event about `person`'s record. `user` defaults to the request's user."""
    actor_id, actor_label = _actor(user if user is not None else getattr(request, "user", None))
    return AuditEvent.objects.create(
        actor_id=actor_id,
        actor_label=actor_label,
        action=action,
        what=what,
        record_type="person",
        record_id=person.public_id,
        team_id=person.team_id,
        path=request.get_full_path()[:500] if request is not None else "",
        ip_address=_client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:300] if request is not None else "",
        detail=detail or {},
    )


# Rows per INSERT: Django splits a bulk_create on SQLite at its historical limit of 999 parameters
# (76 events), so a list of 250 people would cost 4 statements and a page's query count would grow
# with its length. 1,000 events (13,000 parameters) fit SQLite since 3.32 and PostgreSQL (65,535).
_EVENTS_PER_STATEMENT = 1000


def record_many(request, *, action: str, what: str, people, detail: dict | None = None) -> None:
    """One event per person, in one statement: a list or export that shows several records."""
    actor_id, actor_label = _actor(getattr(request, "user", None))
    path = request.get_full_path()[:500]
    ip_address = _client_ip(request)
    user_agent = request.META.get("HTTP_USER_AGENT", "")[:300]
    events = [
        AuditEvent(
            actor_id=actor_id,
            actor_label=actor_label,
            action=action,
            what=what,
            record_type="person",
            record_id=person.public_id,
            team_id=person.team_id,
            path=path,
            ip_address=ip_address,
            user_agent=user_agent,
            detail=detail or {},
        )
        for person in people
    ]
    fields = [field for field in AuditEvent._meta.concrete_fields if not field.primary_key]
    for start in range(0, len(events), _EVENTS_PER_STATEMENT):
        AuditEvent.objects._insert(events[start : start + _EVENTS_PER_STATEMENT], fields=fields)


def trail_for(person: Person) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(record_type="person", record_id=person.public_id)
