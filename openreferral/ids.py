"""The ids the API publishes: the records' own public UUIDs, and uuid5s for the parts that have none.

Organisations, services, venues (location and service_at_location), schedules, cost options,
contacts, service areas, taxonomies and taxonomy terms carry a random UUID of their own
(`public_id`, `location_id`, `service_at_location_id`), given once when the row is made and
never reused: those are the ids, and the /{id} routes accept them. Objects the models keep as
fields of another record (a venue's address and accessibility features, a contact's phone, an
organisation's charity number, the link between a service and a taxonomy term or a language,
the price of a free service) get a uuid5 of their parent's UUID and what they are, under
NAMESPACE, so they are the same in every response and on every server.
"""

import uuid

# Fixed for ever: changing it would change every derived id consumers hold.
NAMESPACE = uuid.UUID("fafe4d2e-a0df-4b9e-b512-dad757607a9d")


def derived(parent: uuid.UUID | str, what: str) -> uuid.UUID:
    """The id of `what` belonging to the record `parent`, e.g. derived(location_id, "address")."""
    return uuid.uuid5(NAMESPACE, f"{parent}/{what}")


def parse(value: str) -> uuid.UUID | None:
    """A UUID from a path or a parameter, or None when it is not one (so nothing can match)."""
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None
