"""The search app's tables: the postcode gazetteer."""

from django.db import models


class Postcode(models.Model):
    """A postcode from the ONS Postcode Directory and the WGS84 point at its centre."""

    class Country(models.TextChoices):
        ENGLAND = "E", "England"
        WALES = "W", "Wales"
        SCOTLAND = "S", "Scotland"
        NORTHERN_IRELAND = "N", "Northern Ireland"

    postcode = models.CharField(max_length=8, primary_key=True, help_text="Normalised, e.g. RG12 1AA")
    district = models.CharField(max_length=4, help_text="The outward code, e.g. RG12")
    local_authority = models.CharField(max_length=9, help_text="ONS code of the local authority, e.g. E06000036")
    country = models.CharField(max_length=1, choices=Country.choices)
    latitude = models.FloatField()
    longitude = models.FloatField()

    class Meta:
        # Meta.indexes rather than db_index: on PostgreSQL db_index on a CharField adds a second,
        # pattern-matching index per column, which 2.7 million rows do not need.
        indexes = [
            models.Index(fields=["district"], name="search_postcode_district"),
            models.Index(fields=["local_authority"], name="search_postcode_authority"),
        ]

    def __str__(self) -> str:
        return self.postcode
