"""Keep the search index in step with listings: every change writes an outbox row in its own transaction."""

from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from wagtail.models import PageViewRestriction
from wagtail.signals import page_published, page_unpublished

from search import outbox

from .documents import is_searchable, search_document, services_for_indexing
from .models import Organisation, Service, TaxonomyTerm


def reindex_service(service: Service) -> None:
    """Record the service's current state for the index (or its removal if it is no longer findable)."""
    service = Service.objects.select_related("freshness").get(pk=service.pk)
    if is_searchable(service):
        outbox.enqueue_index(search_document(service))
    else:
        outbox.enqueue_delete(str(service.public_id))


def _service_published(sender, instance, **kwargs):
    reindex_service(instance)


def _organisation_changed(sender, instance, **kwargs):
    # Documents carry the organisation's name; taken down, its services leave the index.
    for service in Service.objects.child_of(instance).live():
        reindex_service(service)


def _view_restriction_changed(sender, instance, **kwargs):
    """A password or login put on (or taken off) a page hides (or shows) every listing at or below it."""
    page = instance.page
    for service in Service.objects.live().filter(path__startswith=page.path, depth__gte=page.depth):
        reindex_service(service)


def reindex_term_services(term: TaxonomyTerm) -> None:
    """Record afresh every findable service tagged with the term or a narrower one: their documents
    carry its name and lay synonyms (a narrower term's services carry the broader term's too)."""
    terms = [term.pk, *term.children.values_list("pk", flat=True)]
    tagged = Service.objects.filter(categories__in=terms).values("pk")
    for service in services_for_indexing().filter(pk__in=tagged):
        outbox.enqueue_index(search_document(service))


def _term_saving(sender, instance, raw=False, **kwargs):
    # What the documents say of the term before this save, to tell afterwards whether it changed.
    instance._indexed_as = None if raw or instance.pk is None else (
        TaxonomyTerm.objects.filter(pk=instance.pk).values_list("name", "lay_synonyms").first())


def _term_saved(sender, instance, created, raw=False, **kwargs):
    """A term renamed, or given other lay synonyms, in the admin: both engines pick it up from the outbox."""
    if raw or created:
        return  # a new term has no services yet; fixtures are indexed by a rebuild
    if getattr(instance, "_indexed_as", None) != (instance.name, instance.lay_synonyms):
        reindex_term_services(instance)


def _service_gone(sender, instance, **kwargs):
    outbox.enqueue_delete(str(instance.public_id))


def connect() -> None:
    page_published.connect(_service_published, sender=Service, dispatch_uid="directory-index-published")
    page_unpublished.connect(_service_gone, sender=Service, dispatch_uid="directory-index-unpublished")
    pre_delete.connect(_service_gone, sender=Service, dispatch_uid="directory-index-deleted")
    page_published.connect(_organisation_changed, sender=Organisation, dispatch_uid="directory-index-organisation")
    page_unpublished.connect(_organisation_changed, sender=Organisation,
                             dispatch_uid="directory-index-organisation-unpublished")
    post_save.connect(_view_restriction_changed, sender=PageViewRestriction, dispatch_uid="directory-index-restricted")
    post_delete.connect(_view_restriction_changed, sender=PageViewRestriction,
                        dispatch_uid="directory-index-unrestricted")
    pre_save.connect(_term_saving, sender=TaxonomyTerm, dispatch_uid="directory-index-term-saving")
    post_save.connect(_term_saved, sender=TaxonomyTerm, dispatch_uid="directory-index-term-saved")
