"""What visitors tell us about the site through the phase banner's feedback link: anonymous, with no reply."""

from django.db import models
from wagtail.models import Site


class SiteFeedback(models.Model):
    class Satisfaction(models.TextChoices):
        # GOV.UK's standard satisfaction scale, so the answers compare with other services'.
        VERY_SATISFIED = "very_satisfied", "Very satisfied"
        SATISFIED = "satisfied", "Satisfied"
        NEITHER = "neither", "Neither satisfied nor dissatisfied"
        DISSATISFIED = "dissatisfied", "Dissatisfied"
        VERY_DISSATISFIED = "very_dissatisfied", "Very dissatisfied"

    site = models.ForeignKey(Site, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                             help_text="The site it was sent from (each council or NHS site has its own).")
    satisfaction = models.CharField(max_length=20, choices=Satisfaction.choices)
    improvement = models.TextField("how could we improve this service", blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "site feedback"
        verbose_name_plural = "site feedback"

    def __str__(self) -> str:
        return self.get_satisfaction_display()
