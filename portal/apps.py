from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Portal"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from . import checks  # noqa: F401  (registers system checks)
        from .csp import give_chooser_scripts_the_nonce
        from .middleware import start_session_clock

        # Wagtail's chooser widgets start with an inline script; it needs this request's CSP nonce.
        give_chooser_scripts_the_nonce()
        user_logged_in.connect(start_session_clock, dispatch_uid="portal.start_session_clock")
