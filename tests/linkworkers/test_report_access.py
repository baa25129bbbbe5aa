"""Who opens the commissioners' reports: commissioners and site admins; every other role gets a 404 for the
page and its CSV (and no download is recorded); someone signed out is sent to sign in."""

import pytest
from django.urls import reverse

from linkworkers.models import AuditEvent
from portal.roles import Role
from tests import factories

from .conftest import signed_in

pytestmark = pytest.mark.django_db

REPORTS = {"linkworkers:gap_report": "Gap report", "linkworkers:outcomes_report": "Outcomes report"}


@pytest.mark.parametrize("name", REPORTS)
@pytest.mark.parametrize("role", [Role.COMMISSIONER, Role.SITE_ADMIN])
def test_commissioners_and_site_admins_open_the_report(role, name):
    response = signed_in(factories.user_with_role(role)).get(reverse(name))
    assert response.status_code == 200
    assert REPORTS[name] in response.content.decode()


@pytest.mark.parametrize("name", REPORTS)
@pytest.mark.parametrize("role", [Role.LINK_WORKER, Role.SUPERVISOR, Role.VCS_EDITOR, Role.MODERATOR])
def test_other_staff_cannot_open_the_report_or_download_it(role, name):
    client = signed_in(factories.user_with_role(role))
    assert client.get(reverse(name)).status_code == 404
    assert client.get(reverse(name), {"format": "csv"}).status_code == 404
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()


@pytest.mark.parametrize("name", REPORTS)
def test_someone_not_signed_in_is_sent_to_sign_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and "login" in response["Location"]
