"""Keep the search index in step with listings: every change writes an outbox row in its own transaction."""

from django.db.models.signals import pre_delete
from wagtail.signals import page_published, page_unpublished

from search import outbox

from .documents import is_searchable, search_document
from .models import Organisation, Service


def reindex_service(service: Service) -> None:
    """Record the service's current state for the index (or its removal if it is no longer findable)."""
    service = Service.objects.select_related("freshness").get(pk=service.pk)
    if is_searchable(service):
        outbox.enqueue_index(search_document(service))
    else:
        outbox.enqueue_delete(str(service.public_id))


def _service_published(sender, instance, **kwargs):
    reindex_service(instance)


def _organisation_published(sender, instance, **kwargs):
    # Documents carry the organisation's name.
    for service in Service.objects.child_of(instance).live():
        reindex_service(service)


def _service_gone(sender, instance, **kwargs):
    outbox.enqueue_delete(str(instance.public_id))


def connect() -> None:
    page_published.connect(_service_published, sender=Service, dispatch_uid="directory-index-published")
    page_unpublished.connect(_service_gone, sender=Service, dispatch_uid="directory-index-unpublished")
    pre_delete.connect(_service_gone, sender=Service, dispatch_uid="directory-index-deleted")
    page_published.connect(_organisation_published, sender=Organisation, dispatch_uid="directory-index-organisation")
