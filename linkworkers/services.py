"""Writes to case records: intake, matching, triage, allocation, contacts, closure and cover.

Each function is one transaction and writes its audit event inside it, so a change is never
stored without its trail. `request` (optional) supplies where the change came from.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from search.models import Postcode
from search.postcodes import normalise_postcode

from . import audit
from .models import (
    Action,
    BreakGlassGrant,
    CarerAction,
    CarerLink,
    ClosureReason,
    Contact,
    Episode,
    EpisodeStatus,
    Handover,
    MatchStatus,
    Person,
    Rag,
    RagChange,
    Referral,
    ReferralStatus,
    SafeguardingConcern,
    Team,
    Tier,
)

AuditAction = audit.Action
# A contact logged "now" from a device whose clock runs a little fast is still not in the future.
_CLOCK_SKEW = timedelta(minutes=5)


class CaseRecordError(Exception):
    """A change that the record's state does not allow, with a message fit to show the user."""


# --- Intake -----------------------------------------------------------------------------------

def team_for_postcode(postcode: str) -> Team | None:
    """The team covering a postcode's district or local authority, else the team taking unmatched referrals.

    A referral is never refused for where someone lives ("no wrong door", 001:541).
    """
    normalised = normalise_postcode(postcode or "")
    if normalised:
        row = Postcode.objects.filter(postcode=normalised).values("district", "local_authority").first()
        district = row["district"] if row else normalised.split()[0]
        codes = {district.upper(), (row or {}).get("local_authority", "").upper()} - {""}
        for team in Team.objects.exclude(areas=""):
            if codes & {area.strip().upper() for area in team.areas.split(",")}:
                return team
    return Team.objects.filter(takes_unmatched_referrals=True).first() or Team.objects.first()


def find_known_person(
    *, team: Team, nhs_number: str, given_name: str, family_name: str, date_of_birth, postcode: str,
    keyed_by_staff: bool = False,
):
    """(person, how) for someone the team already knows, or (None, NEW_PERSON).

    Keyed by staff, an NHS number identifies a person on its own. From a public form (no account)
    anyone can type a number they know, so it links only when the name and date of birth agree as
    well; otherwise the person it names is a possible match, and nothing of the referral reaches
    their record until staff confirm it. Name, date of birth and postcode together only suggest a
    match, which a person confirms: two people can share all three.
    """
    people = Person.objects.filter(team=team)
    if nhs_number:
        person = people.filter(nhs_number=nhs_number).first()
        if person:
            if keyed_by_staff or _same_name_and_birth(person, given_name, family_name, date_of_birth):
                return person, MatchStatus.NHS_NUMBER
            return person, MatchStatus.NEEDS_CONFIRMATION
    if given_name and family_name and date_of_birth and postcode:
        candidates = people.filter(
            given_name__iexact=given_name.strip(),
            family_name__iexact=family_name.strip(),
            date_of_birth=date_of_birth,
            postcode=normalise_postcode(postcode) or postcode,
        )
        if nhs_number:  # someone on record with a different NHS number is someone else
            candidates = candidates.filter(nhs_number="")
        person = candidates.first()
        if person:
            return person, MatchStatus.NEEDS_CONFIRMATION
    return None, MatchStatus.NEW_PERSON


def _same_name_and_birth(person: Person, given_name: str, family_name: str, date_of_birth) -> bool:
    def same(recorded: str, given: str) -> bool:
        return " ".join(recorded.split()).casefold() == " ".join((given or "").split()).casefold()

    return (
        person.date_of_birth is not None and person.date_of_birth == date_of_birth
        and same(person.given_name, given_name) and same(person.family_name, family_name)
    )


_PERSON_FIELDS = (
    "given_name", "family_name", "date_of_birth", "nhs_number", "postcode", "phone", "email",
    "gp_practice", "preferred_contact_method",
)


def _person_from_referral(referral: Referral) -> Person:
    return Person.objects.create(team=referral.team, **{field: getattr(referral, field) for field in _PERSON_FIELDS})


@transaction.atomic
def submit_referral(
    *,
    channel: str,
    source: str,
    person: dict,
    reasons: str,
    consent_to_contact: bool,
    needs=(),
    referrer: dict | None = None,
    crisis_answers: dict | None = None,
    crisis_indicated: bool = False,
    team: Team | None = None,
    keyed_by=None,
    received_at: datetime | None = None,
    request=None,
) -> Referral:
    """Record a referral from any route, linked to the person if the team already knows them.

    A referral from a public form (no `keyed_by`) links to a known person only when name, date of
    birth and NHS number all agree; anything less leaves a possible match for staff to confirm.

    `person` holds the person's details (given_name, family_name, date_of_birth, nhs_number,
    postcode, phone, email, gp_practice, preferred_contact_method); `referrer` the referrer's
    (referrer_name, referrer_role, referrer_organisation, referrer_email, referrer_phone).
    """
    details = {field: person.get(field) or ("" if field != "date_of_birth" else None) for field in _PERSON_FIELDS}
    details["postcode"] = normalise_postcode(details["postcode"]) or details["postcode"].strip().upper()
    team = team or team_for_postcode(details["postcode"])
    if team is None:
        raise CaseRecordError("No link-worker team is set up to receive referrals yet.")
    referral = Referral(
        team=team,
        channel=channel,
        source=source,
        keyed_by=keyed_by,
        received_at=received_at or timezone.now(),
        reasons=reasons,
        consent_to_contact=consent_to_contact,
        crisis_indicated=crisis_indicated,
        crisis_answers=crisis_answers or {},
        urgent=crisis_indicated,
        **details,
        **(referrer or {}),
    )
    known, how = find_known_person(
        team=team,
        nhs_number=details["nhs_number"],
        given_name=details["given_name"],
        family_name=details["family_name"],
        date_of_birth=details["date_of_birth"],
        postcode=details["postcode"],
        keyed_by_staff=keyed_by is not None,
    )
    referral.match_status = how
    if how == MatchStatus.NHS_NUMBER:
        referral.person = known
    elif how == MatchStatus.NEEDS_CONFIRMATION:
        referral.possible_match = known
    referral.save()
    referral.needs.set(needs)
    if referral.person is None and how == MatchStatus.NEW_PERSON:
        referral.person = _person_from_referral(referral)
        referral.save(update_fields=["person"])
    subject = referral.person or referral.possible_match
    audit.record(
        request, user=keyed_by, action=AuditAction.CREATE, what="referral received", person=subject,
        detail={"referral": str(referral.public_id), "channel": channel, "match": how},
    )
    return referral


@transaction.atomic
def confirm_match(*, referral: Referral, same_person: bool, by, request=None) -> Referral:
    """A person decides whether a possible match is the same person, so the story is told once."""
    if referral.match_status != MatchStatus.NEEDS_CONFIRMATION:
        raise CaseRecordError("This referral has no possible match waiting to be confirmed.")
    if same_person:
        referral.person = referral.possible_match
        referral.match_status = MatchStatus.CONFIRMED
    else:
        referral.person = _person_from_referral(referral)
        referral.match_status = MatchStatus.NEW_PERSON
    referral.save(update_fields=["person", "match_status"])
    audit.record(
        request, user=by, action=AuditAction.CHANGE,
        what="possible match confirmed" if same_person else "possible match rejected: new person",
        person=referral.person, detail={"referral": str(referral.public_id)},
    )
    return referral


# --- Triage -----------------------------------------------------------------------------------

def _decide(referral: Referral, *, status: str, by, reason: str = "") -> None:
    if referral.status != ReferralStatus.NEW:
        raise CaseRecordError(f"This referral was already {referral.get_status_display().lower()}.")
    if referral.person_id is None:
        raise CaseRecordError("Confirm whether this is the person already known before deciding.")
    referral.status = status
    referral.decided_by = by
    referral.decided_at = timezone.now()
    referral.decision_reason = reason


@transaction.atomic
def accept_referral(
    *, referral: Referral, by, link_worker=None, tier: str = Tier.PLAN, rag: str = Rag.GREEN, request=None
) -> Episode:
    _decide(referral, status=ReferralStatus.ACCEPTED, by=by)
    referral.save()
    episode = Episode.objects.create(
        person=referral.person, team=referral.team, referral=referral, tier=tier, rag=rag,
        link_worker=link_worker,
    )
    RagChange.objects.create(episode=episode, rag=rag, reason="At acceptance", changed_by=by)
    if link_worker is not None:
        Handover.objects.create(episode=episode, to_worker=link_worker, made_by=by, note="Allocated at triage")
    audit.record(
        request, user=by, action=AuditAction.CHANGE, what="referral accepted", person=referral.person,
        detail={"referral": str(referral.public_id), "episode": str(episode.public_id),
                "link_worker": getattr(link_worker, "email", None)},
    )
    return episode


@transaction.atomic
def signpost_referral(*, referral: Referral, by, services=(), note: str = "", request=None) -> Referral:
    _decide(referral, status=ReferralStatus.SIGNPOSTED, by=by, reason=note)
    referral.save()
    referral.signposted_services.set(services)
    audit.record(
        request, user=by, action=AuditAction.CHANGE, what="referral signposted", person=referral.person,
        detail={"referral": str(referral.public_id), "services": [s.title for s in services]},
    )
    return referral


@transaction.atomic
def redirect_referral(*, referral: Referral, by, redirected_to: str, reason: str, request=None) -> Referral:
    if not redirected_to.strip() or not reason.strip():
        raise CaseRecordError("Say where the referral is going and why.")
    _decide(referral, status=ReferralStatus.REDIRECTED, by=by, reason=reason)
    referral.redirected_to = redirected_to
    referral.save()
    audit.record(
        request, user=by, action=AuditAction.CHANGE, what="referral redirected", person=referral.person,
        detail={"referral": str(referral.public_id), "to": redirected_to},
    )
    return referral


@transaction.atomic
def decline_referral(*, referral: Referral, by, reason: str, request=None) -> Referral:
    if not reason.strip():
        raise CaseRecordError("Give the reason for declining, for the referrer.")
    _decide(referral, status=ReferralStatus.DECLINED, by=by, reason=reason)
    referral.save()
    audit.record(
        request, user=by, action=AuditAction.CHANGE, what="referral declined", person=referral.person,
        detail={"referral": str(referral.public_id)},
    )
    return referral


# --- Allocation and cover ---------------------------------------------------------------------

def _require_team_worker(team: Team, worker) -> None:
    if not team.memberships.filter(user=worker).exists():
        raise CaseRecordError(f"{worker} is not in {team}.")


@transaction.atomic
def allocate(*, episode: Episode, worker, by, note: str = "", request=None) -> Episode:
    """Give an episode a named link worker, recorded as a handover from whoever had it."""
    _require_team_worker(episode.team, worker)
    if episode.link_worker_id == worker.pk:
        return episode
    Handover.objects.create(episode=episode, from_worker=episode.link_worker, to_worker=worker, made_by=by, note=note)
    previous = episode.link_worker
    episode.link_worker = worker
    episode.save(update_fields=["link_worker"])
    audit.record(
        request, user=by, action=AuditAction.CHANGE, what="link worker allocated", person=episode.person,
        detail={"episode": str(episode.public_id), "from": getattr(previous, "email", None), "to": worker.email},
    )
    return episode


@transaction.atomic
def reassign_caseload(*, team: Team, from_worker, to_worker, by, note: str, episodes=None, request=None) -> int:
    """Cover: move one, several or all of a worker's open episodes to another worker, as handovers."""
    _require_team_worker(team, to_worker)
    chosen = Episode.objects.filter(team=team, link_worker=from_worker).exclude(status=EpisodeStatus.CLOSED)
    if episodes is not None:
        chosen = chosen.filter(pk__in=[e.pk for e in episodes])
    moved = 0
    for episode in chosen.select_related("person", "link_worker"):
        allocate(episode=episode, worker=to_worker, by=by, note=note, request=request)
        moved += 1
    return moved


# --- Working with the person ------------------------------------------------------------------

def _require_open(episode: Episode) -> None:
    if episode.status == EpisodeStatus.CLOSED:
        raise CaseRecordError("This episode is closed. Reopen it first.")


@transaction.atomic
def record_contact(
    *, episode: Episode, by, occurred_at: datetime, mode: str, duration_minutes: int, attended: bool,
    note: str = "", request=None,
) -> Contact:
    if occurred_at > timezone.now() + _CLOCK_SKEW:
        raise CaseRecordError("A contact cannot be in the future. Record it after it has happened.")
    _require_open(episode)
    contact = Contact.objects.create(
        episode=episode, occurred_at=occurred_at, mode=mode, duration_minutes=duration_minutes,
        attended=attended, note=note, recorded_by=by,
    )
    # First contact means the person was reached, and can be recorded later than one already logged.
    if attended and (episode.first_contact_at is None or occurred_at < episode.first_contact_at):
        episode.first_contact_at = occurred_at
        episode.save(update_fields=["first_contact_at"])
    audit.record(
        request, user=by, action=AuditAction.CHANGE, what="contact recorded", person=episode.person,
        detail={"episode": str(episode.public_id), "occurred_at": occurred_at.isoformat(), "mode": mode},
    )
    return contact


@transaction.atomic
def set_rag(*, episode: Episode, rag: str, reason: str, by, request=None) -> Episode:
    if rag == episode.rag:
        return episode
    RagChange.objects.create(episode=episode, rag=rag, reason=reason, changed_by=by)
    audit.record(
        request, user=by, action=AuditAction.CHANGE, what="RAG status changed", person=episode.person,
        detail={"episode": str(episode.public_id), "from": episode.rag, "to": rag},
    )
    episode.rag = rag
    episode.save(update_fields=["rag"])
    return episode


@transaction.atomic
def update_episode_plan(*, episode: Episode, by, tier: str, next_contact_on, request=None) -> Episode:
    changes = {}
    if tier != episode.tier:
        changes["tier"] = [episode.tier, tier]
    if next_contact_on != episode.next_contact_on:
        changes["next_contact_on"] = [str(episode.next_contact_on or ""), str(next_contact_on or "")]
    if not changes:
        return episode
    episode.tier, episode.next_contact_on = tier, next_contact_on
    episode.save(update_fields=["tier", "next_contact_on"])
    audit.record(
        request, user=by, action=AuditAction.CHANGE, what="episode updated", person=episode.person,
        detail={"episode": str(episode.public_id), **changes},
    )
    return episode


@transaction.atomic
def add_action(*, episode: Episode, by, description: str, due_on, request=None) -> Action:
    _require_open(episode)
    action = Action.objects.create(episode=episode, description=description, due_on=due_on, created_by=by)
    audit.record(
        request, user=by, action=AuditAction.CHANGE, what="action added", person=episode.person,
        detail={"episode": str(episode.public_id), "action": description},
    )
    return action


@transaction.atomic
def complete_action(*, action: Action, by, request=None) -> Action:
    if action.done_at is None:
        action.done_at = timezone.now()
        action.save(update_fields=["done_at"])
        audit.record(
            request, user=by, action=AuditAction.CHANGE, what="action done", person=action.episode.person,
            detail={"episode": str(action.episode.public_id), "action": action.description},
        )
    return action


@transaction.atomic
def update_person(*, person: Person, by, changes: dict, request=None) -> Person:
    before = {field: str(getattr(person, field)) for field in changes}
    for field, value in changes.items():
        setattr(person, field, value)
    person.full_clean()
    person.save()
    changed = [field for field in changes if before[field] != str(getattr(person, field))]
    if changed:
        audit.record(
            request, user=by, action=AuditAction.CHANGE, what="details changed", person=person,
            detail={"fields": changed},  # field names only: the trail does not copy personal data
        )
    return person


# --- Carers -----------------------------------------------------------------------------------

@transaction.atomic
def link_carer(*, carer: Person, cared_for: Person, by, relationship: str = "", request=None) -> CarerLink:
    if carer.pk == cared_for.pk:
        raise CaseRecordError("A person cannot be their own carer.")
    if carer.team_id != cared_for.team_id:
        raise CaseRecordError("Both people must be known to the same team.")
    link, _ = CarerLink.objects.get_or_create(
        carer=carer, cared_for=cared_for, defaults={"relationship": relationship, "created_by": by}
    )
    Person.objects.filter(pk=carer.pk).update(is_carer=True)
    Person.objects.filter(pk=cared_for.pk).update(is_cared_for=True)
    carer.is_carer = cared_for.is_cared_for = True
    for person, role in ((carer, "carer of"), (cared_for, "cared for by")):
        other = cared_for if person is carer else carer
        audit.record(
            request, user=by, action=AuditAction.CHANGE, what=f"linked as {role} another person", person=person,
            detail={"other": str(other.public_id)},
        )
    return link


@transaction.atomic
def record_carer_action(*, person: Person, by, kind: str, on, note: str = "", request=None) -> CarerAction:
    action = CarerAction.objects.create(person=person, kind=kind, on=on, note=note, recorded_by=by)
    if not person.is_carer:
        person.is_carer = True
        person.save(update_fields=["is_carer"])
    audit.record(
        request, user=by, action=AuditAction.CHANGE, what="carer action recorded", person=person,
        detail={"kind": kind},
    )
    return action


# --- Safeguarding -----------------------------------------------------------------------------

@transaction.atomic
def raise_safeguarding_concern(
    *, person: Person, by, description: str, immediate_risk: bool, escalated_to: str = "", request=None
) -> SafeguardingConcern:
    if not description.strip():
        raise CaseRecordError("Describe the concern.")
    episode = person.episodes.exclude(status=EpisodeStatus.CLOSED).first()
    concern = SafeguardingConcern.objects.create(
        person=person, episode=episode, description=description, immediate_risk=immediate_risk,
        escalation_route=settings.LINKWORKERS_SAFEGUARDING_ROUTE, escalated_to=escalated_to,
        status=SafeguardingConcern.Status.ESCALATED if escalated_to else SafeguardingConcern.Status.OPEN,
        raised_by=by,
    )
    audit.record(
        request, user=by, action=AuditAction.CHANGE, what="safeguarding concern raised", person=person,
        detail={"concern": str(concern.public_id), "immediate_risk": immediate_risk},
    )
    return concern


# --- Closure ----------------------------------------------------------------------------------

@transaction.atomic
def close_episode(*, episode: Episode, by, reason: str, planned: bool, note: str = "", request=None) -> Episode:
    """Close, or ask a supervisor to sign the closure off when LINKWORKERS_CLOSURE_SIGN_OFF is on."""
    if episode.status != EpisodeStatus.OPEN:
        raise CaseRecordError("Only an open episode can be closed.")
    if reason not in ClosureReason.values:
        raise CaseRecordError("Choose a reason for closing.")
    episode.closure_reason, episode.closure_planned, episode.closure_note = reason, planned, note
    episode.closure_requested_by = by
    if settings.LINKWORKERS_CLOSURE_SIGN_OFF:
        episode.status = EpisodeStatus.AWAITING_SIGN_OFF
        what = "closure requested"
    else:
        episode.status, episode.closed_at = EpisodeStatus.CLOSED, timezone.now()
        what = "episode closed"
    episode.save()
    audit.record(
        request, user=by, action=AuditAction.CHANGE, what=what, person=episode.person,
        detail={"episode": str(episode.public_id), "reason": reason, "planned": planned},
    )
    return episode


@transaction.atomic
def sign_off_closure(*, episode: Episode, by, approve: bool, request=None) -> Episode:
    if episode.status != EpisodeStatus.AWAITING_SIGN_OFF:
        raise CaseRecordError("This episode is not waiting for closure sign-off.")
    if approve:
        episode.status, episode.closed_at, episode.closure_signed_off_by = EpisodeStatus.CLOSED, timezone.now(), by
    else:
        episode.status = EpisodeStatus.OPEN
        episode.closure_reason, episode.closure_planned, episode.closure_note = "", None, ""
    episode.save()
    audit.record(
        request, user=by, action=AuditAction.CHANGE,
        what="closure signed off" if approve else "closure sent back", person=episode.person,
        detail={"episode": str(episode.public_id)},
    )
    return episode


@transaction.atomic
def reopen_episode(*, episode: Episode, by, reason: str, request=None) -> Episode:
    if episode.status != EpisodeStatus.CLOSED:
        raise CaseRecordError("Only a closed episode can be reopened.")
    if not reason.strip():
        raise CaseRecordError("Say why the episode is being reopened.")
    if episode.person.episodes.exclude(pk=episode.pk).exclude(status=EpisodeStatus.CLOSED).exists():
        raise CaseRecordError("This person already has an open episode.")
    previous = {"reason": episode.closure_reason, "planned": episode.closure_planned,
                "closed_at": episode.closed_at.isoformat()}
    episode.status, episode.closed_at = EpisodeStatus.OPEN, None
    episode.closure_reason, episode.closure_planned, episode.closure_note = "", None, ""
    episode.closure_requested_by = episode.closure_signed_off_by = None
    episode.times_reopened += 1
    episode.save()
    audit.record(
        request, user=by, action=AuditAction.CHANGE, what="episode reopened", person=episode.person,
        detail={"episode": str(episode.public_id), "why": reason, "previous_closure": previous},
    )
    return episode


# --- Break glass ------------------------------------------------------------------------------

@transaction.atomic
def break_glass(*, user, person: Person, reason: str, request=None) -> BreakGlassGrant:
    """A commissioner or site admin opens one record for a stated reason; audited, and it expires."""
    if len(reason.strip()) < 10:
        raise CaseRecordError("Give the reason in a sentence: it is recorded and reviewed.")
    grant = BreakGlassGrant.objects.create(user=user, person=person, reason=reason.strip())
    audit.record(
        request, user=user, action=AuditAction.BREAK_GLASS, what="break-glass access granted", person=person,
        detail={"reason": grant.reason, "expires_at": grant.expires_at.isoformat()},
    )
    return grant
