"""Fixtures shared by every part of the suite."""

import pytest

from tests.factories import PASSWORD, user_with_role


@pytest.fixture
def make_user(db):
    """`make_user(Role.LINK_WORKER)` gives a verified user in that role; the password is `PASSWORD`."""
    return user_with_role


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: allauth's sign-in rate limits and used TOTP codes are
    kept there, and one test's sign-ins must not count against the next."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _reference_data_for_transactional_tests(request):
    """Transactional tests run on tables flushed by the previous one: put the seeded rows back."""
    marker = request.node.get_closest_marker("django_db")
    if marker and marker.kwargs.get("transaction"):
        request.getfixturevalue("transactional_db")
        from tests.reference_data import restore_reference_data

        restore_reference_data()


@pytest.fixture(autouse=True)
def _no_stuck_outbox_check(monkeypatch):
    """`search.tasks.drain_if_stuck` asks whether the search outbox is stuck once a minute of wall time, at the
    end of whichever request that minute falls on: one query more in a test that counts them, by chance.
    Tests of that check start a minute themselves (`fresh_minute` in tests/search/test_outbox_retry.py)."""
    from search import tasks

    monkeypatch.setattr(tasks, "_next_stuck_check", float("inf"))
