"""Taxonomies of needs and activities, shared by listings, referrals, unmet needs and search logs."""

import uuid

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.search import index

# The two taxonomies seeded by 0002_seed_vocabulary: what a service is (its kind of activity) and
# what it helps with (the needs people bring). A service is tagged from both.
ACTIVITIES = "Activities"
NEEDS = "Needs"


class Taxonomy(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=150, unique=True)
    description = models.TextField()
    uri = models.URLField(blank=True)
    version = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "taxonomies"

    def __str__(self) -> str:
        return self.name


class TaxonomyTerm(index.Indexed, models.Model):
    """A need or activity, e.g. "Loneliness and isolation" or "Walking groups"."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    taxonomy = models.ForeignKey(Taxonomy, on_delete=models.PROTECT, related_name="terms")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    code = models.SlugField(max_length=80, unique=True, help_text="Stable identifier used in URLs and filters.")
    name = models.CharField(max_length=150)
    description = models.TextField()

    panels = [FieldPanel("taxonomy"), FieldPanel("parent"), FieldPanel("code"), FieldPanel("name"), FieldPanel("description")]
    search_fields = [index.SearchField("name"), index.SearchField("description"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["taxonomy__name", "name"]

    def __str__(self) -> str:
        return f"{self.parent.name}: {self.name}" if self.parent_id else self.name


class Language(models.Model):
    """A language a service is delivered in (ISO 639 code; "bfi" for British Sign Language)."""

    code = models.CharField(max_length=8, unique=True)
    name = models.CharField(max_length=80)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
