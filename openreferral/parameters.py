"""The query parameters of each endpoint: read, checked and described in one place.

Each class validates `request.query_params` (a bad value is a 400 naming the parameter) and is
what the OpenAPI document lists as the endpoint's parameters (drf-spectacular explodes a
serializer given as `parameters` into query parameters), so the two cannot disagree.
Parameters combine with AND.
"""

import math

from rest_framework import serializers

from search.contract import MAX_RADIUS_KM
from search.gazetteer import PostcodeError, lookup_postcode

PER_PAGE = 50
MAX_PER_PAGE = 100
# Deeper pages than this are refused: nobody pages that far (use format=ndjson for everything).
MAX_PAGE = 100_000
MAX_AGE = 120  # as the listing form allows
# The engine's widest search radius (25 miles), in whole metres.
MAX_PROXIMITY_METRES = math.floor(MAX_RADIUS_KM * 1000)
DAYS = {"MO": "monday", "TU": "tuesday", "WE": "wednesday", "TH": "thursday", "FR": "friday", "SA": "saturday",
        "SU": "sunday"}


class PageParameters(serializers.Serializer):
    page = serializers.IntegerField(required=False, default=1, min_value=1, max_value=MAX_PAGE,
                                    help_text="Page number of paginated result, from 1.")
    per_page = serializers.IntegerField(required=False, default=PER_PAGE, min_value=1, max_value=MAX_PER_PAGE,
                                        help_text=f"Number of results requested in a single page, 1 to "
                                                  f"{MAX_PER_PAGE} ({PER_PAGE} if not given).")
    format = serializers.ChoiceField(
        required=False, default="json", choices=["json", "ndjson"],
        help_text="`json` (the default) for a page, or `ndjson` to stream every matching record, one JSON "
                  "object a line, without pagination.",
    )


class SearchParameters(PageParameters):
    search = serializers.CharField(required=False, allow_blank=True, max_length=500,
                                   help_text="Full text search.")


class TaxonomyTermParameters(SearchParameters):
    taxonomy_id = serializers.UUIDField(required=False, help_text="Only terms of the taxonomy with this id.")
    parent_id = serializers.UUIDField(required=False, help_text="Only terms whose parent term has this id.")
    top_only = serializers.BooleanField(required=False, default=False,
                                        help_text="Only top-level terms (those without a parent).")


class OrganizationParameters(SearchParameters):
    full = serializers.BooleanField(required=False, default=False,
                                    help_text="Fully nested organizations, with their services.")
    full_service = serializers.BooleanField(
        required=False, default=False,
        help_text="With full=true or on /organizations/{id}: each service fully nested, not only its own fields.",
    )


class OrganizationDetailParameters(serializers.Serializer):
    full_service = serializers.BooleanField(
        required=False, default=False,
        help_text="Each service of the organization fully nested, not only its own fields.",
    )


class ServiceParameters(SearchParameters):
    """The standard's filters of services, the UK profile's and the geographic ones."""

    taxonomy_term_id = serializers.UUIDField(
        required=False, help_text="Only records with this taxonomy term, or with a term whose parent it is.")
    taxonomy_id = serializers.UUIDField(required=False,
                                        help_text="Only records with any term of the taxonomy with this id.")
    organization_id = serializers.UUIDField(required=False,
                                            help_text="Only services of the organization with this id.")
    modified_after = serializers.DateTimeField(
        required=False,
        help_text="Only records modified on or after this date or datetime (ISO 8601, e.g. 2026-01-31 or "
                  "2026-01-31T09:00:00Z).",
    )
    full = serializers.BooleanField(required=False, default=False, help_text="Fully nested records in the list.")
    minimum_age = serializers.IntegerField(
        required=False, min_value=0, max_value=MAX_AGE,
        help_text="The youngest age (years) of the people a service is wanted for: only services open to "
                  "someone of this age or older. With maximum_age equal to it: services open to that age.",
    )
    maximum_age = serializers.IntegerField(
        required=False, min_value=0, max_value=MAX_AGE,
        help_text="The oldest age (years) of the people a service is wanted for: only services open to "
                  "someone of this age or younger.",
    )
    day = serializers.CharField(
        required=False,
        help_text="Only services with a session on this day: MO, TU, WE, TH, FR, SA, SU or the day's English "
                  "name.",
    )
    start_time = serializers.TimeField(
        required=False,
        help_text="Only services with a session starting at or after this time (HH:MM, UK local time); with "
                  "day, on that day.",
    )
    end_time = serializers.TimeField(
        required=False,
        help_text="Only services with a session ending at or before this time (HH:MM, UK local time); with day, "
                  "on that day.",
    )
    postcode = serializers.CharField(
        required=False, max_length=16,
        help_text="A full UK postcode. Services that declare service areas match where an area covers it; "
                  "others match when a venue is within `proximity` of its centre (or when they have no venue "
                  "and are delivered online or by phone). Nearest and best matches first.",
    )
    proximity = serializers.FloatField(
        required=False,
        help_text=f"With postcode: the distance in metres from its centre, more than 0 and at most "
                  f"{MAX_PROXIMITY_METRES} (25 miles); 8047 (5 miles, as the search page) if not given.",
    )

    def validate_day(self, value: str) -> str:
        day = value.strip().upper()
        for code, name in DAYS.items():
            if day in (code, name.upper()):
                return code
        raise serializers.ValidationError("Give a day as MO, TU, WE, TH, FR, SA or SU, or its English name.")

    def validate_postcode(self, value: str):
        if not value.strip():
            return None
        try:
            return lookup_postcode(value)
        except PostcodeError as error:
            raise serializers.ValidationError(error.message) from None

    def validate_proximity(self, value: float) -> float:
        if not 0 < value <= MAX_PROXIMITY_METRES:
            raise serializers.ValidationError(
                f"Give a distance in metres more than 0 and at most {MAX_PROXIMITY_METRES}.")
        return value

    def validate(self, data):
        errors = {}
        if data.get("proximity") is not None and data.get("postcode") is None:
            errors["proximity"] = "Give a postcode to measure the distance from."
        low, high = data.get("minimum_age"), data.get("maximum_age")
        if low is not None and high is not None and low > high:
            errors["maximum_age"] = "The maximum age must be the same as or more than the minimum age."
        start, end = data.get("start_time"), data.get("end_time")
        if start is not None and end is not None and end <= start:
            errors["end_time"] = "The end time must be after the start time."
        if errors:
            raise serializers.ValidationError(errors)
        return data


class ServiceListParameters(ServiceParameters):
    minimal = serializers.BooleanField(
        required=False, default=False,
        help_text="Each service with its id, name, status and last_modified only.",
    )
