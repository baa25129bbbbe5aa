"""Celery tasks of the Open Referral UK import; each calls the importer and holds no logic of its own."""

from celery import shared_task


@shared_task(name="openreferral.tasks.import_feed")
def import_feed(run_id: int) -> dict[str, int | str]:
    """Carry out the waiting import run `run_id` (started from the admin or `manage.py import_openreferral`)."""
    from .importer.run import run_import
    from .models import ImportRun

    run = run_import(ImportRun.objects.select_related("source").get(pk=run_id))
    return {"status": run.status, **run.counts()}
