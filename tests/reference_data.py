"""Put back the rows data migrations create, after a transactional test has flushed the tables.

pytest-django empties every table after a `transaction=True` test (browser and Celery tests), which
also removes what migrations seeded: Wagtail's root page, default Site, Locale and root
Collection, our role groups and the needs/activities vocabulary (and, with some flushes, the
content types). Later transactional tests need
them, so they are restored here, using the migrations' own seeding functions where we own them.
"""

from importlib import import_module

from django.apps import apps
from django.conf import settings
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Collection, Locale, Page, Site

_SEEDS = (
    ("portal.accounts.migrations.0002_role_groups", "create_groups"),
    ("directory.migrations.0002_seed_vocabulary", "seed"),
)


def restore_reference_data() -> None:
    # A flush may have emptied the content types (recreated under new ids, or not at all when the
    # test inhibited post_migrate): forget the cached ids and make sure every model has its row.
    from django.contrib.contenttypes.management import create_contenttypes
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    for app_config in apps.get_app_configs():
        create_contenttypes(app_config, verbosity=0)
    locale, _ = Locale.objects.get_or_create(language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE))
    if not Collection.objects.exists():
        Collection.add_root(name="Root")
    if not Page.objects.exists():
        root = Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
        home = root.add_child(instance=Page(title="Welcome", slug="home", locale=locale))
        Site.objects.create(hostname="localhost", root_page=home, is_default_site=True)
    for module, function in _SEEDS:
        getattr(import_module(module), function)(apps, None)
