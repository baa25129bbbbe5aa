"""Schema.org descriptions of listings as JSON-LD, so search engines and other directories can read them.

The builders return plain dicts; `json_ld_script` renders one with the same escaping as Django's
`json_script`, so nothing in a listing (a name containing `</script>`, say) can end the element.
"""

from urllib.parse import urljoin

from django.urls import reverse
from django.utils.html import json_script
from django.utils.safestring import SafeString, mark_safe

from .fields import WEEKDAYS
from .models.services import ServiceStatus
from .presentation import accessibility_features, area_in_words, schedule_in_words

SCHEMA_ORG = "https://schema.org"
_DAY_URIS = {code: f"{SCHEMA_ORG}/{name}" for code, name in WEEKDAYS}
_METRES_PER_MILE = 1609.344


def service_permalink(service) -> str:
    return reverse("directory:service_permalink", kwargs={"public_id": service.public_id})


def organisation_permalink(organisation) -> str:
    return reverse("directory:organisation_permalink", kwargs={"public_id": organisation.public_id})


def json_ld_script(data: dict) -> SafeString:
    """`<script type="application/ld+json">`, escaped exactly as Django's `json_script` escapes."""
    html = json_script(data)
    return mark_safe(html.replace('type="application/json"', 'type="application/ld+json"', 1))


def organisation_json_ld(organisation, *, base_url: str) -> dict:
    """A schema.org Organization; its `@id` and `url` are the permalink, which survives renaming."""
    data = {"@context": SCHEMA_ORG, **_organisation_reference(organisation, base_url)}
    data["description"] = organisation.description
    if organisation.email:
        data["email"] = organisation.email
    if organisation.phone:
        data["telephone"] = organisation.phone
    if organisation.website:
        data["sameAs"] = [organisation.website]
    if organisation.charity_number:
        data["identifier"] = {"@type": "PropertyValue", "propertyID": "Registered charity number",
                              "value": organisation.charity_number}
    return data


def service_json_ld(service, *, base_url: str) -> dict:
    """A schema.org Service with its provider, places, hours, prices, audience and area served."""
    url = urljoin(base_url, service_permalink(service))
    data = {
        "@context": SCHEMA_ORG,
        "@type": "Service",
        "@id": url,
        "url": url,
        "name": service.title,
        "description": service.description,
        "provider": _organisation_reference(service.organisation, base_url),
        "availableChannel": _channels(service),
        "offers": _offers(service),
        "audience": _audience(service),
    }
    # Opening hours say when it is available: while it is temporarily closed, it is not.
    if service.status != ServiceStatus.TEMPORARILY_CLOSED:
        data["hoursAvailable"] = [_opening_hours(schedule) for schedule in service.schedules.all()]
    areas = [_area(area) for area in service.service_areas.all()]
    if areas:
        data["areaServed"] = areas
    categories = [term.name for term in service.categories.all()]
    if categories:
        data["category"] = categories
    languages = [{"@type": "Language", "name": language.name, "alternateName": language.code}
                 for language in service.languages.all()]
    if languages:
        data["availableLanguage"] = languages
    if service.last_published_at:
        data["dateModified"] = service.last_published_at.isoformat()
    return data


def _organisation_reference(organisation, base_url: str) -> dict:
    url = urljoin(base_url, organisation_permalink(organisation))
    return {"@type": "Organization", "@id": url, "url": url, "name": organisation.title}


def _channels(service) -> list[dict]:
    channels = []
    for location in service.locations.all():
        if location.location_type == "virtual":
            continue
        name = f"{location.district} area" if location.confidential else location.name or str(location)
        channels.append({"@type": "ServiceChannel", "name": name, "serviceLocation": _place(location)})
    if service.online:
        online = {"@type": "ServiceChannel", "name": "Online"}
        if service.website:
            online["serviceUrl"] = service.website
        channels.append(online)
    phones = [contact.phone for contact in service.contacts.all() if contact.phone]
    if service.by_phone and phones:
        channels.append({"@type": "ServiceChannel", "name": "By phone",
                         "servicePhone": {"@type": "ContactPoint", "telephone": phones[0]}})
    return channels


def _place(location) -> dict:
    if location.confidential:
        return _confidential_place(location)
    place = {
        "@type": "Place",
        "address": {
            "@type": "PostalAddress",
            "streetAddress": location.address_1,
            "addressLocality": location.city,
            "postalCode": location.postcode,
            "addressCountry": "GB",
        },
    }
    if location.name:
        place["name"] = location.name
    if location.latitude is not None and location.longitude is not None:
        place["geo"] = {"@type": "GeoCoordinates", "latitude": location.latitude, "longitude": location.longitude}
    return _with_amenities(place, location)


def _confidential_place(location) -> dict:
    """A refuge or safe house: its postcode district, and no name, street, town or point."""
    place = {
        "@type": "Place",
        "address": {"@type": "PostalAddress", "postalCode": location.district, "addressCountry": "GB"},
        "description": location.WITHHELD_ADDRESS,
    }
    return _with_amenities(place, location)


def _with_amenities(place: dict, location) -> dict:
    amenities = [{"@type": "LocationFeatureSpecification", "name": label, "value": True}
                 for label in accessibility_features(location)]
    if amenities:
        place["amenityFeature"] = amenities
    return place


def _opening_hours(schedule) -> dict:
    hours = {
        "@type": "OpeningHoursSpecification",
        "dayOfWeek": [_DAY_URIS[code] for code in schedule.byday.split(",") if code in _DAY_URIS],
        "opens": schedule.opens_at.strftime("%H:%M"),
        "closes": schedule.closes_at.strftime("%H:%M"),
        # OpeningHoursSpecification cannot say "second Tuesday of the month": the words can.
        "description": schedule_in_words(schedule),
    }
    if schedule.valid_from:
        hours["validFrom"] = schedule.valid_from.isoformat()
    if schedule.valid_to:
        hours["validThrough"] = schedule.valid_to.isoformat()
    return hours


def _offers(service) -> list[dict]:
    if service.is_free:
        return [{"@type": "Offer", "price": "0", "priceCurrency": "GBP", "isAccessibleForFree": True}]
    offers = [{"@type": "Offer", "name": option.option, "price": f"{option.amount:.2f}", "priceCurrency": "GBP",
               "isAccessibleForFree": False, **({"description": option.amount_description}
                                                if option.amount_description else {})}
              for option in service.cost_options.all()]
    return offers or [{"@type": "Offer", "isAccessibleForFree": False, "description": service.fees_description}]


def _audience(service) -> dict:
    audience = {"@type": "PeopleAudience"}
    if service.minimum_age:
        audience["suggestedMinAge"] = service.minimum_age
    if service.maximum_age is not None:
        audience["suggestedMaxAge"] = service.maximum_age
    if service.eligibility_description:
        audience["audienceType"] = service.eligibility_description
    return audience


def _area(area) -> dict:
    if area.extent == "national":
        return {"@type": "Country", "name": "United Kingdom", "identifier": "GB"}
    if area.extent == "radius" and area.latitude is not None:
        return {
            "@type": "GeoCircle",
            "geoMidpoint": {"@type": "GeoCoordinates", "latitude": area.latitude, "longitude": area.longitude},
            "geoRadius": round(float(area.radius_miles) * _METRES_PER_MILE),
            **({"description": area.description} if area.description else {}),
        }
    return {"@type": "AdministrativeArea", "identifier": area.local_authority, "name": area_in_words(area)}
