"""The thesaurus format, and a query read as concepts: longest phrase first, stop words, no repeats."""

from search import thesaurus
from search.thesaurus import Concept, concepts, parse

SAMPLE = parse("""
# a comment line
walk, walking, rambling, hiking
lonely, isolated, on my own => loneliness, isolation   # lay words to the directory's
food bank, foodbank, food parcel
money worries => debt, benefits
men's shed, mens shed
""")


def test_equivalent_phrases_find_each_other():
    assert concepts("rambling", SAMPLE) == [Concept("rambling", ("walk", "hiking"))]
    assert concepts("foodbank", SAMPLE) == [Concept("foodbank", ("food bank", "food parcel"))]


def test_an_explicit_rule_reaches_one_way():
    # "isolation" is left out: it shares the stem of "isolated", so matches anyway.
    assert concepts("isolated", SAMPLE) == [Concept("isolated", ("loneliness",))]
    assert concepts("loneliness", SAMPLE) == [Concept("loneliness", ())]


def test_the_longest_phrase_is_one_concept_and_unknown_words_one_each():
    assert concepts("money worries and food bank vouchers", SAMPLE) == [
        Concept("money worries", ("debt", "benefits")),
        Concept("food bank", ("foodbank", "food parcel")),
        Concept("vouchers", ()),
    ]


def test_phrases_match_by_stem_case_and_accents():
    assert concepts("Money Worry", SAMPLE) == [Concept("money worry", ("debt", "benefits"))]
    assert concepts("Walked", SAMPLE)[0].alternatives == ("rambling", "hiking")  # "walk" and "walking" are its forms


def test_stop_words_go_unless_in_a_phrase_or_alone():
    assert concepts("walks near me", SAMPLE) == [Concept("walks", ("rambling", "hiking"))]
    assert concepts("I am on my own", SAMPLE) == [Concept("am", ()), Concept("on my own", ("loneliness", "isolation"))]
    assert concepts("the", SAMPLE) == [Concept("the", ())]


def test_apostrophes_and_repeats():
    assert concepts("men's shed", SAMPLE) == [Concept("men shed", ())]  # "mens shed" is the same once folded
    assert concepts("walk walking hiking", SAMPLE) == [
        Concept("walk", ("rambling", "hiking")), Concept("hiking", ("walk", "rambling")),
    ]


def test_nothing_to_search_for():
    assert concepts("", SAMPLE) == []
    assert concepts("?! -", SAMPLE) == []


def test_the_file_is_read_once_until_reloaded(tmp_path, monkeypatch):
    path = tmp_path / "thesaurus.txt"
    path.write_text("kite, kites, kiting => aerial\n", encoding="utf-8")
    monkeypatch.setattr(thesaurus, "PATH", path)
    thesaurus.reload()
    try:
        assert concepts("kite") == [Concept("kite", ("aerial",))]
        path.write_text("kite, paraglider\n", encoding="utf-8")
        assert concepts("kite") == [Concept("kite", ("aerial",))]  # still the first reading
        thesaurus.reload()
        assert concepts("kite") == [Concept("kite", ("paraglider",))]
    finally:
        monkeypatch.undo()
        thesaurus.reload()


def test_the_repository_thesaurus_knows_the_directory_s_needs():
    thesaurus.reload()
    assert "loneliness" in concepts("lonely")[0].alternatives
    assert "foodbank" in concepts("food bank")[0].alternatives
    assert [concept.text for concept in concepts("money worries near me")] == ["money worries"]
