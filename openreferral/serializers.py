"""The directory's records as HSDS-UK 3.0 objects (Open Referral UK), read-only.

Field names and shapes follow the compiled profile (https://openreferraluk.org/specifications/3.0/).
A value the directory does not hold is left out rather than sent empty (an empty `url` or
`email` would break its format), except the fields the profile requires. A few HSDS 3.0 fields
the UK profile leaves out are added where the directory has them (contacts' `email` and
`phones`, a service's and an organisation's `phones`, a language's `name` and `code`, a taxonomy
term's `code`, a service area's `description`): the profile allows more than it names. Ids: see
`openreferral.ids`.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from directory.models import ServiceArea, ServiceLocation
from directory.presentation import area_in_words, schedule_in_words
from search.authorities import name_of
from search.forms import ACCESSIBILITY_LABELS

from .ids import derived

VERSION = "HSDS-UK-3.0"
PROFILE_URL = "https://github.com/OpenReferralUK/uk-profile/blob/main/docs/index.md"
ONS_GEOGRAPHY = "http://statistics.data.gov.uk/id/statistical-geography/"

# The Org-id.guide list a charity number belongs to, by its prefix; England and Wales otherwise.
_CHARITY_SCHEMES = (("SC", "GB-SC"), ("NIC", "GB-NIC"))


class HSDSSerializer(serializers.Serializer):
    """Leaves out values the directory does not hold (None or ""), except the required fields."""

    def to_representation(self, instance):
        data = super().to_representation(instance)
        required = {name for name, field in self.fields.items() if field.required}
        return {key: value for key, value in data.items() if key in required or value not in (None, "")}


def optional(field_class, **kwargs):
    return field_class(required=False, **kwargs)


# --- Taxonomy ------------------------------------------------------------------------------------

class TaxonomySerializer(HSDSSerializer):
    id = serializers.UUIDField(source="public_id")
    name = serializers.CharField()
    description = serializers.CharField()
    uri = optional(serializers.URLField)
    version = optional(serializers.CharField)


class TaxonomyTermSerializer(HSDSSerializer):
    id = serializers.UUIDField(source="public_id")
    name = serializers.CharField()
    description = serializers.CharField()
    code = optional(serializers.CharField)
    term = optional(serializers.CharField, source="name")
    parent_id = optional(serializers.UUIDField, source="parent.public_id")
    taxonomy = optional(serializers.CharField, source="taxonomy.name")
    taxonomy_id = optional(serializers.UUIDField, source="taxonomy.public_id")


class TaxonomyWithTermsSerializer(TaxonomySerializer):
    taxonomy_terms = TaxonomyTermSerializer(many=True, required=False, source="terms.all")


class AttributeSerializer(HSDSSerializer):
    """A taxonomy term given to a record (HSDS `attribute`)."""

    id = serializers.UUIDField()
    link_id = optional(serializers.UUIDField)
    link_entity = optional(serializers.CharField)
    taxonomy_term_id = optional(serializers.UUIDField, source="taxonomy_term.public_id")
    taxonomy_term = TaxonomyTermSerializer(required=False)


# --- Organisation --------------------------------------------------------------------------------

class OrganizationIdentifierSerializer(HSDSSerializer):
    id = serializers.UUIDField()
    organization_id = optional(serializers.UUIDField)
    identifier_scheme = optional(serializers.CharField)
    identifier_type = serializers.CharField()
    identifier = serializers.CharField()


class PhoneSerializer(HSDSSerializer):
    id = serializers.UUIDField()
    service_id = optional(serializers.UUIDField)
    organization_id = optional(serializers.UUIDField)
    contact_id = optional(serializers.UUIDField)
    number = serializers.CharField()
    description = optional(serializers.CharField)


class OrganizationSerializer(HSDSSerializer):
    """An organisation's own fields, as lists and nested services carry it."""

    id = serializers.UUIDField(source="public_id")
    name = serializers.CharField(source="title")
    description = serializers.CharField()
    email = optional(serializers.EmailField)
    website = optional(serializers.URLField)
    organization_identifiers = serializers.SerializerMethodField()
    phones = serializers.SerializerMethodField()

    @extend_schema_field(OrganizationIdentifierSerializer(many=True))
    def get_organization_identifiers(self, organisation) -> list:
        number = organisation.charity_number.strip()
        if not number:
            return []
        scheme = next((s for prefix, s in _CHARITY_SCHEMES if number.upper().startswith(prefix)), "GB-CHC")
        identifier = {"id": derived(organisation.public_id, "charity_number"),
                      "organization_id": organisation.public_id, "identifier_scheme": scheme,
                      "identifier_type": "Charity number", "identifier": number}
        return OrganizationIdentifierSerializer([identifier], many=True).data

    @extend_schema_field(PhoneSerializer(many=True))
    def get_phones(self, organisation) -> list:
        if not organisation.phone.strip():
            return []
        phone = {"id": derived(organisation.public_id, "phone"), "organization_id": organisation.public_id,
                 "number": organisation.phone.strip()}
        return PhoneSerializer([phone], many=True).data


# --- Where ---------------------------------------------------------------------------------------

class AddressSerializer(HSDSSerializer):
    id = serializers.UUIDField()
    location_id = optional(serializers.UUIDField)
    address_1 = serializers.CharField(allow_blank=True)
    city = serializers.CharField(allow_blank=True)
    state_province = serializers.CharField(allow_blank=True)
    postal_code = serializers.CharField(allow_blank=True)
    country = serializers.CharField()
    address_type = serializers.ChoiceField(choices=ServiceLocation.LocationType.values)


class AccessibilitySerializer(HSDSSerializer):
    id = serializers.UUIDField()
    location_id = optional(serializers.UUIDField)
    description = optional(serializers.CharField)
    details = optional(serializers.CharField)


class LocationSerializer(HSDSSerializer):
    """A venue (the directory keeps one per service: see `openreferral.ids`).

    A confidential venue (a refuge, a safe house) has no field of its own in Open Referral: it is
    sent with its postcode district as the postal code, an empty street and town, no name and no
    point, and a description saying the address is given on contact.
    """

    id = serializers.UUIDField(source="location_id")
    location_type = serializers.ChoiceField(choices=ServiceLocation.LocationType.values)
    name = optional(serializers.CharField)
    description = serializers.SerializerMethodField()
    latitude = optional(serializers.FloatField)
    longitude = optional(serializers.FloatField)
    addresses = serializers.SerializerMethodField()
    accessibility = serializers.SerializerMethodField()

    def to_representation(self, location):
        data = super().to_representation(location)
        if location.confidential:
            for withheld in ("name", "latitude", "longitude"):
                data.pop(withheld, None)
        return data

    @extend_schema_field(serializers.CharField(required=False))
    def get_description(self, location) -> str | None:
        return location.WITHHELD_ADDRESS if location.confidential else None

    @extend_schema_field(AddressSerializer(many=True))
    def get_addresses(self, location) -> list:
        if location.location_type == ServiceLocation.LocationType.VIRTUAL:
            return []
        address = {"id": derived(location.location_id, "address"), "location_id": location.location_id,
                   "address_1": location.address_1, "city": location.city, "state_province": "",
                   "postal_code": location.postcode, "country": "GB", "address_type": location.location_type}
        if location.confidential:
            address.update(address_1="", city="", postal_code=location.district)
        return AddressSerializer([address], many=True).data

    @extend_schema_field(AccessibilitySerializer(many=True))
    def get_accessibility(self, location) -> list:
        # Ids from the feature (the model's field), so rewording a label never changes one.
        features = [{"id": derived(location.location_id, f"accessibility/{feature.value}"),
                     "location_id": location.location_id, "description": label}
                    for feature, label in ACCESSIBILITY_LABELS.items() if getattr(location, feature.value)]
        if location.accessibility_notes.strip():
            features.append({"id": derived(location.location_id, "accessibility/notes"),
                             "location_id": location.location_id, "details": location.accessibility_notes.strip()})
        return AccessibilitySerializer(features, many=True).data


class ServiceAtLocationInServiceSerializer(HSDSSerializer):
    """A venue of the service, as the service carries it."""

    id = serializers.UUIDField(source="service_at_location_id")
    service_id = optional(serializers.UUIDField, source="service.public_id")
    location_id = optional(serializers.UUIDField)
    location = LocationSerializer(source="*", required=False)


# --- Service -------------------------------------------------------------------------------------

class ScheduleSerializer(HSDSSerializer):
    id = serializers.UUIDField(source="public_id")
    service_id = optional(serializers.UUIDField, source="service.public_id")
    freq = optional(serializers.ChoiceField, choices=["WEEKLY", "MONTHLY"])
    interval = serializers.SerializerMethodField()
    byday = optional(serializers.CharField, source="ical_byday")
    opens_at = optional(serializers.TimeField)
    closes_at = optional(serializers.TimeField)
    valid_from = optional(serializers.DateField)
    valid_to = optional(serializers.DateField)
    description = serializers.SerializerMethodField()
    notes = optional(serializers.CharField)

    def get_interval(self, schedule) -> int:
        return 1  # every week, or every month on the nth weekday

    def get_description(self, schedule) -> str:
        return schedule_in_words(schedule)


class CostOptionSerializer(HSDSSerializer):
    id = serializers.UUIDField()
    service_id = optional(serializers.UUIDField)
    option = optional(serializers.CharField)
    amount = optional(serializers.FloatField)
    amount_description = optional(serializers.CharField)


class ContactSerializer(HSDSSerializer):
    id = serializers.UUIDField(source="public_id")
    service_id = optional(serializers.UUIDField, source="service.public_id")
    name = optional(serializers.CharField)
    title = optional(serializers.CharField)
    email = optional(serializers.EmailField)
    phones = serializers.SerializerMethodField()

    @extend_schema_field(PhoneSerializer(many=True))
    def get_phones(self, contact) -> list:
        return PhoneSerializer(_contact_phones(contact), many=True).data


def _contact_phones(contact) -> list[dict]:
    if not contact.phone.strip():
        return []
    return [{"id": derived(contact.public_id, "phone"), "contact_id": contact.public_id,
             "service_id": contact.service.public_id, "number": contact.phone.strip(),
             "description": contact.phone_description}]


class ServiceAreaSerializer(HSDSSerializer):
    id = serializers.UUIDField(source="public_id")
    service_id = optional(serializers.UUIDField, source="service.public_id")
    name = serializers.SerializerMethodField()
    description = serializers.SerializerMethodField()  # HSDS 3.0's; the UK profile leaves it out but allows it
    extent_type = serializers.SerializerMethodField()
    extent = serializers.SerializerMethodField()
    uri = serializers.SerializerMethodField()

    def get_name(self, area) -> str:
        """The council's name for an area of a local authority ("Bracknell Forest"), whatever the
        editor wrote about it, which goes in `description`."""
        if area.extent == ServiceArea.Extent.LOCAL_AUTHORITIES and area.codes:
            return name_of(area.local_authority)
        return area_in_words(area)

    @extend_schema_field(serializers.CharField(required=False))
    def get_description(self, area) -> str:
        """The editor's description, or the area in words when they wrote none."""
        return area_in_words(area)

    def get_extent_type(self, area) -> str:
        return "text"

    def get_extent(self, area) -> str:
        return area_in_words(area)

    @extend_schema_field(serializers.URLField(required=False))
    def get_uri(self, area) -> str | None:
        """The ONS statistical geography of an area of a local authority."""
        if area.extent == ServiceArea.Extent.LOCAL_AUTHORITIES and area.codes:
            return ONS_GEOGRAPHY + area.local_authority
        return None


class LanguageSerializer(HSDSSerializer):
    id = serializers.UUIDField()
    service_id = optional(serializers.UUIDField)
    name = optional(serializers.CharField)
    code = optional(serializers.CharField)


class ServiceSerializer(HSDSSerializer):
    """A service's own fields and its organisation, as lists carry it."""

    id = serializers.UUIDField(source="public_id")
    organization_id = serializers.SerializerMethodField()
    name = serializers.CharField(source="title")
    description = optional(serializers.CharField)
    url = serializers.SerializerMethodField()
    email = optional(serializers.EmailField)
    status = serializers.ChoiceField(choices=["active", "inactive", "defunct", "temporarily closed"])
    fees = optional(serializers.CharField, source="fees_description")
    alert = optional(serializers.CharField)
    minimum_age = optional(serializers.IntegerField)
    maximum_age = optional(serializers.IntegerField)
    assured_date = serializers.SerializerMethodField()
    last_modified = optional(serializers.DateTimeField, source="last_published_at")
    organization = serializers.SerializerMethodField()

    def organisation(self, service):
        return self.context["organisations"][service.path[:-service.steplen]]

    @extend_schema_field(serializers.UUIDField(required=False))
    def get_organization_id(self, service):
        return self.organisation(service).public_id

    @extend_schema_field(serializers.URLField(required=False))
    def get_url(self, service) -> str:
        """The service's own website, else its permanent page in this directory."""
        if service.website:
            return service.website
        return reverse("directory:service_permalink", args=[service.public_id], request=self.context["request"])

    @extend_schema_field(serializers.DateField(required=False))
    def get_assured_date(self, service):
        """When the listing was last confirmed as correct (never who confirmed it)."""
        freshness = getattr(service, "freshness", None)
        return freshness.last_reviewed_at.date().isoformat() if freshness else None

    @extend_schema_field(OrganizationSerializer(required=False))
    def get_organization(self, service) -> dict:
        return OrganizationSerializer(self.organisation(service), context=self.context).data


class MinimalServiceSerializer(HSDSSerializer):
    id = serializers.UUIDField(source="public_id")
    name = serializers.CharField(source="title")
    status = serializers.ChoiceField(choices=["active", "inactive", "defunct", "temporarily closed"])
    last_modified = optional(serializers.DateTimeField, source="last_published_at")


class FullServiceSerializer(ServiceSerializer):
    """A service with everything the directory holds about it."""

    schedules = ScheduleSerializer(many=True, required=False, source="schedules.all")
    service_areas = ServiceAreaSerializer(many=True, required=False, source="service_areas.all")
    service_at_locations = ServiceAtLocationInServiceSerializer(many=True, required=False, source="locations.all")
    languages = serializers.SerializerMethodField()
    cost_options = serializers.SerializerMethodField()
    contacts = ContactSerializer(many=True, required=False, source="contacts.all")
    phones = serializers.SerializerMethodField()
    attributes = serializers.SerializerMethodField()

    @extend_schema_field(LanguageSerializer(many=True))
    def get_languages(self, service) -> list:
        return LanguageSerializer([
            {"id": derived(service.public_id, f"language/{language.code}"), "service_id": service.public_id,
             "name": language.name, "code": language.code}
            for language in service.languages.all()
        ], many=True).data

    @extend_schema_field(CostOptionSerializer(many=True))
    def get_cost_options(self, service) -> list:
        options = [{"id": option.public_id, "service_id": service.public_id, "option": option.option,
                    "amount": option.amount, "amount_description": option.amount_description}
                   for option in service.cost_options.all()]
        if service.is_free and not options:
            options = [{"id": derived(service.public_id, "cost_option/free"), "service_id": service.public_id,
                        "option": "Free", "amount": 0}]
        return CostOptionSerializer(options, many=True).data

    @extend_schema_field(PhoneSerializer(many=True))
    def get_phones(self, service) -> list:
        return PhoneSerializer([phone for contact in service.contacts.all() for phone in _contact_phones(contact)],
                               many=True).data

    @extend_schema_field(AttributeSerializer(many=True))
    def get_attributes(self, service) -> list:
        return AttributeSerializer([
            {"id": derived(service.public_id, f"attribute/{term.public_id}"), "link_id": service.public_id,
             "link_entity": "service", "taxonomy_term": term}
            for term in service.categories.all()
        ], many=True).data


# --- Service at location -------------------------------------------------------------------------

class ServiceAtLocationSerializer(HSDSSerializer):
    """A service at one of its venues, with the service's own fields (lists)."""

    id = serializers.UUIDField(source="service_at_location_id")
    service_id = optional(serializers.UUIDField, source="service.public_id")
    location_id = optional(serializers.UUIDField)
    location = LocationSerializer(source="*", required=False)
    service = ServiceSerializer(required=False)


class FullServiceAtLocationSerializer(ServiceAtLocationSerializer):
    service = FullServiceSerializer(required=False)


# --- Organisation with its services --------------------------------------------------------------

class FullOrganizationSerializer(OrganizationSerializer):
    services = serializers.SerializerMethodField()

    @extend_schema_field(ServiceSerializer(many=True))
    def get_services(self, organisation) -> list:
        services = self.context["services_by_organisation"][organisation.path]
        serializer = FullServiceSerializer if self.context.get("full_service") else ServiceSerializer
        context = {**self.context, "organisations": {organisation.path: organisation}}
        return serializer(services, many=True, context=context).data


class ApiDetailsSerializer(serializers.Serializer):
    version = serializers.CharField()
    profile = serializers.URLField()
    openapi_url = serializers.URLField()
