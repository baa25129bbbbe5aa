"""Services and what a person needs to know to use one: where, when, cost, who it is for, how to get in."""

import uuid
from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, TabbedInterface, ObjectList
from wagtail.models import Orderable, Page
from wagtail.search import index

from search import authorities, listing_links, maps, shortlist
from search.gazetteer import PostcodeError, district_centroid, loaded_authorities, lookup_postcode

from ..admin.categories import ServiceForm, TermsPanel
from ..fields import WeekdaysField


class ServiceStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    TEMPORARILY_CLOSED = "temporarily closed", "Temporarily closed"
    INACTIVE = "inactive", "Inactive"
    DEFUNCT = "defunct", "Closed for good"


class Capacity(models.TextChoices):
    OPEN = "open", "Open to new people"
    WAITING_LIST = "waiting_list", "Waiting list"
    FULL = "full", "Full"


class Service(Page):
    """A service or activity offered by an organisation (ORUK `service`)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    description = models.TextField(help_text="What happens, who runs it and what to expect, in plain language.")
    status = models.CharField(max_length=20, choices=ServiceStatus.choices, default=ServiceStatus.ACTIVE)
    alert = models.CharField(max_length=300, blank=True, help_text="A short notice, e.g. 'No sessions in August'.")
    website = models.URLField(blank=True)
    email = models.EmailField(blank=True)

    categories = ParentalManyToManyField("directory.TaxonomyTerm", blank=True, related_name="services")
    languages = ParentalManyToManyField("directory.Language", blank=True, related_name="services")

    minimum_age = models.PositiveSmallIntegerField(null=True, blank=True, validators=[MaxValueValidator(120)])
    maximum_age = models.PositiveSmallIntegerField(null=True, blank=True, validators=[MaxValueValidator(120)])
    eligibility_description = models.TextField("who it is for", blank=True)

    self_referral = models.BooleanField("people can refer themselves", default=True)
    professional_referral = models.BooleanField("professionals can refer people", default=True)
    drop_in = models.BooleanField("drop in, no need to book", default=False)
    how_to_access = models.TextField("how to join", blank=True)

    in_person = models.BooleanField(default=True)
    online = models.BooleanField(default=False)
    by_phone = models.BooleanField("by phone", default=False)

    is_free = models.BooleanField("free", default=True)
    fees_description = models.TextField("costs", blank=True, help_text="Anything people should know about costs.")
    capacity = models.CharField(max_length=20, choices=Capacity.choices, default=Capacity.OPEN)

    content_panels = Page.content_panels + [
        FieldPanel("description"),
        FieldPanel("status"),
        FieldPanel("alert"),
        # Stored in `categories`; asked as two questions (directory.admin.categories).
        MultiFieldPanel([TermsPanel("activities"), TermsPanel("needs")], heading="Categories"),
        MultiFieldPanel([FieldRowPanel([FieldPanel("minimum_age"), FieldPanel("maximum_age")]),
                         FieldPanel("eligibility_description")], heading="Who it is for"),
        MultiFieldPanel([FieldPanel("self_referral"), FieldPanel("professional_referral"), FieldPanel("drop_in"),
                         FieldPanel("how_to_access")], heading="How to join"),
        MultiFieldPanel([FieldPanel("in_person"), FieldPanel("online"), FieldPanel("by_phone")],
                        heading="How it is delivered"),
        FieldPanel("capacity"),
        InlinePanel("schedules", heading="When it runs", label="Session time"),
        InlinePanel("locations", heading="Where it happens", label="Location"),
        MultiFieldPanel([FieldPanel("is_free"), FieldPanel("fees_description")], heading="Cost"),
        InlinePanel("cost_options", heading="Prices", label="Price"),
    ]
    contact_panels = [
        FieldPanel("website"),
        FieldPanel("email"),
        InlinePanel("contacts", heading="Contacts", label="Contact"),
        FieldPanel("languages", widget=forms.CheckboxSelectMultiple),
        InlinePanel("service_areas", heading="Areas served", label="Area"),
    ]
    edit_handler = TabbedInterface([
        ObjectList(content_panels, heading="Service"),
        ObjectList(contact_panels, heading="Contacts and area"),
        ObjectList(Page.promote_panels, heading="Promote"),
        ObjectList(Page.settings_panels, heading="Visibility"),
    ])
    base_form_class = ServiceForm
    search_fields = Page.search_fields + [index.SearchField("description")]
    parent_page_types = ["directory.Organisation"]
    subpage_types: list[str] = []
    template = "directory/service.html"

    class Meta:
        verbose_name = "service"

    def clean(self):
        super().clean()
        errors = {}
        if self.minimum_age is not None and self.maximum_age is not None and self.minimum_age > self.maximum_age:
            errors["maximum_age"] = "The maximum age must be the same as or more than the minimum age."
        if not (self.in_person or self.online or self.by_phone):
            errors["in_person"] = "Choose at least one way the service is delivered."
        if errors:
            raise ValidationError(errors)

    @property
    def organisation(self):
        return self.get_parent().specific

    def get_context(self, request, *args, **kwargs):
        """The listing, and what the visitor brings to it: the search they came from (the distance
        from its place, the way back), their shortlist, and a map of the venues."""
        from ..documents import is_searchable  # which imports this module
        from ..freshness import kept_by  # likewise

        context = super().get_context(request, *args, **kwargs)
        came_from = listing_links.came_from(request.GET)
        venues = [location for location in self.locations.all() if location.latitude is not None]
        points = [(venue.latitude, venue.longitude) for venue in venues]
        origin = came_from.point if came_from else None
        markers = [_marker(venue, self.title) for venue in venues]
        # Without map tiles a lone pin on a blank background says nothing: draw it beside another point.
        drawable = getattr(settings, "SEARCH_MAP_TILE_URL", None) or len(markers) + bool(origin) > 1
        ids = shortlist.shortlist_ids(getattr(request, "session", {}))  # a preview's request may have none
        context.update(
            came_from=came_from,
            distance=came_from.distance_in_words(points) if came_from else "",
            map_data=maps.map_data(markers, origin=origin, origin_label=came_from.place_label if came_from else "")
            if drawable else None,
            can_shortlist=is_searchable(self),
            shortlisted=str(self.public_id) in ids,
            shortlist_count=len(ids),
            kept_by=kept_by(self),
        )
        return context


def _marker(venue: "ServiceLocation", title: str) -> dict:
    if venue.confidential:
        # Stored at its district's middle (see ServiceLocation.clean), and said to be only that, as the
        # search results' map says it.
        return maps.marker(latitude=venue.latitude, longitude=venue.longitude, name=title,
                           place=f"{venue.district} area. {venue.WITHHELD_ADDRESS}")
    return maps.marker(latitude=venue.latitude, longitude=venue.longitude, name=venue.name or title,
                       place=", ".join(part for part in (venue.address_1, venue.postcode) if part))


class ServiceLocation(Orderable):
    """Where a service happens (ORUK `location` with its `service_at_location`)."""

    class LocationType(models.TextChoices):
        PHYSICAL = "physical", "A place people visit"
        VIRTUAL = "virtual", "Online"
        POSTAL = "postal", "Postal address only"

    # What every public page and feed says instead of a confidential venue's address.
    WITHHELD_ADDRESS = "Address given when you contact the service"

    service = ParentalKey(Service, on_delete=models.CASCADE, related_name="locations")
    location_id = models.UUIDField(default=uuid.uuid4, editable=False)
    service_at_location_id = models.UUIDField(default=uuid.uuid4, editable=False)
    location_type = models.CharField(max_length=10, choices=LocationType.choices, default=LocationType.PHYSICAL)
    name = models.CharField("venue name", max_length=200, blank=True)
    address_1 = models.CharField("address", max_length=200, blank=True)
    city = models.CharField("town or city", max_length=100, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    confidential = models.BooleanField(
        default=False,
        help_text="A refuge or safe house: the address is never published; people find the service by its "
                  "postcode district")
    # Where search measures from: the postcode's point, or for a confidential venue its district's middle,
    # so the venue's own point is never stored where a page, the map, the API or search could show it.
    latitude = models.FloatField(null=True, blank=True, editable=False)
    longitude = models.FloatField(null=True, blank=True, editable=False)
    district = models.CharField(max_length=4, blank=True, editable=False)
    local_authority = models.CharField(max_length=9, blank=True, editable=False)

    step_free_access = models.BooleanField("step-free access", default=False)
    accessible_toilet = models.BooleanField(default=False)
    hearing_loop = models.BooleanField(default=False)
    accessible_parking = models.BooleanField("accessible parking", default=False)
    accessibility_notes = models.TextField(blank=True)

    panels = [
        FieldPanel("location_type"),
        FieldPanel("name"),
        FieldPanel("address_1"),
        FieldRowPanel([FieldPanel("city"), FieldPanel("postcode")]),
        FieldPanel("confidential"),
        MultiFieldPanel([FieldPanel("step_free_access"), FieldPanel("accessible_toilet"), FieldPanel("hearing_loop"),
                         FieldPanel("accessible_parking"), FieldPanel("accessibility_notes")], heading="Accessibility"),
    ]

    def clean(self):
        super().clean()
        if self.location_type == self.LocationType.VIRTUAL:
            self.latitude = self.longitude = None
            self.district = self.local_authority = ""
            return
        if not self.postcode.strip():
            raise ValidationError({"postcode": "Enter the postcode of the venue, like RG12 1AA."})
        try:
            place = lookup_postcode(self.postcode)
        except PostcodeError as error:
            raise ValidationError({"postcode": error.message}) from None
        self.postcode = place.postcode
        self.latitude, self.longitude = place.latitude, place.longitude
        self.district, self.local_authority = place.district, place.local_authority
        if self.confidential:
            # The district holds this postcode, so it has a middle.
            self.latitude, self.longitude = district_centroid(place.district)

    class Meta(Orderable.Meta):
        indexes = [
            # When a listing is published, directory.venues finds the rows of each of its places by postcode,
            # and whether another place already has a row's id by that id.
            models.Index(fields=["postcode", "location_type"], name="venue_postcode"),
            models.Index(fields=["location_id"], name="venue_location_id"),
            # The Open Referral API's /service_at_locations/{id}.
            models.Index(fields=["service_at_location_id"], name="venue_service_at_location_id"),
        ]

    def __str__(self) -> str:
        return ", ".join(part for part in (self.name, self.address_1, self.city, self.postcode) if part) or "Online"


class Schedule(Orderable):
    """When a service runs: weekly on given days, or on the nth weekday of each month (ORUK `schedule`)."""

    class Frequency(models.TextChoices):
        WEEKLY = "WEEKLY", "Every week"
        MONTHLY = "MONTHLY", "Once a month"

    class WeekOfMonth(models.IntegerChoices):
        FIRST = 1, "First"
        SECOND = 2, "Second"
        THIRD = 3, "Third"
        FOURTH = 4, "Fourth"
        LAST = -1, "Last"

    service = ParentalKey(Service, on_delete=models.CASCADE, related_name="schedules")
    public_id = models.UUIDField(default=uuid.uuid4, editable=False)
    freq = models.CharField("how often", max_length=10, choices=Frequency.choices, default=Frequency.WEEKLY)
    week_of_month = models.SmallIntegerField(
        choices=WeekOfMonth.choices, null=True, blank=True, help_text="For monthly sessions: which week."
    )
    byday = WeekdaysField("days")
    opens_at = models.TimeField("starts at")
    closes_at = models.TimeField("ends at")
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    notes = models.CharField(max_length=300, blank=True, help_text="E.g. 'Not on bank holidays'.")

    panels = [
        FieldRowPanel([FieldPanel("freq"), FieldPanel("week_of_month")]),
        FieldPanel("byday"),
        FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
        FieldRowPanel([FieldPanel("valid_from"), FieldPanel("valid_to")]),
        FieldPanel("notes"),
    ]

    def clean(self):
        super().clean()
        errors = {}
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            errors["closes_at"] = "The end time must be after the start time."
        if self.freq == self.Frequency.MONTHLY and self.week_of_month is None:
            errors["week_of_month"] = "Choose which week of the month, e.g. the first or the last."
        if self.freq == self.Frequency.WEEKLY:
            self.week_of_month = None
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            errors["valid_to"] = "The end date must be on or after the start date."
        if errors:
            raise ValidationError(errors)

    @property
    def ical_byday(self) -> str:
        """ORUK/iCal BYDAY, e.g. "2MO" for the second Monday of each month."""
        if self.freq == self.Frequency.MONTHLY and self.week_of_month:
            return ",".join(f"{self.week_of_month}{day}" for day in self.byday.split(",") if day)
        return self.byday


class CostOption(Orderable):
    service = ParentalKey(Service, on_delete=models.CASCADE, related_name="cost_options")
    public_id = models.UUIDField(default=uuid.uuid4, editable=False)
    option = models.CharField("what it is for", max_length=150, help_text="E.g. 'Per session' or 'Annual membership'.")
    amount = models.DecimalField(max_digits=8, decimal_places=2, validators=[MinValueValidator(Decimal("0"))])
    amount_description = models.CharField("details", max_length=300, blank=True)

    panels = [FieldRowPanel([FieldPanel("option"), FieldPanel("amount")]), FieldPanel("amount_description")]


class ContactPoint(Orderable):
    service = ParentalKey(Service, on_delete=models.CASCADE, related_name="contacts")
    public_id = models.UUIDField(default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=150, blank=True)
    title = models.CharField("role", max_length=150, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    phone_description = models.CharField(max_length=150, blank=True, help_text="E.g. 'Weekdays 9am to 5pm'.")

    panels = [FieldRowPanel([FieldPanel("name"), FieldPanel("title")]),
              FieldRowPanel([FieldPanel("email"), FieldPanel("phone")]), FieldPanel("phone_description")]

    def clean(self):
        super().clean()
        if not (self.email or self.phone):
            raise ValidationError("Give an email address or a phone number for this contact.")


class CouncilSelect(forms.Select):
    """The councils the directory has postcodes for, by name, read when the form is drawn (a
    council's postcodes may be loaded after the server starts; `loaded_authorities` keeps the
    list in the cache until the next load); a stored council no longer loaded is still shown, so
    opening an old listing never changes it."""

    def optgroups(self, name, value, attrs=None):
        loaded = set(loaded_authorities())
        loaded.update(code for code in value if code)
        councils = sorted(((authorities.name_of(code), code) for code in loaded if code), key=lambda pair: pair[0])
        self.choices = [("", "Choose a council"), *((code, name) for name, code in councils)]
        return super().optgroups(name, value, attrs)


class ServiceArea(Orderable):
    """Where people must live to use the service: everywhere, one local authority, or near a point.

    A service open to people in several councils has one area per council, so each is a row of
    its own (one ONS code, one Open Referral `service_area` with its geography's URI).
    """

    class Extent(models.TextChoices):
        NATIONAL = "national", "The whole country"
        LOCAL_AUTHORITIES = "local_authorities", "A local authority"
        RADIUS = "radius", "Within a distance of a postcode"

    service = ParentalKey(Service, on_delete=models.CASCADE, related_name="service_areas")
    public_id = models.UUIDField(default=uuid.uuid4, editable=False)
    extent = models.CharField(max_length=20, choices=Extent.choices, default=Extent.LOCAL_AUTHORITIES)
    local_authority = models.CharField(
        max_length=9, blank=True, help_text="The council's ONS code, e.g. E06000036 for Bracknell Forest."
    )
    centre_postcode = models.CharField(max_length=10, blank=True)
    radius_miles = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True,
                                       validators=[MinValueValidator(Decimal("0.1"))])
    latitude = models.FloatField(null=True, blank=True, editable=False)
    longitude = models.FloatField(null=True, blank=True, editable=False)
    description = models.CharField(max_length=200, blank=True, help_text="How the area is described to people.")

    # Editors choose councils by name; the ONS code the postcodes carry is stored.
    panels = [FieldPanel("extent"),
              FieldPanel("local_authority", widget=CouncilSelect, heading="Local authority",
                         help_text="For a service open to people in several councils, add an area for each."),
              FieldRowPanel([FieldPanel("centre_postcode"), FieldPanel("radius_miles")]), FieldPanel("description")]

    def clean_fields(self, exclude=None):
        """A council typed by name or code (an import, the demo) is stored as its code, before the
        field's own checks; the editor's list posts the code."""
        if self.extent == self.Extent.LOCAL_AUTHORITIES and "local_authority" not in (exclude or ()):
            typed = (self.local_authority or "").strip()
            if not typed:
                raise ValidationError({"local_authority": "Choose a local authority, for example Bracknell Forest."})
            codes, unrecognised = authorities.codes_in(typed)
            if unrecognised or len(codes) != 1:
                raise ValidationError({"local_authority": (
                    f"We do not recognise “{typed}” as one local authority. Choose the council, for example "
                    "Bracknell Forest, and add an area for each other council.")})
            self.local_authority = codes[0]
        super().clean_fields(exclude)

    def clean(self):
        super().clean()
        from search.models import Postcode

        if self.extent == self.Extent.LOCAL_AUTHORITIES and authorities.is_code(self.local_authority):
            code = self.local_authority
            # Only councils with postcodes loaded: no one elsewhere could be matched to the area.
            if not Postcode.objects.filter(local_authority=code).exists():
                if authorities.name_of(code) == code:
                    raise ValidationError({"local_authority": f"Unknown local authority code: {code}."})
                raise ValidationError({"local_authority": (
                    f"The directory does not cover {authorities.name_of(code)} yet: no postcodes are loaded there.")})
        elif self.extent == self.Extent.RADIUS:
            if self.radius_miles is None:
                raise ValidationError({"radius_miles": "Enter the distance in miles."})
            try:
                place = lookup_postcode(self.centre_postcode)
            except PostcodeError as error:
                raise ValidationError({"centre_postcode": error.message}) from None
            self.centre_postcode = place.postcode
            self.latitude, self.longitude = place.latitude, place.longitude

    @property
    def codes(self) -> list[str]:
        """The area's local authority as a list: [] for the other extents."""
        if self.extent != self.Extent.LOCAL_AUTHORITIES or not self.local_authority:
            return []
        return [self.local_authority]
