"""Rebuild the whole search index from the live directory, with a progress bar; searches keep working."""

import time

from django.core.management.base import BaseCommand, CommandError

from directory.documents import search_document, services_for_indexing
from directory.models import Organisation, Service
from search import outbox
from search.backends import get_backend


class Command(BaseCommand):
    help = "Rebuild the search index from every live, findable service (builds a new index, then swaps)."

    def handle(self, *args, **options):
        backend = get_backend()
        services = services_for_indexing()
        total = services.count()
        began = time.monotonic()

        def documents():
            # Read here, once the rebuild has started: what changes from then on is applied again.
            organisation_names = dict(Organisation.objects.values_list("path", "title"))
            for done, service in enumerate(services.iterator(chunk_size=500), start=1):
                parent_path = service.path[: -Service.steplen]
                yield search_document(service, organisation_name=organisation_names[parent_path])
                if done % 100 == 0 or done == total:
                    self._progress(done, total)

        # Changes published meanwhile reach the live index at once and the new one after the swap.
        try:
            outbox.rebuild(backend, documents())
        except outbox.RebuildRunning as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(
            f"\nIndexed {total} services in {time.monotonic() - began:.1f} s with {backend.name}."))

    def _progress(self, done: int, total: int) -> None:
        width = 40
        filled = int(width * done / total) if total else width
        self.stdout.write(f"\r[{'#' * filled}{'-' * (width - filled)}] {done}/{total}", ending="")
        self.stdout.flush()
