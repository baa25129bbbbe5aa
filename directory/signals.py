"""Signal receivers of the directory; DirectoryConfig.ready() imports this module to connect them."""

from django.dispatch import receiver
from wagtail.signals import page_published

from .freshness import mark_reviewed
from .models import Service


@receiver(page_published, sender=Service, dispatch_uid="directory.published_service_counts_as_reviewed")
def published_service_counts_as_reviewed(sender, instance, revision=None, alias=False, **kwargs):
    """Publishing a listing (an approved edit, or a moderator's own) counts as a review of it."""
    if alias:  # an alias shares its original's content, whose own publication already counted
        return
    mark_reviewed(instance, by=getattr(revision, "user", None))


@receiver(page_published, sender=Service, dispatch_uid="directory.published_venues_share_their_ids")
def published_venues_share_their_ids(sender, instance, revision=None, alias=False, **kwargs):
    """A listing's venues become public when it is published: each takes the id of the place it is."""
    from .venues import share_location_ids  # which imports the models, as this module's callers do

    share_location_ids(instance)
