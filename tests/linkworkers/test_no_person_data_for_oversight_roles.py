"""Commissioners, site admins and moderators see nothing person-level: every staff URL refuses them or shows no one.

The URLs are walked from the project's URL resolver (everything under /staff/ and everything in the link
workers' app), each parameter filled with a real record's id, and each asked by GET and by POST. A page added
later is covered without touching this file; a parameter this file cannot fill fails loudly, naming the URL:
teach `RECORD_BY_NAME` or `RECORD_BY_PATH` (and the `records` fixture) about the new kind of record.
"""

import datetime as dt
import re
from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RoutePattern
from django.utils import timezone

from directory.models import Organisation, OrganisationMembership, TaxonomyTerm
from directory.services import add_member
from linkworkers.audit import Actor
from linkworkers.models import AuditEvent
from linkworkers.services import connections, episodes, measures, safeguarding, what_matters
from portal.roles import Role, roles_for
from tests import factories
from tests.factories import linkworkers as lw

from .conftest import signed_in

pytestmark = pytest.mark.django_db

OVERSIGHT_ROLES = (Role.COMMISSIONER, Role.SITE_ADMIN, Role.MODERATOR)


# --- The walk -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class StaffUrl:
    key: str  # "linkworkers:person", "staff_home", or the route itself for an unnamed pattern
    route: str  # the whole route, prefixes included: "staff/people/<uuid:public_id>/"
    converters: dict
    namespace: str | None
    regex: bool = False


def _walk(patterns, prefix="", namespace=None, converters=None, regex=False):
    for pattern in patterns:
        is_regex = regex or not isinstance(pattern.pattern, RoutePattern)
        found = {**(converters or {}), **getattr(pattern.pattern, "converters", {})}
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, route, pattern.namespace or namespace, found, is_regex)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield StaffUrl(name or route, route, found, namespace, is_regex)


def staff_urls() -> list[StaffUrl]:
    """Every URL of the project under /staff/ and every URL of the link workers' app, as the resolver has them."""
    walked = {}
    for url in _walk(get_resolver().url_patterns):
        if url.namespace == "linkworkers" or url.route.lstrip("^").startswith("staff/"):
            walked.setdefault(url.key, url)
    return sorted(walked.values(), key=lambda url: url.key)


STAFF_URLS = staff_urls()

# Pages an oversight role may open; each is still checked to show no one. Every other link workers' URL refuses
# them: one naming a record is a 404, as a record that does not exist is; a list page a 404, 403 or sign-in.
PUBLIC = {"linkworkers:refer_professional", "linkworkers:refer_professional_done", "linkworkers:refer_self",
          "linkworkers:refer_self_done"}
# The staff home, the commissioners' break-glass page, the access log of refused attempts (record ids
# only, for site admins and supervisors: test_access_log.py), and the gap and outcomes reports (aggregates
# only: test_gap_report.py, test_outcomes_report.py).
OVERSIGHT_PAGES = {"staff_home", "linkworkers:break_glass", "linkworkers:access_log", "linkworkers:gap_report",
                   "linkworkers:outcomes_report"}
MAY_OPEN = PUBLIC | OVERSIGHT_PAGES
# URLs whose page depends on the record's state (a closure summary of an open episode, a match to confirm):
# they may be 404 to the team too, so they are not used to check the URL was filled right.
STATE_DEPENDENT = {"linkworkers:referral_confirm_match", "linkworkers:sign_off", "linkworkers:reopen"}

# Which record fills a parameter: by the parameter's own name (a prefix of it: person_id, connection_public_id),
# else by the path just before it (people/<uuid:public_id>/), the longest ending that matches. Add a line here
# (and make the record in the `records` fixture) for a new kind of record.
RECORD_BY_NAME = {
    "person": "person", "episode": "episode", "referral": "referral", "action": "action", "contact": "contact",
    "concern": "concern", "conversation": "conversation", "plan_version": "plan_version", "version": "plan_version",
    "plan": "plan", "measure": "measure", "connection": "connection", "unmet": "unmet_need",
    "need": "unmet_need", "organisation": "organisation", "service": "service",
}
RECORD_BY_PATH = {
    "people/": "person", "episodes/": "episode", "referrals/": "referral", "actions/": "action",
    "contacts/": "contact", "concerns/": "concern", "safeguarding/": "concern", "what-matters/": "conversation",
    "conversations/": "conversation", "plans/": "plan", "versions/": "plan_version", "measures/": "measure",
    "wellbeing/": "measure", "connections/": "connection", "unmet-needs/": "unmet_need",
    "organisations/": "organisation", "services/": "service",
    # The community groups' inbox: a referral there is the connection sent to their service.
    "your-organisations/referrals/": "connection",
}
# String parameters with a fixed set of values: a real one, so the page looks the record up.
FIXED = {"kind": "acceptance", "outcome": "accept"}
# Who the record belongs to, by the start of the route (the check that each URL was filled right asks them);
# the team's supervisor for everything else.
OWNER_BY_ROUTE = {"your-organisations/": "service_reader"}

_PARAMETER = re.compile(r"<(?:(\w+):)?(\w+)>")


def record_kind(url: StaffUrl, parameter: str) -> str | None:
    """Which record of the `records` fixture a URL parameter names, or None if this file does not know."""
    by_name = next((kind for prefix, kind in RECORD_BY_NAME.items() if parameter.startswith(prefix)), None)
    if by_name:
        return by_name
    match = next((m for m in _PARAMETER.finditer(url.route) if m.group(2) == parameter), None)
    before = url.route[:match.start()] if match else ""
    endings = sorted((ending for ending in RECORD_BY_PATH if before.endswith(ending)), key=len, reverse=True)
    return RECORD_BY_PATH[endings[0]] if endings else None


def unfillable(url: StaffUrl) -> list[str]:
    """Why this URL cannot be filled in, one reason per parameter; empty when it can."""
    if url.regex:
        return [f"{url.key}: teach this test to fill a regular-expression URL ({url.route})"]
    reasons = []
    for parameter, converter in url.converters.items():
        if parameter in FIXED:
            continue
        kind = record_kind(url, parameter)
        if kind is None or type(converter).__name__ not in ("UUIDConverter", "IntConverter"):
            reasons.append(f"{url.key}: teach this test which record fills <{parameter}> in {url.route} "
                           "(RECORD_BY_NAME / RECORD_BY_PATH, and the `records` fixture)")
    return reasons


def path_of(url: StaffUrl, records: dict) -> str:
    """The URL with each parameter filled from `records`: an int by the record's pk, a uuid by its public_id."""
    reasons = unfillable(url)
    if reasons:
        pytest.fail("\n".join(reasons))

    def fill(match):
        parameter = match.group(2)
        converter = url.converters[parameter]
        if parameter in FIXED:
            return FIXED[parameter]
        kind = record_kind(url, parameter)
        if kind not in records:
            pytest.fail(f"{url.key}: <{parameter}> names a {kind}, which the `records` fixture does not make")
        record = records[kind]
        if type(converter).__name__ == "IntConverter":
            return converter.to_url(record.pk)
        if not hasattr(record, "public_id"):
            pytest.fail(f"{url.key}: <{parameter}> is a uuid but a {kind} has no public_id")
        return converter.to_url(record.public_id)

    return "/" + _PARAMETER.sub(fill, url.route)


def test_every_staff_url_can_be_filled_with_a_real_record():
    """One failure listing every URL this file cannot fill, so none is skipped in silence."""
    reasons = [reason for url in STAFF_URLS for reason in unfillable(url)]
    assert not reasons, "\n".join(reasons)


def test_the_walk_finds_the_pages_we_know():
    """The walk itself works: the pages of today are among what it found, with their parameters."""
    keys = {url.key for url in STAFF_URLS}
    assert {"staff_home", "linkworkers:person", "linkworkers:plan", "linkworkers:person_measures",
            "linkworkers:what_matters_new", "linkworkers:record_swemwbs", "linkworkers:break_glass"} <= keys
    assert "search:search" not in keys


# --- The records: one of everything, with details that cannot appear by chance ----------------------

PERSON = {
    "given_name": "Ottoline", "family_name": "Quarrendon", "date_of_birth": dt.date(1941, 3, 17),
    "phone": "07700 900981",
}
FREE_TEXT = {
    "what matters": "Feeding the swans at Lily Hill Park with Bartholomew",
    "working well": "Her niece Perpetua rings on Sundays",
    "plan goal": "Rejoin the Binfield handbell ringers by spring",
    "contact note": "Talked about the leaking kitchen tap at Marlowe Court",
    "action": "Ring the Quarrendon family about the allotment",
    "safeguarding": "Unexplained bruising on the left forearm, seen at the visit",
    "referral reasons": "Widowed in March and not leaving the flat",
    "note for service": "Prefers afternoon sessions; hard of hearing in the left ear",
    "unmet need note": "No handbell group within two bus rides of Crowthorne",
}


@pytest.fixture
def records(team, supervisor, worker):
    """A person with an open episode holding one of every record a URL can name, and a new referral."""
    episode = lw.episode(team, worker=worker, by=supervisor, reasons=FREE_TEXT["referral reasons"],
                         **PERSON)
    actor = Actor(worker)
    today = timezone.localdate()
    conversation = what_matters.record_conversation(
        episode=episode, actor=actor, held_on=today, what_matters=FREE_TEXT["what matters"],
        working_well=FREE_TEXT["working well"],
    )
    plan = lw.plan(episode, by=worker, goals=(FREE_TEXT["plan goal"],))
    contact = episodes.record_contact(
        episode=episode, actor=actor, occurred_at=timezone.now(), mode="phone", duration_minutes=20, attended=True,
        note=FREE_TEXT["contact note"],
    )
    action = episodes.add_action(episode=episode, actor=actor, description=FREE_TEXT["action"], due_on=today)
    concern = safeguarding.raise_safeguarding_concern(
        person=episode.person, actor=actor, description=FREE_TEXT["safeguarding"], immediate_risk=False,
    )
    measure = measures.record_measure(
        episode=episode, actor=actor, scale="swemwbs", point="baseline", taken_on=today,
        answers={key: 3 for key in ("optimistic", "useful", "relaxed", "dealing_with_problems", "thinking_clearly",
                                    "close_to_others", "own_mind")},
    )
    organisation = factories.organisation()
    Organisation.objects.filter(pk=organisation.pk).update(accepts_referrals=True)
    service = factories.service(organisation)
    service_reader = factories.UserFactory()
    OrganisationMembership.objects.filter(
        pk=add_member(organisation=organisation, user=service_reader).pk).update(receives_referrals=True)
    need = TaxonomyTerm.objects.order_by("pk").first()
    connection = connections.connect(
        episode=episode, actor=actor, service=service, needs=[need], status="referred",
        note_for_service=FREE_TEXT["note for service"],
    )
    unmet_need = connections.record_unmet_need(
        episode=episode, actor=actor, need=need, reason="none_exists", note=FREE_TEXT["unmet need note"],
    )
    referral = lw.referral(team)
    return {
        "person": episode.person, "episode": episode, "referral": referral, "action": action, "contact": contact,
        "concern": concern, "conversation": conversation, "plan": plan.plan, "plan_version": plan,
        "measure": measure, "connection": connection, "unmet_need": unmet_need, "organisation": organisation,
        "service": service, "service_reader": service_reader, "supervisor": supervisor,
    }


def person_details_in(response, records) -> list[str]:
    """Which of the people's names, NHS numbers, dates of birth, phone numbers or seeded notes the response shows."""
    text = response.content.decode(errors="replace")
    shown = []
    for person in (records["person"], records["referral"]):
        nhs = person.nhs_number or ""
        born = person.date_of_birth
        values = [f"{person.given_name} {person.family_name}", nhs,
                  f"{nhs[:3]} {nhs[3:6]} {nhs[6:]}" if nhs else "", person.phone]
        if born:
            values += [f"{born.day} {born:%B %Y}", f"{born.day} {born:%b %Y}", f"{born:%d/%m/%Y}", born.isoformat()]
        shown += [value for value in values if value and value in text]
    return shown + [f"{what}: {value}" for what, value in FREE_TEXT.items() if value in text]


def user_role(user) -> str:
    return ", ".join(sorted(roles_for(user) - {Role.RESIDENT}))


def owner_of(url: StaffUrl, records: dict):
    role = next((who for start, who in OWNER_BY_ROUTE.items() if url.route.startswith(start)), "supervisor")
    return records[role]


def refused(response) -> bool:
    """A 404, a 403, or a redirect to sign in."""
    if response.status_code in (403, 404):
        return True
    return response.status_code == 302 and reverse("account_login") in response["Location"]


@pytest.fixture
def oversight_users(make_user):
    """One user in each oversight role (looped over inside each test: the records are costly to make)."""
    return [make_user(role) for role in OVERSIGHT_ROLES]


# --- The checks -----------------------------------------------------------------------------------

@pytest.mark.parametrize("url", [u for u in STAFF_URLS if u.key not in MAY_OPEN], ids=lambda u: u.key)
def test_every_person_level_url_refuses_oversight_roles_and_shows_no_one(url, oversight_users, records):
    path = path_of(url, records)
    owner_client = None
    for user, method in [(user, method) for user in oversight_users for method in ("get", "post")]:
        response = getattr(signed_in(user), method)(path)
        said = f"{method.upper()} {path} ({url.key}) as {user_role(user)} gave {response.status_code}"
        assert person_details_in(response, records) == [], said
        if response.status_code == 405:
            # Method not allowed to anyone, which says nothing about the record: its owners get it too.
            owner_client = owner_client or signed_in(owner_of(url, records))
            assert getattr(owner_client, method)(path).status_code == 405, said
            continue
        if url.namespace == "linkworkers" and url.converters:
            # A record of someone else's is a 404, exactly as one that does not exist: its existence not revealed.
            assert response.status_code == 404, said
        elif url.namespace == "linkworkers":
            # A list page names no record: a refusal of any kind (404, 403, or off to sign in).
            assert refused(response), said
        else:
            # A staff page of another part (a gap report, say) may answer oversight roles, with aggregates only.
            assert response.status_code < 500, said
    assert not AuditEvent.objects.filter(actor_id__in=[user.pk for user in oversight_users]).exists(), url.key


@pytest.mark.parametrize("url", [u for u in STAFF_URLS if u.key not in MAY_OPEN | STATE_DEPENDENT],
                         ids=lambda u: u.key)
def test_the_owners_reach_the_same_url(url, records):
    """The refusals above are about who asks: the same URL, filled the same way, answers the record's owners (the
    team's supervisor; for the community groups' inbox, the service's reader)."""
    response = signed_in(owner_of(url, records)).get(path_of(url, records))
    assert not refused(response), f"{url.key}: its owners got {response.status_code} too, so it was not filled right"


@pytest.mark.parametrize("url", [u for u in STAFF_URLS if u.key in MAY_OPEN], ids=lambda u: u.key)
def test_pages_oversight_roles_may_open_show_no_one(url, oversight_users, records):
    path = path_of(url, records)
    for user, method in [(user, method) for user in oversight_users for method in ("get", "post")]:
        response = getattr(signed_in(user), method)(path)
        said = f"{method.upper()} {path} as {user_role(user)} gave {response.status_code}"
        assert response.status_code < 500, said
        assert person_details_in(response, records) == [], said
    assert not AuditEvent.objects.filter(actor_id__in=[user.pk for user in oversight_users],
                                         person_public_id__isnull=False).exists()


@pytest.mark.parametrize("name", ["staff_home", "linkworkers:break_glass", "linkworkers:gap_report",
                                  "linkworkers:outcomes_report"])
def test_the_commissioners_own_pages_answer_them(name, make_user, records):
    response = signed_in(make_user(Role.COMMISSIONER)).get(reverse(name))
    assert response.status_code == 200
    assert person_details_in(response, records) == []


def test_staff_home_lists_no_people_and_offers_break_glass(make_user, records):
    response = signed_in(make_user(Role.COMMISSIONER)).get(reverse("staff_home"))

    assert response.status_code == 200
    assert person_details_in(response, records) == []
    assert reverse("linkworkers:break_glass") in response.content.decode()
    assert reverse("linkworkers:caseload") not in response.content.decode()


def test_the_team_sees_what_the_oversight_roles_do_not(records, supervisor):
    """The details looked for are really on the team's pages: a check for them that cannot find them proves nothing."""
    client = signed_in(supervisor)
    person, episode = records["person"], records["episode"]
    pages = [reverse("linkworkers:person", args=[person.public_id]),
             reverse("linkworkers:plan", args=[episode.public_id]),
             reverse("linkworkers:person_measures", args=[person.public_id])]
    text = "".join(client.get(page).content.decode() for page in pages)

    assert person.full_name in text
    assert person.nhs_number in text.replace(" ", "")
    assert FREE_TEXT["plan goal"] in text
    assert "17 March 1941" in text


def test_staff_home_links_team_members_to_their_work_not_to_break_glass(supervisor_client):
    text = supervisor_client.get(reverse("staff_home")).content.decode()

    for name in ("referral_queue", "caseload", "referral_new"):
        assert f'href="{reverse(f"linkworkers:{name}")}"' in text
    assert reverse("linkworkers:break_glass") not in text


@pytest.mark.parametrize("path", ["/admin/", "/admin/pages/search/?q={family_name}", "/admin/users/?q={family_name}"])
def test_the_wagtail_admin_shows_no_one(path, make_user, records):
    """No case record is registered in the Wagtail admin; anyone who gets in finds no one there."""
    path = path.format(family_name=records["person"].family_name)
    # Commissioners and site admins hold no admin permission and are sent to sign in (not followed: a signed-in
    # user is sent straight back); a superuser or a moderator gets in, or is refused a page they may not use.
    visitors = [(role.value, make_user(role), role is Role.MODERATOR) for role in OVERSIGHT_ROLES]
    visitors.append(("superuser", make_user(Role.RESIDENT, is_superuser=True, is_staff=True), True))
    for who, user, admitted in visitors:
        response = signed_in(user).get(path)
        assert response.status_code in ((200, 302, 403) if admitted else (302,)), f"{path} as {who}"
        assert person_details_in(response, records) == [], f"{path} as {who}"
