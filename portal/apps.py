from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Portal"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers system checks)
        from .csp import give_chooser_scripts_the_nonce

        # Wagtail's chooser widgets start with an inline script; it needs this request's CSP nonce.
        give_chooser_scripts_the_nonce()
