"""Wagtail admin registration for the directory."""

from wagtail import hooks

from .admin import claims, feedback


@hooks.register("register_admin_viewset")
def register_directory_viewsets():
    return [*feedback.viewsets, *claims.viewsets]
