"""Lay synonyms on taxonomy terms: moderators edit them in the admin, and search finds services by them."""

from html import unescape

import pytest

from directory.models import TaxonomyTerm
from portal.roles import Role
from search.backends import get_backend
from search.contract import SearchQuery
from search.models import OutboxEntry
from tests.factories import service, user_with_role
from tests.mfa import sign_in_with_mfa

TERMS = "/admin/categories/"


def edit_url(term: TaxonomyTerm) -> str:
    return f"{TERMS}edit/{term.pk}/"


def found(text: str, among) -> list[str]:
    """Which of `among` (services) a search for `text` finds, by title. Only those: transactional
    tests empty the directory's tables, not the embedded engine's, so other tests' services linger."""
    ids = {str(listing.public_id) for listing in among}
    return [hit.document.name for hit in get_backend().search(SearchQuery(text=text, per_page=100)).hits
            if hit.document.id in ids]


def moderator_client(client):
    sign_in_with_mfa(client, user_with_role(Role.MODERATOR))
    return client


@pytest.mark.django_db(transaction=True)
def test_a_moderator_teaches_search_a_word_and_residents_find_the_services_by_it(client):
    sheds = TaxonomyTerm.objects.get(code="mens-sheds")
    shed = service(name="Owlsmoor workshop", description="Make, mend and chat over a brew.", categories=[sheds])
    assert found("tinkering", [shed]) == []

    moderator_client(client)
    response = client.post(edit_url(sheds), {"lay_synonyms": "Tinkering, pottering about"})

    assert response.status_code == 302
    assert TaxonomyTerm.objects.get(pk=sheds.pk).lay_synonyms == "tinkering, pottering about"
    assert found("tinkering", [shed]) == [shed.title]
    assert found("pottering", [shed]) == [shed.title]
    assert not OutboxEntry.objects.exists()  # drained after the save committed
    # The public search page too, the way a resident asks.
    assert shed.title in client.get("/search/", {"q": "tinkering"}).content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_broader_terms_synonyms_find_services_tagged_with_its_narrower_terms(client):
    money = TaxonomyTerm.objects.get(code="money")
    debt = TaxonomyTerm.objects.get(code="debt")  # narrower than "Money and debt"
    clinic = service(name="Tuesday advice clinic", description="Sit down with an adviser.", categories=[debt])

    moderator_client(client)
    client.post(edit_url(money), {"lay_synonyms": "skint"})

    assert found("skint", [clinic]) == [clinic.title]


@pytest.mark.django_db(transaction=True)
def test_taking_a_synonym_away_stops_it_finding_the_services(client):
    sheds = TaxonomyTerm.objects.get(code="mens-sheds")
    sheds.lay_synonyms = "tinkering"
    sheds.save()
    shed = service(name="Sandhurst workbench", description="Make, mend and chat over a brew.", categories=[sheds])
    assert found("tinkering", [shed]) == [shed.title]

    moderator_client(client)
    client.post(edit_url(sheds), {"lay_synonyms": ""})

    assert found("tinkering", [shed]) == []


def test_the_admin_lists_terms_with_their_synonyms(client, db):
    TaxonomyTerm.objects.filter(code="loneliness").update(lay_synonyms="lonely, on my own")
    body = unescape(moderator_client(client).get(TERMS).content.decode())
    assert "Loneliness and isolation" in body and "lonely, on my own" in body
    term = TaxonomyTerm.objects.get(code="loneliness")
    form = unescape(client.get(edit_url(term)).content.decode())
    assert "Other words people type for this, separated by commas" in form and 'value="lonely, on my own"' in form


@pytest.mark.parametrize("typed, message", [
    ("lonely, Lonely", "“lonely” is there twice: give each lay synonym once."),
    ("tea & chat", "“tea & chat” can only use letters, numbers, spaces, hyphens and apostrophes."),
    ("a" * 41, "is too long: keep each lay synonym to 40 characters or fewer."),
    (", ".join(f"word{n}" for n in range(21)), "Give at most 20 lay synonyms (there are 21)."),
    ("befriending, companionship", "“befriending” is the term's name already"),
])
def test_a_moderator_is_told_what_to_change_and_nothing_is_saved(client, db, typed, message):
    term = TaxonomyTerm.objects.get(code="befriending")
    response = moderator_client(client).post(edit_url(term), {"lay_synonyms": typed})

    assert response.status_code == 200
    assert message in unescape(response.content.decode())
    assert TaxonomyTerm.objects.get(pk=term.pk).lay_synonyms == ""


def test_what_a_moderator_types_is_stored_folded(client, db):
    term = TaxonomyTerm.objects.get(code="social-groups")
    moderator_client(client).post(edit_url(term), {"lay_synonyms": "  Café  Club ,Men’s  tea, ,"})
    assert TaxonomyTerm.objects.get(pk=term.pk).lay_synonyms == "cafe club, men's tea"


def test_saving_a_term_unchanged_queues_nothing(client, db):
    term = TaxonomyTerm.objects.get(code="mens-sheds")
    service(name="Owlsmoor workshop", categories=[term])
    OutboxEntry.objects.all().delete()

    moderator_client(client).post(edit_url(term), {"lay_synonyms": ""})
    assert not OutboxEntry.objects.exists()

    moderator_client(client).post(edit_url(term), {"lay_synonyms": "tinkering"})
    assert OutboxEntry.objects.count() == 1  # the one service, in the transaction of the change


@pytest.mark.parametrize("role", [Role.VCS_EDITOR, Role.LINK_WORKER])
def test_only_moderators_edit_terms(client, db, role):
    term = TaxonomyTerm.objects.get(code="mens-sheds")
    sign_in_with_mfa(client, user_with_role(role))

    assert client.get(TERMS).status_code in (302, 403)
    assert client.post(edit_url(term), {"lay_synonyms": "tinkering"}).status_code in (302, 403)
    assert TaxonomyTerm.objects.get(pk=term.pk).lay_synonyms == ""
    assert client.get(edit_url(term), follow=False).status_code in (302, 403)


def test_the_demo_directory_comes_with_a_moderators_lay_synonyms_in_its_documents(db):
    from directory.demo import load_directory_demo
    from directory.documents import search_document, services_for_indexing
    from tests.factories import directory, ensure_postcodes

    ensure_postcodes("E06000036")
    load_directory_demo(directory=directory(), services=20, organisations=8)

    assert TaxonomyTerm.objects.get(code="loneliness").lay_synonyms == "lonely, on my own, no one to talk to"
    lonely = [service for service in services_for_indexing() if service.categories.filter(code="loneliness")]
    assert lonely
    assert all("on my own" in search_document(service).keywords for service in lonely)
