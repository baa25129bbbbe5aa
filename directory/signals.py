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
