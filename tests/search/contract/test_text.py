"""Words: relevance by field, case and accents, prefixes, typos, and searches that find nothing."""

import pytest

from search.contract import Facet

from .places import near
from .services import BY_KEY


def position(found: list[str], key: str) -> int:
    assert key in found, f"{key} not found in {found}"
    return found.index(key)


@pytest.mark.parametrize("place", [{}, near("RG12 1LH")], ids=["anywhere", "at their venue"])
def test_a_word_in_the_name_beats_the_description_which_beats_a_category(directory, place):
    # All three are at the same venue and share the category "Arts and crafts".
    found = directory.keys(text="crafts", **place)
    assert (
        position(found, "crafts-corner") < position(found, "creative-workshop") < position(found, "open-studio")
    )


def test_a_word_finds_exactly_the_services_that_have_it(directory):
    # "library" has no thesaurus entry: only its own forms match ("libraries" too, by the stem).
    found = set(directory.keys(text="library"))
    assert found == {"home-library"}


@pytest.mark.parametrize("text", ["cafe", "CAFÉ", "Café", "memory cafe"])
def test_case_and_accents_do_not_matter(directory, text):
    assert directory.keys(text=text)[0] == "memory-cafe"


@pytest.mark.parametrize(
    "text, key",
    [("garden", "allotment"), ("walk", "walking-group"), ("befriend", "befriending"), ("dement", "memory-cafe")],
)
def test_the_start_of_a_word_finds_it(directory, text, key):
    assert key in directory.keys(text=text, **near("RG12 1AA"))


@pytest.mark.parametrize(
    "text, key",
    [
        ("walkng", "walking-group"),  # a letter missing
        ("singin", "singing"),  # unfinished
        ("gardning", "allotment"),
        ("dementai", "memory-cafe"),  # two letters swapped
        ("mindfullness", "mindfulness"),  # a letter too many
        ("befreinding", "befriending"),
    ],
)
def test_small_typos_are_forgiven(directory, text, key):
    assert key in directory.keys(text=text, **near("RG12 1AA"))


def test_several_words_put_the_service_with_all_of_them_first(directory):
    assert directory.keys(text="walking group", **near("RG12 1AA"))[0] == "walking-group"
    assert directory.keys(text="men's mental health", **near("RG12 1AA"))[0] == "peer-support"


def test_a_word_no_service_has_finds_nothing_with_empty_facets(directory):
    results = directory.search(text="xylophone", **near("RG12 1AA"))
    assert results.total == 0
    assert results.hits == ()
    assert set(results.facets) == set(Facet)
    assert all(counts == () for counts in results.facets.values())


def test_found_services_are_the_documents_indexed(directory):
    results = directory.search(text="friday lunch", **near("RG12 1AA"))
    assert results.hits[0].document == BY_KEY["lunch-club"]
