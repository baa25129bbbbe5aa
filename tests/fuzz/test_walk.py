"""The walk of the URLconf finds every view, so the fuzz tier cannot silently test nothing.

Run with `-s` to see the table of what is fuzzed, as whom, and how.
"""

from collections import Counter

from .endpoints import endpoints, form_classes, surface
from .plan import plans


def test_the_walk_finds_every_part_of_the_site():
    found = endpoints()
    owners = Counter(endpoint.owner for endpoint in found)
    # At the time of writing: linkworkers 28, directory 24, search 5, portal 3, allauth 30, Wagtail ~200.
    assert owners["linkworkers"] >= 25 and owners["directory"] >= 20, owners
    assert owners["search"] >= 5 and owners["portal"] >= 3 and owners["allauth"] >= 20, owners
    assert owners["wagtail"] >= 100, owners
    names = {endpoint.name for endpoint in found}
    for expected in ("linkworkers:refer_self", "linkworkers:referral_new", "directory:report_problem",
                     "directory:suggest_activity", "search:search", "search:shortlist", "account_login",
                     "account_signup", "healthz", "staff_home", "linkworkers:break_glass"):
        assert expected in names
    assert any(endpoint.is_page_tree for endpoint in found), "Wagtail's page tree (the directory's pages)"


def test_every_project_view_and_allauth_form_is_fuzzed_with_its_fields():
    table = []
    for plan in plans():
        endpoint = plan.endpoint
        keys = surface(endpoint)
        table.append(f"{plan.id:55} {plan.role:12} GET x{plan.get_examples:<3} "
                     + (f"POST x{plan.post_examples:<3}" if plan.post_examples else f"POST -  ({plan.why_not_post})")
                     + (f"  forms: {', '.join(f.__name__ for f in form_classes(endpoint))}" if keys.fields else ""))
        if endpoint.is_project or endpoint.owner == "allauth":
            assert plan.get_examples and plan.post_examples, plan.id
    print("\n".join(table))
    fuzzed_posts = [p for p in plans() if p.post_examples]
    assert len(fuzzed_posts) >= 80, len(fuzzed_posts)


def test_the_public_forms_fields_are_found_from_their_form_classes():
    by_name = {endpoint.name: endpoint for endpoint in endpoints()}
    referral = surface(by_name["linkworkers:refer_self"]).body_keys
    assert {"given_name", "date_of_birth_day", "date_of_birth_year", "postcode", "in_danger", "step"} <= referral
    assert {"name", "description", "website"} <= surface(by_name["directory:suggest_activity"]).body_keys
    assert {"email"} <= surface(by_name["search:shortlist"]).body_keys
    assert {"q", "page"} & surface(by_name["search:search"]).query_keys
    assert {"sort", "rag", "worker"} <= surface(by_name["linkworkers:caseload"]).query_keys
