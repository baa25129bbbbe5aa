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
def _reference_data_for_transactional_tests(request):
    """Transactional tests run on tables flushed by the previous one: put the seeded rows back."""
    marker = request.node.get_closest_marker("django_db")
    if marker and marker.kwargs.get("transaction"):
        request.getfixturevalue("transactional_db")
        from tests.reference_data import restore_reference_data

        restore_reference_data()
