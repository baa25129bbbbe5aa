"""Intake: a referral from any route, linked to the person if their team already knows them."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from search.postcodes import normalise_postcode

from .. import audit, selectors
from ..audit import Actor
from ..models import MatchStatus, Person, Referral, Team
from .common import CaseRecordError

AuditAction = audit.Action


_PERSON_FIELDS = (
    "given_name", "family_name", "date_of_birth", "nhs_number", "postcode", "phone", "email",
    "gp_practice", "preferred_contact_method",
)


def person_from_referral(referral: Referral) -> Person:
    return Person.objects.create(team=referral.team, **{field: getattr(referral, field) for field in _PERSON_FIELDS})


@transaction.atomic
def submit_referral(
    *,
    actor: Actor,
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
) -> Referral:
    """Record a referral from any route, linked to the person if the team already knows them.

    `actor` is whoever sent the form (signed out for a public form); `keyed_by` the staff member who
    keyed the referral in, if any. A referral from a public form (no `keyed_by`) links to a known
    person only when name, date of birth and NHS number all agree; anything less leaves a possible
    match for staff to confirm.

    `person` holds the person's details (given_name, family_name, date_of_birth, nhs_number,
    postcode, phone, email, gp_practice, preferred_contact_method); `referrer` the referrer's
    (referrer_name, referrer_role, referrer_organisation, referrer_email, referrer_phone).
    """
    details = {field: person.get(field) or ("" if field != "date_of_birth" else None) for field in _PERSON_FIELDS}
    details["postcode"] = normalise_postcode(details["postcode"]) or details["postcode"].strip().upper()
    team = team or selectors.team_for_postcode(details["postcode"])
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
    known, how = selectors.find_known_person(
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
        referral.person = person_from_referral(referral)
        referral.save(update_fields=["person"])
    subject = referral.person or referral.possible_match
    audit.record(
        actor, action=AuditAction.CREATE, what="referral received", person=subject,
        detail={"referral": str(referral.public_id), "channel": channel, "match": how},
    )
    return referral
