"""Wagtail admin views of the directory: each module lists the viewsets it adds."""
