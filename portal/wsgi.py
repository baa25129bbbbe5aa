"""WSGI entry point (gunicorn portal.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.production")

application = get_wsgi_application()

from portal.startup import refuse_unsafe_database_state  # noqa: E402

refuse_unsafe_database_state()
