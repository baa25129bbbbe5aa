"""Local authorities by name: every council the postcodes are in is named, and editors' words read back as codes."""

import pytest
import qlacref_authorities

from search import authorities
from search.postcodes import _data_files, _read_columns


def test_councils_are_named_as_people_know_them():
    assert authorities.name_of("E06000036") == "Bracknell Forest"
    assert authorities.name_of("E06000041") == "Wokingham"
    assert authorities.name_of("W06000015") == "Cardiff"
    # ONS sorts "Bristol, City of"; a list joined by commas must not read "Bristol, City of and Bath".
    assert authorities.name_of("E06000023") == "City of Bristol"
    assert authorities.name_of("E06000019") == "County of Herefordshire"


def test_the_councils_of_april_2023_scotland_and_northern_ireland_are_named_too():
    assert [authorities.name_of(code) for code in ("E06000063", "E06000064", "E06000065", "E06000066")] == [
        "Cumberland", "Westmorland and Furness", "North Yorkshire", "Somerset"]
    assert (authorities.name_of("E08000038"), authorities.name_of("E08000039")) == ("Barnsley", "Sheffield")
    assert authorities.name_of("S12000036") == "City of Edinburgh"
    assert authorities.name_of("N09000003") == "Belfast"


def test_a_code_named_nowhere_is_shown_as_it_is():
    assert authorities.name_of("E99999999") == "E99999999"
    assert authorities.name_of("") == ""


def test_every_council_with_postcodes_is_named():
    # The package's columns are read directly (as search.postcodes does): converting 2.7 million
    # grid references only to learn their councils would take minutes.
    codes = set()
    for path in _data_files():
        codes.update(code for code in _read_columns(path)["laua"] if isinstance(code, str))
    # L and M are the Channel Islands and the Isle of Man, which the gazetteer never loads.
    unnamed = sorted(code for code in codes if code[0] in "ENSW" and authorities.name_of(code) == code)
    assert unnamed == []


def test_councils_merged_in_2023_no_longer_answer_to_their_names():
    assert "E07000165" not in authorities.names()  # Harrogate, now part of North Yorkshire
    assert authorities.code_for("Harrogate") is None
    assert authorities.code_for("Barnsley") == "E08000038"  # not its code before 2023, E08000016


@pytest.mark.parametrize(("typed", "code"), [
    ("Bracknell Forest", "E06000036"),
    ("bracknell forest", "E06000036"),
    ("  BRACKNELL   forest ", "E06000036"),
    ("BracknellForest", "E06000036"),
    ("e06000036", "E06000036"),
    (" E06000041 ", "E06000041"),
    ("Stoke on Trent", "E06000021"),
    ("Stoke-on-Trent", "E06000021"),
    ("saint helens", "E08000013"),
    ("Bristol", "E06000023"),
    ("City of Bristol", "E06000023"),
    ("Bristol, City of", "E06000023"),
    ("Newry, Mourne and Down", "N09000010"),
    ("na h-eileanan siar", "S12000013"),
    ("E99999999", "E99999999"),  # a well-formed code: whether it has postcodes is the caller's question
])
def test_code_for_reads_names_and_codes_however_they_are_typed(typed, code):
    assert authorities.code_for(typed) == code


@pytest.mark.parametrize("typed", ["", "   ", "Narnia", "Surrey", "Bracknell", "E0600003", "X06000036"])
def test_code_for_is_none_for_anything_else(typed):
    # Surrey is a county, and Bracknell a town: neither is a local authority district.
    assert authorities.code_for(typed) is None


def test_codes_in_a_list_keep_their_order_once_each_and_say_what_was_not_recognised():
    assert authorities.codes_in("bracknell forest, Wokingham") == (["E06000036", "E06000041"], [])
    assert authorities.codes_in("Wokingham,, E06000036, wokingham") == (["E06000041", "E06000036"], [])
    assert authorities.codes_in("Bracknell Forest, Narnia, Gondor") == (["E06000036"], ["Narnia", "Gondor"])
    assert authorities.codes_in("") == ([], [])


def test_names_with_commas_of_their_own_are_read_whole():
    assert authorities.codes_in("Bournemouth, Christchurch and Poole, Dorset") == (["E06000058", "E06000059"], [])
    assert authorities.codes_in("Bristol, City of, South Gloucestershire") == (["E06000023", "E06000025"], [])
    assert authorities.codes_in("Armagh City, Banbridge and Craigavon") == (["N09000002"], [])


def test_the_package_is_read_once(monkeypatch):
    authorities.names()  # whatever the order tests run in, the names are loaded by now

    def read_again(self):
        raise AssertionError("the package's JSON was read again")

    # The package replaces its module with an object whose `records` property reads the file.
    monkeypatch.setattr(type(qlacref_authorities), "records", property(read_again))
    assert authorities.name_of("E06000036") == "Bracknell Forest"
    assert authorities.code_for("Wokingham") == "E06000041"
    assert authorities.names()["E06000036"] == "Bracknell Forest"


def test_names_is_a_copy_callers_may_change():
    names = authorities.names()
    names["E06000036"] = "Somewhere else"
    assert authorities.name_of("E06000036") == "Bracknell Forest"
