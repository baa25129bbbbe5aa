"""Writing and reading the audit trail. Every view, change and export of a case record calls `record`;
every refused attempt to reach a record is written by `record_refusal`.

An event is about one record of any type (a person, a plan, a what-matters conversation, later a
connection to a service) and, when the record is part of someone's case, about that person too, so
a person's trail shows everything done with their record whatever the record type.
"""

from dataclasses import dataclass

from django.db.models import Model, QuerySet

from search.ratelimit import client_address

from .models import AccessRefusal, AuditEvent, Person

Action = AuditEvent.Action


@dataclass(frozen=True)
class Actor:
    """Who acted and from where: built once per request by a view (`Actor.from_request`), or for a user
    alone where there is no request (demo data, tests, management commands)."""

    user: object = None
    path: str = ""
    ip_address: str | None = None
    user_agent: str = ""

    @classmethod
    def from_request(cls, request, *, user=None) -> "Actor":
        return cls(
            user=user if user is not None else getattr(request, "user", None),
            path=request.get_full_path()[:500],
            # The same address sign-in and the per-address limits see: behind the trusted proxies only.
            ip_address=client_address(request),
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
        )

    @property
    def id_and_label(self) -> tuple[int | None, str]:
        user = self.user
        if user is None or not getattr(user, "is_authenticated", False):
            return None, "Public form"
        name = getattr(user, "full_name", "") or ""
        return user.pk, f"{name} <{user.email}>" if name else user.email


def record_type_of(record: Model) -> str:
    """The name an event gives a record's type: the model's name in words, e.g. "care plan version"."""
    return str(record._meta.verbose_name)


def _event(actor: Actor, *, action: str, what: str, person: Person | None, record: Model | None,
           detail: dict | None) -> AuditEvent:
    record = record if record is not None else person
    if record is None:
        raise ValueError("An audit event is about a record.")
    actor_id, actor_label = actor.id_and_label
    team_id = person.team_id if person is not None else getattr(record, "team_id", None)
    return AuditEvent(
        actor_id=actor_id, actor_label=actor_label, path=actor.path, ip_address=actor.ip_address,
        user_agent=actor.user_agent, action=action, what=what, record_type=record_type_of(record),
        record_id=record.public_id, person_public_id=person.public_id if person is not None else None,
        team_id=team_id, detail=detail or {},
    )


def record(actor: Actor, *, action: str, what: str, person: Person | None = None, record: Model | None = None,
           detail: dict | None = None) -> AuditEvent:
    """Append one event about `record` (any model with a `public_id`), part of `person`'s case if given.

    With only `person`, the event is about the person's record itself.
    """
    event = _event(actor, action=action, what=what, person=person, record=record, detail=detail)
    event.save()
    return event


# Rows per INSERT: Django splits a bulk_create on SQLite at its historical limit of 999 parameters
# (76 events), so a list of 250 people would cost 4 statements and a page's query count would grow
# with its length. 1,000 events (13,000 parameters) fit SQLite since 3.32 and PostgreSQL (65,535).
_EVENTS_PER_STATEMENT = 1000


def record_many(actor: Actor, *, action: str, what: str, people, detail: dict | None = None) -> None:
    """One event per person, in one statement: a list or export that shows several records.

    A person shown twice on one page (two referrals, a handover and a caseload row) is one event.
    """
    distinct = {person.pk: person for person in people if person is not None}
    events = [_event(actor, action=action, what=what, person=person, record=None, detail=detail)
              for person in distinct.values()]
    fields = [field for field in AuditEvent._meta.concrete_fields if not field.primary_key]
    for start in range(0, len(events), _EVENTS_PER_STATEMENT):
        # bulk_create would split at Django's SQLite batch size; _insert is the statement it issues.
        AuditEvent.objects._insert(events[start : start + _EVENTS_PER_STATEMENT], fields=fields)


def trail_for(person: Person) -> QuerySet[AuditEvent]:
    """Every event about the person's case: their record and any record of it (plans, conversations...)."""
    return AuditEvent.objects.filter(person_public_id=person.public_id)


def trail_of(record: Model) -> QuerySet[AuditEvent]:
    """Every event about one record."""
    return AuditEvent.objects.filter(record_type=record_type_of(record), record_id=record.public_id)


def record_refusal(request, refusal) -> AccessRefusal:
    """Append one access log entry for `refusal` (an `access.RecordRefused`): who, when, which record, URL, why."""
    actor = Actor.from_request(request)
    actor_id, actor_label = actor.id_and_label
    if actor_id is None:
        actor_label = "Not signed in"
    entry = AccessRefusal(
        actor_id=actor_id, actor_label=actor_label, record_type=refusal.record_type, record_id=refusal.record_id,
        team_id=refusal.team_id, method=request.method[:10], path=actor.path, ip_address=actor.ip_address,
        reason=refusal.reason,
    )
    entry.save()
    return entry


def access_log(*, team_ids=None) -> QuerySet[AccessRefusal]:
    """Refusals of records of `team_ids` (a supervisor's teams), newest first; the whole log when None."""
    entries = AccessRefusal.objects.all()
    return entries if team_ids is None else entries.filter(team_id__in=list(team_ids))
