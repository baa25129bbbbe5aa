"""manage.py import_openreferral SOURCE: import an Open Referral UK feed (a URL or a file) as a Celery job."""

import time
from pathlib import Path
from urllib.parse import urlsplit

from django.core.management.base import BaseCommand, CommandError

from openreferral.importer.feeds import is_url
from openreferral.importer.run import record_done, start_import
from openreferral.models import COUNTS, ImportIssue, ImportRun
from openreferral.tasks import import_feed

SHOWN_ISSUES = 20


class Command(BaseCommand):
    help = ("Import an Open Referral UK feed (3.0, or the older 1.0 shape) from a URL or a file: a list of "
            "services, a /services page (followed page by page), NDJSON or one service. Importing the same "
            "feed again changes nothing; services gone from it become inactive.")

    def add_arguments(self, parser):
        parser.add_argument("source", help="The feed's URL or a path to a file holding it.")
        parser.add_argument("--source-name", help="Who publishes the feed, e.g. 'Bracknell Forest Council' "
                                                  "(default: the URL's host or the file's name).")

    def handle(self, *args, source, source_name=None, **options):
        location = source if is_url(source) else str(Path(source).resolve())
        if not is_url(source) and not Path(location).is_file():
            raise CommandError(f"There is no file at {source}, and it is not an http(s) URL.")
        name = source_name or (urlsplit(source).hostname if is_url(source) else Path(source).stem)
        run = start_import(source_name=name, location=location)
        self.stdout.write(f"Importing {source} as {run.source.name} (run {run.pk})")

        record_done.connect(self._draw, sender=ImportRun, dispatch_uid=f"import-command-{run.pk}")
        try:
            result = import_feed.delay(run.pk)
            if not result.ready():  # a worker has it: follow its progress in the database
                while not (run := ImportRun.objects.get(pk=run.pk)).is_done:
                    self._draw(run=run)
                    time.sleep(1)
        finally:
            record_done.disconnect(sender=ImportRun, dispatch_uid=f"import-command-{run.pk}")
        run = ImportRun.objects.get(pk=run.pk)
        self._draw(run=run)
        self.stdout.write("")
        self._report(run)
        if run.status == ImportRun.Status.FAILED:
            raise CommandError(run.message)

    def _draw(self, run, **kwargs):
        """One line redrawn in place: a bar when the feed says how many records it has, else a counter."""
        done = run.processed
        if run.total:
            width = 30
            filled = min(width, width * done // run.total)
            progress = f"[{'#' * filled}{'.' * (width - filled)}] {done}/{run.total}"
        else:
            progress = f"{done} records"
        counts = ", ".join(f"{getattr(run, name)} {name}" for name in COUNTS)
        self.stdout.write(f"\r{progress}  {counts}", ending="")
        self.stdout.flush()

    def _report(self, run: ImportRun) -> None:
        self.stdout.write(f"{run.get_status_display()}: read as Open Referral UK {run.feed_version or '?'}; "
                          + ", ".join(f"{getattr(run, name)} {name}" for name in COUNTS) + ".")
        issues = list(run.issues.all()[:SHOWN_ISSUES + 1])
        for issue in issues[:SHOWN_ISSUES]:
            label = "Skipped" if issue.level == ImportIssue.Level.ERROR else "Note"
            who = " ".join(part for part in (issue.record_id, f"({issue.record_name})" if issue.record_name else "")
                           if part) or "a record"
            self.stdout.write(f"  {label} {who}: {issue.message}")
        if len(issues) > SHOWN_ISSUES:
            self.stdout.write("  ... and more: see the import in the admin (Open Referral imports).")
