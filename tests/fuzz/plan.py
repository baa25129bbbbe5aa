"""How each view is fuzzed: who asks, what goes in its path, how many examples; or why it is not fuzzed."""

import os
import uuid
from dataclasses import dataclass

from hypothesis import strategies as st

from .endpoints import Endpoint, endpoints
from .values import hostile

# Examples per view and method; FUZZ_SCALE multiplies them (FUZZ_SCALE=10 for a long run).
_SCALE = float(os.environ.get("FUZZ_SCALE", "1"))
EXAMPLES = {("project", "get"): 8, ("project", "post"): 24, ("allauth", "get"): 3, ("allauth", "post"): 10,
            ("wagtail", "get"): 1, ("django", "get"): 1}

# allauth's pages for people who are not signed in; its other pages are fuzzed as a resident.
_SIGNED_OUT_ACCOUNT_PAGES = ("accounts/login", "accounts/signup", "accounts/password/reset", "accounts/confirm-email",
                             "accounts/^confirm-email", "accounts/^password/reset", "accounts/inactive")
_MODERATION = ("admin/problem-reports/", "admin/activity-suggestions/", "admin/organisation-claims/")


@dataclass(frozen=True)
class Plan:
    endpoint: Endpoint
    role: str
    get_examples: int
    post_examples: int  # 0: the view's POST is not fuzzed (third-party forms), see `why_not`
    why_not_post: str = ""

    @property
    def id(self) -> str:
        return self.endpoint.id


def role_for(endpoint: Endpoint) -> str:
    route = endpoint.route
    if route == "admin/login/":  # where Wagtail sends the signed-out
        return "anonymous"
    if route.startswith(("staff/break-glass", "staff/reports/")):
        return "commissioner"
    if route.startswith("staff/"):
        return "supervisor"
    if route.startswith(_MODERATION):
        return "moderator"
    if route.startswith("admin/"):
        return "site_admin"
    if route.startswith(("your-organisations", "invitations/")):
        return "manager"
    if route.startswith("accounts/"):
        return "anonymous" if route.startswith(_SIGNED_OUT_ACCOUNT_PAGES) else "resident"
    return "anonymous"


def plan(endpoint: Endpoint) -> Plan:
    owner = endpoint.owner if endpoint.is_project is False else "project"
    get = max(1, round(EXAMPLES.get((owner, "get"), 1) * _SCALE))
    if owner == "project" or owner == "allauth":
        post = max(1, round(EXAMPLES[(owner, "post")] * _SCALE))
        return Plan(endpoint, role_for(endpoint), get, post)
    if endpoint.is_page_tree:  # the directory's own pages: every live page's query string
        return Plan(endpoint, "anonymous", max(1, round(8 * _SCALE)), 0, "pages take no form posts")
    return Plan(endpoint, role_for(endpoint), get, 0, f"{owner}'s own form: only its query string is fuzzed")


def plans() -> list[Plan]:
    return [plan(endpoint) for endpoint in endpoints()]


# --- What goes in the path -------------------------------------------------------------------------

def _uuid_for(endpoint: Endpoint, world) -> object:
    route = endpoint.route
    if route.startswith("staff/referrals/"):
        return world["referral"].public_id
    if route.startswith("staff/episodes/"):
        return world["episode"].public_id
    if route.startswith("staff/people/"):
        return world["person"].public_id
    if route.startswith("services/"):
        return world["service"].public_id
    if route.startswith("your-organisations/claim/"):
        return world["unclaimed"].public_id
    if route.startswith(("organisations/", "your-organisations/")):
        return world["organisation"].public_id
    return None


def _int_for(endpoint: Endpoint, name: str, world) -> object:
    route = endpoint.route
    if name == "membership_id":
        return world["membership"].pk
    for prefix, key in (("staff/actions/", "action"), ("admin/problem-reports/", "report"),
                        ("admin/activity-suggestions/", "suggestion"), ("admin/organisation-claims/", "claim")):
        if route.startswith(prefix):
            return world[key].pk
    return world["page_id"]  # Wagtail's admin: a page id that exists (other ids are its own business)


def _str_for(endpoint: Endpoint, name: str, world) -> list[str]:
    from linkworkers.summary import KINDS
    from linkworkers.views.triage import OUTCOMES

    route = endpoint.route
    if name == "token":
        if route.startswith("listings/still-correct"):
            return [world["still_correct_token"]]
        if route.startswith("invitations/"):
            return [world["invitation_token"]]
        if route.startswith("search/shortlist/shared"):
            return [world["shortlist_token"]]
    if name == "kind":
        return list(KINDS)
    if name == "outcome":
        return list(OUTCOMES)
    return ["1"]


def _mostly(real, other: st.SearchStrategy) -> st.SearchStrategy:
    """The real value four times in five (so most examples reach the form), otherwise `other`."""
    real_values = st.sampled_from(real) if isinstance(real, list) else st.just(real)
    return st.integers(min_value=0, max_value=4).flatmap(lambda n: other if n == 4 else real_values)


def path_kwargs(endpoint: Endpoint, world) -> tuple[dict, dict[str, st.SearchStrategy]]:
    """The real records for the path (so the view reaches its form), and a strategy per argument: mostly
    those, sometimes another (a missing record, a huge id, a mangled token)."""
    if endpoint.is_page_tree:
        return {"page": world["pages"][0]}, {"page": st.sampled_from(world["pages"])}
    real, strategies = {}, {}
    for name, converter in endpoint.converters:
        if converter == "uuid":
            real[name] = _uuid_for(endpoint, world) or uuid.uuid4()
            strategies[name] = _mostly(real[name], st.builds(uuid.uuid4))
        elif converter == "int":
            real[name] = _int_for(endpoint, name, world)
            strategies[name] = _mostly(real[name], st.sampled_from([0, 2**31, 2**63, 10**30]))
        else:  # str, slug and regex groups
            options = _str_for(endpoint, name, world)
            real[name] = options[0]
            safe = hostile().map(lambda s: "".join(c for c in s if c.isalnum() or c in "-_:.") or "x")
            strategies[name] = _mostly(options, safe)
    return real, strategies


def build_path(endpoint: Endpoint, values: dict) -> str:
    """The URL for `endpoint` with `values` in its path (reverse() refuses values its converters would not match)."""
    import re
    from urllib.parse import quote

    if endpoint.is_page_tree:
        return values["page"]
    route = endpoint.route
    for name, value in values.items():
        encoded = quote(str(value), safe=":-_.~@")
        route = re.sub(rf"<(?:[^>:]+:)?{name}>", encoded, route)
        route = re.sub(rf"\(\?P<{name}>[^)]*\)", encoded, route)
    return "/" + route.replace("^", "").replace("$", "").replace("\\", "")
