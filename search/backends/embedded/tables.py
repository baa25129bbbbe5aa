"""The names of one set of index tables: the live set searches read, and the next set a rebuild fills."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Tables:
    prefix: str

    @property
    def docs(self) -> str:
        """One row per document: what searches filter, sort and count by (see rows.py)."""
        return f"{self.prefix}_docs"

    @property
    def sources(self) -> str:
        """(doc, source): each document's JSON, apart so the rows searches scan stay small."""
        return f"{self.prefix}_sources"

    @property
    def venues(self) -> str:
        return f"{self.prefix}_venues"

    @property
    def authorities(self) -> str:
        """Service areas that are local authorities: (code, doc)."""
        return f"{self.prefix}_authorities"

    @property
    def circles(self) -> str:
        """Service areas that are a radius around a point."""
        return f"{self.prefix}_circles"

    @property
    def terms(self) -> str:
        """Every indexed word, for prefix checks and typo corrections."""
        return f"{self.prefix}_terms"

    # SQLite only: FTS5 text, and R*Tree boxes of venues and circles.
    @property
    def text(self) -> str:
        return f"{self.prefix}_text"

    @property
    def venue_boxes(self) -> str:
        return f"{self.prefix}_venue_boxes"

    @property
    def circle_boxes(self) -> str:
        return f"{self.prefix}_circle_boxes"


LIVE = Tables("search_embedded")
NEXT = Tables("search_embedded_next")  # being filled by a rebuild
OLD = Tables("search_embedded_old")  # only inside the swap transaction
