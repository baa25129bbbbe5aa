"""The needs and activities vocabulary as plain data, for parts that must not import directory models."""

from .models import TaxonomyTerm


def search_vocabulary() -> list[tuple[str, str, str | None]]:
    """(code, name, parent code) for every taxonomy term; named by the SEARCH_VOCABULARY setting."""
    return [
        (term.code, term.name, term.parent.code if term.parent_id else None)
        for term in TaxonomyTerm.objects.select_related("parent", "taxonomy").order_by("taxonomy__name", "name")
    ]
