"""What a web process holds: every page it serves pays for each object in a full garbage collection.

The Open Referral importer checks records with `jsonschema`, which builds a parser for IRIs at
import (about 200,000 objects). Loaded by the admin's URLs, it made every full collection of every
web process take twice as long (81 against 150 ms), a pause in whichever request met it. Only an
import needs it, and an import runs in the command, a Celery worker or the moderator's own request.
"""

import subprocess
import sys
import textwrap

from django.conf import settings

# Loaded by the importer's schema check, never by serving pages.
IMPORT_ONLY = ("jsonschema", "jsonschema_rs", "rfc3987_syntax", "lark")


PAGES = ("/", "/search/?q=walking", "/openreferral/services?full=true")


def test_serving_pages_does_not_load_the_importers_schema_checker(tmp_path):
    # A process of its own: this one has loaded them for the importer's tests.
    script = textwrap.dedent(f"""
        import os, sys, warnings
        warnings.filterwarnings("ignore")
        import django
        django.setup()
        from django.core.management import call_command
        call_command("migrate", verbosity=0)
        from django.test import Client
        from django.urls import get_resolver
        get_resolver().url_patterns  # every URL, the admin's included
        for path in {PAGES!r}:
            response = Client(HTTP_HOST="localhost").get(path)
            assert response.status_code == 200, (path, response.status_code)
        print(",".join(name for name in {IMPORT_ONLY!r} if name in sys.modules))
    """)
    env = {"DJANGO_SETTINGS_MODULE": settings.SETTINGS_MODULE, "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
           "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=300,
                          cwd=settings.BASE_DIR)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip().splitlines()[-1:] in ([], [""]), done.stdout
