"""Wagtail 7.4's choosers turn a non-numeric id into a server error; the portal answers 400 first."""

import pytest

from portal.roles import Role
from tests.factories import organisation, user_with_role
from tests.mfa import signed_in_client

pytestmark = pytest.mark.django_db

REFUSED = [
    "/admin/choose-page/chosen-multiple/?id=x",
    "/admin/choose-page/chosen-multiple/?id=1&id=%C2%B2",  # "²" is a digit to str.isdigit, not to int()
    *(f"/admin/choose-{kind}-link/?parent_page_id=x" for kind in ("external", "email", "phone", "anchor")),
    "/admin/documents/chooser/chosen/abc/",
    "/admin/images/chooser/chosen/abc/",
]


@pytest.fixture
def moderator():
    return signed_in_client(user_with_role(Role.MODERATOR))


@pytest.mark.parametrize("path", REFUSED)
def test_a_non_numeric_id_is_a_clear_400(moderator, path):
    moderator.raise_request_exception = False
    response = moderator.get(path)
    assert response.status_code == 400
    assert "not the number of anything" in response.content.decode()


def test_numeric_ids_reach_the_chooser(moderator):
    page = organisation()
    assert moderator.get(f"/admin/choose-page/chosen-multiple/?id={page.pk}").status_code == 200
    assert moderator.get(f"/admin/choose-external-link/?parent_page_id={page.pk}").status_code == 200
