"""Who a user is to the portal: roles composed from directory and team memberships and groups."""

from enum import StrEnum

from django.contrib.auth.models import AnonymousUser

from directory.models import OrganisationMembership
from directory.services import MODERATORS_GROUP
from linkworkers import inbox
from linkworkers.models import TeamMembership

COMMISSIONERS_GROUP = "Commissioners"
SITE_ADMINS_GROUP = "Site administrators"


class Role(StrEnum):
    RESIDENT = "resident"
    VCS_EDITOR = "vcs_editor"
    LINK_WORKER = "link_worker"
    SUPERVISOR = "supervisor"
    COMMISSIONER = "commissioner"
    MODERATOR = "moderator"
    SITE_ADMIN = "site_admin"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.RESIDENT: "Resident",
    Role.VCS_EDITOR: "Community group editor",
    Role.LINK_WORKER: "Link worker",
    Role.SUPERVISOR: "Supervisor",
    Role.COMMISSIONER: "Commissioner",
    Role.MODERATOR: "Directory moderator",
    Role.SITE_ADMIN: "Site administrator",
}

# Roles that see staff pages and so must have multi-factor authentication first.
STAFF_ROLES = frozenset({Role.LINK_WORKER, Role.SUPERVISOR, Role.COMMISSIONER, Role.MODERATOR, Role.SITE_ADMIN})

_TEAM_ROLES = {
    TeamMembership.Role.LINK_WORKER: Role.LINK_WORKER,
    TeamMembership.Role.SUPERVISOR: Role.SUPERVISOR,
}
_CACHE_ATTR = "_portal_roles"


def roles_for(user) -> frozenset[Role]:
    """Every role the user holds; cached on the user object for the rest of the request."""
    if user is None or isinstance(user, AnonymousUser) or not user.is_authenticated:
        return frozenset()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    roles = {Role.RESIDENT}
    if OrganisationMembership.objects.filter(user=user).exists():
        roles.add(Role.VCS_EDITOR)
    roles.update(
        _TEAM_ROLES[role]
        for role in TeamMembership.objects.filter(user=user).values_list("role", flat=True).distinct()
    )
    groups = set(user.groups.values_list("name", flat=True))
    if COMMISSIONERS_GROUP in groups:
        roles.add(Role.COMMISSIONER)
    if MODERATORS_GROUP in groups:
        roles.add(Role.MODERATOR)
    if user.is_superuser or SITE_ADMINS_GROUP in groups:
        roles.add(Role.SITE_ADMIN)
    result = frozenset(roles)
    setattr(user, _CACHE_ATTR, result)
    return result


def is_staff_member(user) -> bool:
    return bool(roles_for(user) & STAFF_ROLES)


def requires_mfa(user) -> bool:
    """Staff must have MFA, and so must group members who read the referrals sent to their organisation
    (they handle personal data); residents and other community group editors are never asked for it."""
    return is_staff_member(user) or inbox.may_read_referrals(user)
