"""A service's categories are asked as two questions in its editor, activities and needs, each a fieldset of
checkboxes; the answers are stored together as the service's categories, which search reads."""

import re

import pytest
from wagtail.models import Page

from directory.documents import search_document
from directory.models import Service, Taxonomy, TaxonomyTerm
from directory.models.taxonomy import ACTIVITIES, NEEDS
from directory.services import add_member
from portal.roles import Role
from tests.directory.admin_forms import form_data
from tests.factories import organisation, service, user_with_role
from tests.mfa import signed_in_client

FIELDSET = re.compile(r'<fieldset class="directory-terms"[^>]*>\s*<legend[^>]*>(.*?)</legend>(.*?)</fieldset>', re.S)
CHECKBOX = re.compile(r'<input type="checkbox" name="(\w+)" value="(\d+)"[^>]*?( checked)?>\s*(.*?)</label>', re.S)


def term(code: str) -> TaxonomyTerm:
    return TaxonomyTerm.objects.get(code=code)


@pytest.fixture
def world(db):
    org = organisation(name="Bracknell Ramblers")
    editor = user_with_role(Role.RESIDENT)
    add_member(organisation=org, user=editor)
    walk = service(org, name="Lakeside walk", categories=[term("walking-groups"), term("loneliness")])
    return {"editor": editor, "service": walk, "moderator": user_with_role(Role.MODERATOR)}


def questions(html: str) -> dict[str, dict[str, tuple[str, bool]]]:
    """{legend: {term label: (field name, checked)}} for each question's fieldset."""
    return {
        legend: {label.strip().replace("&#x27;", "'"): (name, bool(checked))
                 for name, _, checked, label in CHECKBOX.findall(body)}
        for legend, body in FIELDSET.findall(html)
    }


def test_the_editor_answers_two_questions_each_with_its_own_terms(client, world):
    client.force_login(world["editor"])
    asked = questions(client.get(f"/admin/pages/{world['service'].pk}/edit/").content.decode())

    assert list(asked) == ["What kind of activity is it?", "What needs does it help with?"]
    activities, needs = asked.values()
    assert set(activities) == set(TaxonomyTerm.objects.filter(taxonomy__name=ACTIVITIES).values_list("name", flat=True))
    assert "Loneliness and isolation" in needs and "Mental wellbeing: Anxiety and stress" in needs
    assert len(needs) == TaxonomyTerm.objects.filter(taxonomy__name=NEEDS).count()
    assert {name for name, _ in activities.values()} == {"activities"}
    assert {name for name, _ in needs.values()} == {"needs"}
    # What the service is tagged with is ticked, each under its own question.
    assert [label for label, (_, checked) in activities.items() if checked] == ["Walking groups"]
    assert [label for label, (_, checked) in needs.items() if checked] == ["Loneliness and isolation"]
    # A narrower need follows the broader one it belongs to.
    labels = list(needs)
    assert labels.index("Mental wellbeing") + 1 == labels.index("Mental wellbeing: Anxiety and stress")


def test_both_kinds_of_answer_are_stored_as_categories_and_reach_search(client, world):
    client.force_login(world["editor"])
    page = world["service"]
    data = form_data(client.get(f"/admin/pages/{page.pk}/edit/").content.decode())
    data.update(activities=[term("walking-groups").pk, term("gardening-nature").pk],
                needs=[term("low-mood").pk, term("physical-activity").pk])
    client.post(f"/admin/pages/{page.pk}/edit/", {**data, "action-submit": "1"})

    # Waiting for a moderator, the live listing keeps its categories...
    assert set(Service.objects.get(pk=page.pk).categories.values_list("code", flat=True)) == {"walking-groups",
                                                                                              "loneliness"}
    # ...and once approved it has the new ones, which the search document carries.
    moderator = signed_in_client(world["moderator"])
    task_state = Service.objects.get(pk=page.pk).current_workflow_task_state
    moderator.post(f"/admin/pages/workflow/action/{page.pk}/approve/{task_state.pk}/", {"comment": ""})
    live = Service.objects.get(pk=page.pk)
    assert set(live.categories.values_list("code", flat=True)) == {"walking-groups", "gardening-nature", "low-mood",
                                                                   "physical-activity"}
    assert set(search_document(live).categories) == {"walking-groups", "gardening-nature", "low-mood",
                                                     "mental-wellbeing", "physical-activity"}


def test_a_moderator_comparing_revisions_sees_the_question_whose_answers_changed(client, world):
    client.force_login(world["editor"])
    page = world["service"]
    data = form_data(client.get(f"/admin/pages/{page.pk}/edit/").content.decode())
    data.update(needs=[term("loneliness").pk, term("carers").pk])
    client.post(f"/admin/pages/{page.pk}/edit/", {**data, "action-submit": "1"})

    latest = Page.objects.get(pk=page.pk).get_latest_revision()
    compare = signed_in_client(world["moderator"]).get(f"/admin/pages/{page.pk}/revisions/compare/live...{latest.pk}/")
    body = compare.content.decode()
    needs = body[body.index("What needs does it help with?"):]
    assert "Caring for someone" in needs[:2000]
    assert "What kind of activity is it?" not in body  # the compare view lists only what changed


def test_a_draft_saves_its_answers_and_terms_neither_question_asks_about_are_kept(client, world):
    extra = TaxonomyTerm.objects.create(
        taxonomy=Taxonomy.objects.create(name="Conditions", description="Health conditions."),
        code="diabetes", name="Diabetes", description="Type 1 and type 2.",
    )
    draft = service(Page.objects.get(pk=world["service"].pk).get_parent().specific, name="Garden club",
                    publish=False, categories=[term("gardening-nature"), extra])
    client.force_login(world["editor"])
    data = form_data(client.get(f"/admin/pages/{draft.pk}/edit/").content.decode())
    data.update(activities=[term("cookery").pk], needs=[term("healthy-eating").pk])
    client.post(f"/admin/pages/{draft.pk}/edit/", data)  # save draft

    assert set(Service.objects.get(pk=draft.pk).categories.values_list("code", flat=True)) == {
        "cookery", "healthy-eating", "diabetes"}
