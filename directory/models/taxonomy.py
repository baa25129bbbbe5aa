"""Taxonomies of needs and activities, shared by listings, referrals, unmet needs and search logs."""

import re
import uuid

from django.core.exceptions import ValidationError
from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.search import index

# The two taxonomies seeded by 0002_seed_vocabulary: what a service is (its kind of activity) and
# what it helps with (the needs people bring). A service is tagged from both.
ACTIVITIES = "Activities"
NEEDS = "Needs"

# Lay synonyms: the words residents type for a term ("lonely", "on my own"). Short, so each stays
# a phrase someone would type, and few, so a term cannot be made to match everything.
MAX_LAY_SYNONYMS = 20
MAX_LAY_SYNONYM_LENGTH = 40
_LAY_SYNONYM = re.compile(r"[^\W_]+(?:['\- ][^\W_]+)*")  # words of letters or digits, in any script


def parse_lay_synonyms(text: str) -> tuple[str, ...]:
    """The comma-separated lay synonyms a moderator typed, folded (lowercase, no accents, single
    spaces); raises ValidationError with a message saying what to change."""
    from search.words import fold  # the engines' own folding, so what is stored is what is matched

    synonyms: list[str] = []
    for typed in text.split(","):
        synonym = " ".join(fold(typed.replace("\u2019", "'")).split())
        if not synonym:
            continue
        if len(synonym) > MAX_LAY_SYNONYM_LENGTH:
            raise ValidationError(
                f"“{synonym}” is too long: keep each lay synonym to {MAX_LAY_SYNONYM_LENGTH} characters or fewer.",
                code="too_long")
        if not _LAY_SYNONYM.fullmatch(synonym):
            raise ValidationError(
                f"“{synonym}” can only use letters, numbers, spaces, hyphens and apostrophes. "
                "Separate lay synonyms with commas.", code="invalid")
        if synonym in synonyms:
            raise ValidationError(f"“{synonym}” is there twice: give each lay synonym once.", code="duplicate")
        synonyms.append(synonym)
    if len(synonyms) > MAX_LAY_SYNONYMS:
        raise ValidationError(f"Give at most {MAX_LAY_SYNONYMS} lay synonyms (there are {len(synonyms)}).",
                              code="too_many")
    return tuple(synonyms)


def validate_lay_synonyms(text: str) -> None:
    parse_lay_synonyms(text)


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
    lay_synonyms = models.CharField(
        max_length=1000, blank=True, validators=[validate_lay_synonyms],
        help_text="Other words people type for this, separated by commas, e.g. “lonely, on my own”. "
                  "Search finds this term's services by them too.",
    )

    panels = [FieldPanel("taxonomy"), FieldPanel("parent"), FieldPanel("code"), FieldPanel("name"),
              FieldPanel("description"), FieldPanel("lay_synonyms")]
    search_fields = [index.SearchField("name"), index.SearchField("description"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["taxonomy__name", "name"]

    def __str__(self) -> str:
        return f"{self.parent.name}: {self.name}" if self.parent_id else self.name

    def clean(self):
        super().clean()
        try:
            synonyms = parse_lay_synonyms(self.lay_synonyms)
        except ValidationError:
            return  # the field's validator has said why
        from search.words import fold

        name = " ".join(fold(self.name).split())
        if name in synonyms:
            raise ValidationError({"lay_synonyms": f"“{name}” is the term's name already: list other words for it."})
        self.lay_synonyms = ", ".join(synonyms)

    @property
    def lay_synonym_list(self) -> tuple[str, ...]:
        """The lay synonyms as stored (already folded); () for none."""
        return tuple(synonym.strip() for synonym in self.lay_synonyms.split(",") if synonym.strip())


class Language(models.Model):
    """A language a service is delivered in (ISO 639 code; "bfi" for British Sign Language)."""

    code = models.CharField(max_length=8, unique=True)
    name = models.CharField(max_length=80)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
