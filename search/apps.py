from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "Search"

    def ready(self):
        # Wiring kept here so that search.outbox knows nothing of Celery (search.tasks imports it).
        from django.core.signals import request_finished

        from . import access_logs, outbox, tasks

        outbox.changes_committed.connect(tasks.queue_drain, dispatch_uid="search-queue-drain")
        request_finished.connect(tasks.drain_if_stuck, dispatch_uid="search-drain-if-stuck")
        access_logs.install()
