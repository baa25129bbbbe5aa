"""Roles come from memberships and groups; only staff roles need MFA."""

import pytest

from portal.roles import STAFF_ROLES, Role, requires_mfa, roles_for
from tests.factories import UserFactory


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_each_role_is_conferred_by_its_membership(make_user, role):
    user = make_user(role)
    assert role in roles_for(user)
    assert requires_mfa(user) is (role in STAFF_ROLES)


@pytest.mark.django_db
def test_plain_account_is_only_a_resident():
    assert roles_for(UserFactory()) == {Role.RESIDENT}


@pytest.mark.django_db
def test_superuser_is_a_site_admin():
    assert Role.SITE_ADMIN in roles_for(UserFactory(is_superuser=True))


def test_anonymous_visitor_has_no_role():
    from django.contrib.auth.models import AnonymousUser

    assert roles_for(AnonymousUser()) == frozenset()


@pytest.mark.django_db
def test_demo_loader_gives_one_account_per_role_and_is_idempotent():
    from django.contrib.auth import get_user_model

    from portal.demo import DEMO_ACCOUNTS, load_demo

    load_demo()
    load_demo()
    users = get_user_model().objects.filter(is_demo=True)
    assert users.count() == len(DEMO_ACCOUNTS)
    for account in DEMO_ACCOUNTS:
        assert account.role in roles_for(users.get(email=account.email))
