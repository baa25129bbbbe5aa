"""The "what matters to you" conversation: what a link worker learns by starting from the person."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from .episodes import Episode


class Concern(models.TextChoices):
    MONEY = "money", "Money"
    HOUSING = "housing", "Housing"
    LONELINESS = "loneliness", "Loneliness"
    HEALTH = "health", "Health"
    CARING = "caring", "Caring for someone"
    WORK = "work", "Work"
    OTHER = "other", "Something else"


class WhatMattersConversation(models.Model):
    """One conversation, dated when it happened and attributed to who held it; an episode has several."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="what_matters")
    held_on = models.DateField(help_text="When the conversation happened, not when it was typed in.")
    what_matters = models.TextField()
    working_well = models.TextField(blank=True)
    not_working = models.TextField(blank=True)
    hopes = models.TextField(blank=True, help_text="What the person hopes to achieve.")
    # Strengths and assets, in the four kinds link workers map.
    strength_people = models.TextField(blank=True)
    strength_skills = models.TextField(blank=True)
    strength_interests = models.TextField(blank=True)
    strength_places = models.TextField(blank=True)
    concerns = models.JSONField(default=list, blank=True, help_text="Concern values, in the order of Concern.")
    other_concern = models.CharField(max_length=200, blank=True)
    own_words = models.TextField(blank=True, help_text="What the person said, in their own words.")
    held_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-held_on", "-recorded_at", "-pk"]
        verbose_name = "what-matters conversation"

    def __str__(self) -> str:
        return f"What-matters conversation on {self.held_on:%d %b %Y}"

    @property
    def concern_labels(self) -> list[str]:
        labels = [Concern(value).label for value in Concern.values if value in self.concerns]
        if Concern.OTHER in self.concerns and self.other_concern:
            labels[-1] = f"{labels[-1]}: {self.other_concern}"
        return labels

    @property
    def strengths(self) -> list[tuple[str, str]]:
        """(kind, what) for each kind of strength recorded."""
        kinds = (("People", self.strength_people), ("Skills", self.strength_skills),
                 ("Interests", self.strength_interests), ("Places", self.strength_places))
        return [(kind, text) for kind, text in kinds if text]
