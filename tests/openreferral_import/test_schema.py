"""The import's first check (jsonschema-rs) lets through only what the full check (jsonschema) lets through.

`openreferral.importer.schema.problems` trusts the first check when it finds nothing wrong, so it must
never pass a record the full check would fail. Checked on the validator's three feeds, on this
directory's own feed, and on every leaf of the validator's full record replaced by each kind of bad value.
"""

import copy

import pytest

from openreferral.importer import schema
from tests.openreferral.oruk import mock

FEEDS = ("V3.0-UK-Default", "V3.0-UK-Warn", "V3.0-UK-Fail")
BAD_VALUES = (None, 7, -1.5, True, "", "x", "not a uuid @ all", "2026-13-45", [], {}, ["x"], {"x": 1})


def _full_check(record) -> list[str]:
    return [error.message for error in schema._validator("service.json").iter_errors(record)]


def _no_laxer(record) -> None:
    """jsonschema-rs may fault a record jsonschema passes (jsonschema then decides), never the reverse."""
    first, full = schema._first_check("service.json").is_valid(record), not _full_check(record)
    assert full or not first, f"jsonschema-rs passed a record jsonschema fails: {_full_check(record)}"


def _services(folder: str) -> list[dict]:
    records = []
    for name in ("service_full.json", "service_list.json"):
        try:
            answer = mock(folder, name)
        except FileNotFoundError:
            continue
        records += answer.get("contents", [answer]) if isinstance(answer, dict) else answer
    return records


def _leaves(value, path=()):
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _leaves(inner, (*path, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from _leaves(inner, (*path, index))
    yield path


def _replaced(record, path, new):
    record = copy.deepcopy(record)
    if not path:
        return new
    *parents, last = path
    target = record
    for key in parents:
        target = target[key]
    target[last] = new
    return record


def _without(record, path):
    record = copy.deepcopy(record)
    *parents, last = path
    target = record
    for key in parents:
        target = target[key]
    del target[last]
    return record


@pytest.mark.parametrize("folder", FEEDS)
def test_the_first_check_passes_nothing_the_full_check_fails_in_the_validators_feeds(folder):
    records = _services(folder)
    assert records
    for record in records:
        _no_laxer(record)


def test_the_first_check_passes_good_records_and_fails_bad_ones():
    good = mock("V3.0-UK-Default", "service_full.json")
    assert schema.problems(good) == []
    assert schema._first_check("service.json").is_valid(good)
    bad = _replaced(good, ("id",), "not-a-uuid")
    assert not schema._first_check("service.json").is_valid(bad)
    assert schema.problems(bad) == ["id: 'not-a-uuid' is not a 'uuid'"]


@pytest.mark.django_db
def test_this_directorys_own_feed_passes_both_checks():
    from tests.openreferral.conftest import _load_postcodes
    from tests.openreferral_import.test_bulk import _generated

    _load_postcodes()
    for record in _generated(20):
        assert schema.problems(record) == []
        _no_laxer(record)


def test_no_leaf_replaced_by_a_bad_value_or_taken_away_passes_only_the_first_check():
    record = mock("V3.0-UK-Default", "service_full.json")
    checked = 0
    for path in _leaves(record):
        if not path:
            continue
        for bad in BAD_VALUES:
            _no_laxer(_replaced(record, path, bad))
            checked += 1
        _no_laxer(_without(record, path))
        checked += 1
    assert checked > 500
