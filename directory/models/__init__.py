"""Directory models, following Open Referral UK (HSDS-UK 3.0) so the API can serialise without translation."""

from .feedback import ActivitySuggestion, ProblemReport
from .freshness import ListingFreshness
from .organisations import DirectoryIndexPage, Invitation, Organisation, OrganisationClaim, OrganisationMembership
from .services import ContactPoint, CostOption, Schedule, Service, ServiceArea, ServiceLocation
from .taxonomy import Language, Taxonomy, TaxonomyTerm

__all__ = [
    "ActivitySuggestion",
    "ContactPoint",
    "CostOption",
    "DirectoryIndexPage",
    "Invitation",
    "Language",
    "ListingFreshness",
    "Organisation",
    "OrganisationClaim",
    "OrganisationMembership",
    "ProblemReport",
    "Schedule",
    "Service",
    "ServiceArea",
    "ServiceLocation",
    "Taxonomy",
    "TaxonomyTerm",
]
