"""The search app's tables: the postcode gazetteer, the indexing outbox, its record of rebuilds and its locks."""

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
            # Finding the nearest postcode to a point ("near me", geocoded places).
            models.Index(fields=["latitude", "longitude"], name="search_postcode_latlon"),
        ]

    def __str__(self) -> str:
        return self.postcode


class OutboxEntry(models.Model):
    """A change to the index, written in the same transaction as the listing change that caused it.

    A task drains the outbox into the engine; if the engine or the broker is down the rows wait,
    so an update is never lost, only delayed.
    """

    class Action(models.TextChoices):
        INDEX = "index", "Index"
        DELETE = "delete", "Delete"

    document_id = models.CharField(max_length=64)
    action = models.CharField(max_length=6, choices=Action.choices)
    source = models.JSONField(null=True, blank=True, help_text="The document (to_source) for an index action.")
    created_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["document_id", "id"], name="search_outbox_document")]
        verbose_name_plural = "outbox entries"

    def __str__(self) -> str:
        return f"{self.action} {self.document_id}"


class IndexRebuild(models.Model):
    """One rebuild of the whole index: while one runs, drained outbox rows are kept for it to replay.

    A rebuild fills a new index from a snapshot and swaps it in, so a change drained into the old
    index meanwhile would vanish at the swap. The rebuild beats (`beat_at`) as it goes; one that
    stopped beating long ago died without finishing and holds nothing back (see search.outbox).
    """

    started_at = models.DateTimeField(auto_now_add=True)
    beat_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"rebuild started {self.started_at:%Y-%m-%d %H:%M}"


class OutboxLock(models.Model):
    """A row locked for the length of a transaction, so that one process at a time does a thing.

    "drain": one drain applies outbox rows at a time, so an older version can never be applied
    after a newer one. "rebuild": one rebuild at a time asks whether another runs and records
    itself. Rows are created when first needed (see search.outbox).
    """

    name = models.CharField(max_length=16, primary_key=True)
    taken_at = models.DateTimeField(null=True, blank=True, help_text="When the lock was last taken.")

    def __str__(self) -> str:
        return self.name


class ZeroResultSearch(models.Model):
    """A search that found nothing, for the commissioners' gap report.

    Kept anonymous by construction: the need's plain words only (no digits, addresses or names:
    see search.zero_results), the filters as offered, and the place only at postcode-district
    level; the day, not the time; no user, no network address, no coordinates.
    """

    text = models.CharField(max_length=200, blank=True)
    filters = models.JSONField(default=dict, blank=True)
    district = models.CharField(max_length=4, blank=True, help_text="The postcode district, e.g. RG12")
    local_authority = models.CharField(max_length=9, blank=True, help_text="ONS code, e.g. E06000036")
    radius_miles = models.PositiveSmallIntegerField(null=True, blank=True)
    created_on = models.DateField()

    class Meta:
        indexes = [models.Index(fields=["created_on", "local_authority"], name="search_zero_result_when")]

    def __str__(self) -> str:
        return f"{self.text or '(no words)'} near {self.district or 'anywhere'} on {self.created_on}"
