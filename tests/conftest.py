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
