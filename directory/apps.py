from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "directory"
    verbose_name = "Directory"

    def ready(self) -> None:
        from . import indexing, signals  # noqa: F401  (signals connects its receivers on import)

        # After the freshness receiver, so an approved edit is indexed as freshly reviewed.
        indexing.connect()
