"""Feedback on the site from the phase banner: two questions, stored without who sent it, spam dropped,
read by administrators in Wagtail."""

import pytest
from wagtail.models import Site

from portal.models import SiteFeedback
from portal.roles import Role
from tests.mfa import sign_in_with_mfa

pytestmark = pytest.mark.django_db

FEEDBACK = "/feedback/"
ANSWERS = {"satisfaction": "dissatisfied", "improvement": "Let me search by bus route.", "website": ""}


def test_feedback_is_stored_with_the_site_it_came_from_and_the_sender_is_thanked(client):
    response = client.post(FEEDBACK, ANSWERS, follow=True)
    assert response.redirect_chain == [("/feedback/thank-you/", 302)]
    assert "Thank you for your feedback" in response.content.decode()
    feedback = SiteFeedback.objects.get()
    assert (feedback.satisfaction, feedback.improvement) == ("dissatisfied", "Let me search by bus route.")
    assert feedback.site == Site.objects.get(is_default_site=True)


def test_how_someone_felt_is_the_one_question_they_must_answer(client):
    response = client.post(FEEDBACK, {"improvement": "More evening groups.", "website": ""})
    page = response.content.decode()
    assert response.status_code == 200 and "Select how you felt about this service" in page
    assert "More evening groups." in page  # what they typed is kept
    assert not SiteFeedback.objects.exists()
    assert client.post(FEEDBACK, {"satisfaction": "satisfied", "website": ""}).status_code == 302


def test_spam_is_dropped_without_telling_the_sender(client, settings):
    settings.FEEDBACK_RATE_LIMIT = 2
    assert client.post(FEEDBACK, {**ANSWERS, "website": "https://spam.example"}).url == "/feedback/thank-you/"
    assert not SiteFeedback.objects.exists()  # the honeypot was filled in
    for _ in range(3):
        assert client.post(FEEDBACK, ANSWERS).url == "/feedback/thank-you/"
    assert SiteFeedback.objects.count() == 1  # the honeypot's counted too: one more within the limit, then none


def test_administrators_read_feedback_in_wagtail(client, make_user):
    client.post(FEEDBACK, ANSWERS)
    admin = make_user(Role.SITE_ADMIN)
    admin.is_superuser = True
    admin.save()
    sign_in_with_mfa(client, admin)
    listing = client.get("/admin/site-feedback/")
    assert listing.status_code == 200 and "Let me search by bus route." in listing.content.decode()
    feedback = SiteFeedback.objects.get()
    inspect = client.get(f"/admin/site-feedback/inspect/{feedback.pk}/")
    assert inspect.status_code == 200 and "Dissatisfied" in inspect.content.decode()
    assert client.post(f"/admin/site-feedback/delete/{feedback.pk}/").status_code == 302
    assert not SiteFeedback.objects.exists()


def test_someone_without_permission_cannot_read_feedback(client, make_user):
    client.post(FEEDBACK, ANSWERS)
    sign_in_with_mfa(client, make_user(Role.MODERATOR))
    response = client.get("/admin/site-feedback/")
    assert response.status_code in (302, 403)
    assert "Let me search by bus route." not in response.content.decode()
