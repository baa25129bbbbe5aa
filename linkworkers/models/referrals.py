"""Referrals: how a person comes to a link-worker team, and what triage decided."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from directory.models import Service, TaxonomyTerm

from .people import ContactMethod, Person
from .teams import Team


# The crisis screening questions in the words the forms ask them (linkworkers.forms.intake asks
# them of the person themselves or of a referrer). Answers are stored keyed by the question as it
# was asked; records keyed by a field name instead (older demo data) are read through this table.
CRISIS_QUESTIONS = {
    "in_danger": (
        "Are you in immediate danger, or thinking about ending your life?",
        "Is the person in immediate danger, or thinking about ending their life?",
    ),
    "urgent_mental_health": (
        "Do you need urgent help with your mental health today?",
        "Does the person need urgent help with their mental health today?",
    ),
}
_QUESTION_OF_KEY = {
    **{key: asked_of_other for key, (_, asked_of_other) in CRISIS_QUESTIONS.items()},
    "immediate_danger": CRISIS_QUESTIONS["in_danger"][1],
}
# Where each question comes when answers are read back: the order the forms ask them in
# (PostgreSQL's jsonb keeps keys in an order of its own).
_QUESTION_ORDER = {
    words: position
    for position, (key, wordings) in enumerate(CRISIS_QUESTIONS.items())
    for words in (key, *wordings)
} | {"immediate_danger": 0}
NOT_ANSWERED = "Not answered"


def crisis_answer_in_words(answer) -> str:
    """"Yes", "No" or "Not answered", from however an answer was stored ("yes", "No", True...)."""
    if isinstance(answer, bool):
        return "Yes" if answer else "No"
    return {"yes": "Yes", "no": "No"}.get(str(answer or "").strip().lower(), NOT_ANSWERED)


class ReferralSource(models.TextChoices):
    GP = "gp", "GP practice"
    SELF = "self", "Self-referral"
    SOCIAL_CARE = "social_care", "Social care"
    HOSPITAL = "hospital", "Hospital"
    FAMILY_OR_FRIEND = "family_or_friend", "Family or friend"
    FIRE_SERVICE = "fire_service", "Fire and rescue service"
    VCS = "vcs", "Voluntary or community group"
    OTHER = "other", "Other"


class ReferralChannel(models.TextChoices):
    PROFESSIONAL_FORM = "professional_form", "Professional referral form"
    SELF_REFERRAL_FORM = "self_referral_form", "Self-referral form"
    PHONE = "phone", "Phone call"
    EMAIL = "email", "Email"
    WALK_IN = "walk_in", "Walk-in"


class ReferralStatus(models.TextChoices):
    NEW = "new", "New"
    ACCEPTED = "accepted", "Accepted"
    SIGNPOSTED = "signposted", "Signposted only"
    REDIRECTED = "redirected", "Redirected"
    DECLINED = "declined", "Declined"


class MatchStatus(models.TextChoices):
    NEW_PERSON = "new_person", "New to the team"
    NHS_NUMBER = "nhs_number", "Matched on NHS number"
    NEEDS_CONFIRMATION = "needs_confirmation", "Possible match: confirm before triage"
    CONFIRMED = "confirmed", "Possible match, confirmed by staff"


class ReferralQuerySet(models.QuerySet):
    def awaiting_triage(self):
        return self.filter(status=ReferralStatus.NEW)


class Referral(models.Model):
    """One referral. The person's details are kept as given, so triage can see what the referrer said."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="referrals")
    # Null only while a possible match waits for a person to confirm it (MatchStatus.NEEDS_CONFIRMATION).
    person = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals")
    possible_match = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    match_status = models.CharField(max_length=20, choices=MatchStatus.choices, default=MatchStatus.NEW_PERSON)

    channel = models.CharField(max_length=20, choices=ReferralChannel.choices)
    source = models.CharField(max_length=20, choices=ReferralSource.choices)
    received_at = models.DateTimeField(default=timezone.now, help_text="When the referral reached the team.")
    keyed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        help_text="The staff member who took it by phone, email or in person.",
    )

    referrer_name = models.CharField(max_length=150, blank=True)
    referrer_role = models.CharField(max_length=150, blank=True)
    referrer_organisation = models.CharField(max_length=200, blank=True)
    referrer_email = models.EmailField(blank=True)
    referrer_phone = models.CharField(max_length=30, blank=True)

    # The person as the referral described them.
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(null=True, blank=True)
    nhs_number = models.CharField(max_length=10, blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField(blank=True)
    gp_practice = models.CharField(max_length=200, blank=True)
    preferred_contact_method = models.CharField(max_length=10, choices=ContactMethod.choices, blank=True)
    consent_to_contact = models.BooleanField(
        help_text="The person agreed to be contacted by a link worker."
    )

    reasons = models.TextField(help_text="Why the person is being referred, in the referrer's words.")
    needs = models.ManyToManyField(TaxonomyTerm, blank=True, related_name="+")

    # Crisis screening comes first on every form; a crisis answer is shown the crisis route at once.
    crisis_indicated = models.BooleanField(default=False)
    crisis_answers = models.JSONField(default=dict, blank=True)
    urgent = models.BooleanField(default=False)

    status = models.CharField(max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.NEW)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decision_reason = models.TextField(blank=True)
    redirected_to = models.CharField(max_length=200, blank=True)
    signposted_services = models.ManyToManyField(Service, blank=True, related_name="+")

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-urgent", "received_at"]
        indexes = [models.Index(fields=["team", "status", "received_at"], name="lw_referral_queue")]

    def __str__(self) -> str:
        return f"Referral of {self.given_name} {self.family_name} ({self.get_status_display()})"

    @property
    def crisis_answer_rows(self) -> list[dict]:
        """Each screening question in its own words, with the answer the person gave."""
        answers = sorted((self.crisis_answers or {}).items(),
                         key=lambda item: _QUESTION_ORDER.get(item[0], len(_QUESTION_ORDER)))
        return [
            {"question": _QUESTION_OF_KEY.get(question, question), "answer": crisis_answer_in_words(answer)}
            for question, answer in answers
        ]

    @property
    def first_contact_due(self):
        return self.received_at + timedelta(days=settings.LINKWORKERS_FIRST_CONTACT_DAYS)
