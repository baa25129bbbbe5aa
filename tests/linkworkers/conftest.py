"""Fixtures for link workers' tests: teams with people in them and staff clients signed in with MFA."""

import pytest
from django.test import Client

from portal.roles import Role
from tests import factories
from tests.factories import linkworkers as lw
from tests.mfa import signed_in_client


def signed_in(user) -> Client:
    """A client signed in as `user` with the second factor passed (as every staff member must)."""
    return signed_in_client(user)


@pytest.fixture
def team(db):
    return lw.team()


@pytest.fixture
def supervisor(team):
    return lw.supervisor(team)


@pytest.fixture
def worker(team):
    return lw.member(team)


@pytest.fixture
def supervisor_client(supervisor):
    return signed_in(supervisor)


@pytest.fixture
def worker_client(worker):
    return signed_in(worker)


@pytest.fixture
def commissioner(db):
    return factories.user_with_role(Role.COMMISSIONER)


@pytest.fixture
def commissioner_client(commissioner):
    return signed_in(commissioner)
