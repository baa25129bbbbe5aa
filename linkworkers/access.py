"""Who may see which case records. Every view reaches people, referrals and episodes through here.

Link workers and supervisors see the people of their own teams, and nothing else: a record of
another team is a 404, not a 403, so its existence is not revealed. Commissioners and site admins
hold no team membership and so see no person; the one exception is a break-glass grant, which is
explicit, reasoned, audited and expires. Safeguarding concerns are narrower still: the person's
named worker, the team's supervisors and its safeguarding leads.

A refusal of a record that exists raises `RecordRefused`, a 404 like any other, which
`linkworkers.middleware.AccessLogMiddleware` writes to the access log (`AccessRefusal`) for
supervisors and site admins to review. A record that does not exist is a plain 404 and not logged.
"""

from django.conf import settings
from django.db.models import F, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from .models import AccessRefusal, BreakGlassGrant, Episode, Person, Referral, Team, TeamMembership

Reason = AccessRefusal.Reason


class RecordRefused(Http404):
    """A record exists but this user may not reach it. Answered exactly as a missing record is."""

    def __init__(self, *, record_type: str, record_id, team_id: int, reason: str):
        super().__init__()
        self.record_type, self.record_id, self.team_id, self.reason = record_type, record_id, team_id, reason


def memberships(user) -> list[TeamMembership]:
    """The user's team memberships, fetched once per request."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_linkworker_memberships", None)
    if cached is None:
        cached = list(TeamMembership.objects.filter(user=user).select_related("team"))
        user._linkworker_memberships = cached
    return cached


def team_ids(user) -> set[int]:
    return {m.team_id for m in memberships(user)}


def supervised_team_ids(user) -> set[int]:
    return {m.team_id for m in memberships(user) if m.is_supervisor}


def safeguarding_lead_team_ids(user) -> set[int]:
    return {m.team_id for m in memberships(user) if m.is_safeguarding_lead}


def is_link_worker_or_supervisor(user) -> bool:
    return bool(memberships(user))


def is_supervisor(user, team: Team | int | None = None) -> bool:
    ids = supervised_team_ids(user)
    if team is None:
        return bool(ids)
    return (team.pk if isinstance(team, Team) else team) in ids


def require_team_member(user) -> None:
    """Pages for link workers and supervisors; everyone else gets a 404, as if the page were not there."""
    if not is_link_worker_or_supervisor(user):
        raise Http404


def require_supervisor(user, team: Team | int | None = None) -> None:
    if not is_supervisor(user, team):
        raise Http404


def _break_glass_person_ids(user):
    return BreakGlassGrant.objects.filter(user=user, expires_at__gt=timezone.now()).values("person_id")


def may_break_glass(user) -> bool:
    """Commissioners and site admins (by group, as portal.roles defines them) and superusers."""
    return getattr(user, "is_authenticated", False) and (
        user.is_superuser or user.groups.filter(name__in=settings.LINKWORKERS_BREAK_GLASS_GROUPS).exists()
    )


def may_read_whole_access_log(user) -> bool:
    """Site admins (by group, as portal.roles defines them) and superusers; supervisors read their teams' part."""
    return getattr(user, "is_authenticated", False) and (
        user.is_superuser or user.groups.filter(name__in=settings.LINKWORKERS_ACCESS_LOG_GROUPS).exists()
    )


def _refusal(user, *, record_type: str, found: dict | None, for_change: bool) -> Http404:
    """Why `user` may not reach the record `found` ({public_id, team_id, person_id}); a plain 404 if none."""
    if found is None:
        return Http404()
    if not getattr(user, "is_authenticated", False):
        reason = Reason.SIGNED_OUT
    elif for_change and found["person_id"] is not None and BreakGlassGrant.objects.filter(
        user=user, person_id=found["person_id"], expires_at__gt=timezone.now()
    ).exists():
        reason = Reason.BREAK_GLASS_READS_ONLY
    elif memberships(user):
        reason = Reason.OTHER_TEAM
    elif may_break_glass(user):
        reason = Reason.NO_BREAK_GLASS
    else:
        reason = Reason.NO_TEAM
    return RecordRefused(record_type=record_type, record_id=found["public_id"], team_id=found["team_id"],
                         reason=reason)


def people_for(user) -> QuerySet[Person]:
    """The people this user may see: their teams' people, plus any live break-glass grant."""
    if not getattr(user, "is_authenticated", False):
        return Person.objects.none()
    return Person.objects.filter(Q(team_id__in=team_ids(user)) | Q(pk__in=_break_glass_person_ids(user)))


def person_for(user, public_id, *, for_change: bool = False) -> Person:
    """One person by public id, or 404. Break-glass access reads; only the person's team changes."""
    people = Person.objects.filter(team_id__in=team_ids(user)) if for_change else people_for(user)
    try:
        return people.select_related("team").get(public_id=public_id)
    except ValueError:
        raise Http404 from None
    except Person.DoesNotExist:
        found = Person.objects.filter(public_id=public_id).values("public_id", "team_id", person_id=F("pk")).first()
        raise _refusal(user, record_type="person", found=found, for_change=for_change) from None


def has_break_glass(user, person: Person) -> bool:
    return person.team_id not in team_ids(user) and BreakGlassGrant.objects.filter(
        user=user, person=person, expires_at__gt=timezone.now()
    ).exists()


def referrals_for(user) -> QuerySet[Referral]:
    return Referral.objects.filter(team_id__in=team_ids(user))


def referral_for(user, public_id) -> Referral:
    try:
        return referrals_for(user).select_related("team", "person", "possible_match").get(public_id=public_id)
    except ValueError:
        raise Http404 from None
    except Referral.DoesNotExist:
        found = Referral.objects.filter(public_id=public_id).values("public_id", "team_id", "person_id").first()
        raise _refusal(user, record_type="referral", found=found, for_change=False) from None


def episodes_for(user) -> QuerySet[Episode]:
    return Episode.objects.filter(Q(team_id__in=team_ids(user)) | Q(person_id__in=_break_glass_person_ids(user)))


def episode_for(user, public_id, *, for_change: bool = False) -> Episode:
    episodes = Episode.objects.filter(team_id__in=team_ids(user)) if for_change else episodes_for(user)
    try:
        return episodes.select_related("person", "team", "link_worker").get(public_id=public_id)
    except ValueError:
        raise Http404 from None
    except Episode.DoesNotExist:
        found = Episode.objects.filter(public_id=public_id).values("public_id", "team_id", "person_id").first()
        raise _refusal(user, record_type="episode", found=found, for_change=for_change) from None


def may_see_safeguarding(user, person: Person) -> bool:
    """The person's named worker, the team's supervisors and its safeguarding leads read concerns."""
    team_id = person.team_id
    if team_id in supervised_team_ids(user) or team_id in safeguarding_lead_team_ids(user):
        return True
    if team_id not in team_ids(user):
        return False
    return Episode.objects.filter(person=person, link_worker=user).exclude(status="closed").exists()
