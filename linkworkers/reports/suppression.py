"""Small-number suppression for published counts: a count of people too small to publish is shown as "<8",
every other count rounded to the nearest 5, and where a table prints its totals, a second cell is hidden
wherever the one hidden cell of a row or column could be worked out from the total.

Pure functions over plain numbers: the threshold and the rounding base come from settings
(REPORTS_SUPPRESS_BELOW, REPORTS_ROUND_TO) unless passed.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings

SUPPRESS_BELOW = 8
ROUND_TO = 5


def suppress_below() -> int:
    return getattr(settings, "REPORTS_SUPPRESS_BELOW", SUPPRESS_BELOW)


def round_to() -> int:
    return getattr(settings, "REPORTS_ROUND_TO", ROUND_TO)


def is_small(count: int, *, below: int | None = None) -> bool:
    """Whether a count is too small to publish: 1 up to the threshold (zero is published as 0)."""
    below = suppress_below() if below is None else below
    return 0 < count < below


def rounded(count: int, *, base: int | None = None) -> int:
    """The count to the nearest `base`, halves up (12 -> 10, 13 -> 15), as people read rounding."""
    base = round_to() if base is None else base
    if base <= 1:
        return count
    return (count + base // 2) // base * base


@dataclass(frozen=True)
class Published:
    """One count as a report shows it: `value` the rounded number, or None where it is suppressed; a small
    count reads "<8", one hidden only so that a small one nearby cannot be worked out reads SECONDARY."""

    value: int | None
    secondary: bool = False

    @property
    def suppressed(self) -> bool:
        return self.value is None

    def __str__(self) -> str:
        if self.value is not None:
            return str(self.value)
        return SECONDARY if self.secondary else f"<{suppress_below()}"


# What a count hidden by secondary suppression reads (it may be large: "<8" would mislead).
SECONDARY = "*"


def publish(count: int, *, hidden: bool = False, below: int | None = None, base: int | None = None) -> Published:
    """A count as published: suppressed when small, hidden when `hidden` by secondary suppression, else rounded."""
    if is_small(count, below=below):
        return Published(None)
    if hidden:
        return Published(None, secondary=True)
    return Published(rounded(count, base=base))


def shown(count: int, **kwargs) -> str:
    """The count as the text a report prints: "0", "<8", "15"."""
    return str(publish(count, **kwargs))


# --- Tables with totals ------------------------------------------------------------------------

def _with_margins(grid: Sequence[Sequence[int]]) -> list[list[int]]:
    """The grid with a total column on the right and a total row below (its last cell the grand total)."""
    rows = [list(row) + [sum(row)] for row in grid]
    width = len(rows[0]) if rows else 1
    rows.append([sum(row[column] for row in rows) for column in range(width)])
    return rows


def _hide_one_more(line: list[tuple[int, int]], counts, hidden: set) -> bool:
    """`line` is a row or column as (row, column) positions, its total last. If exactly one of its cells is
    hidden and the total is shown, hide the smallest non-zero shown cell besides; whether anything changed."""
    *cells, total = line
    if total in hidden:
        return False  # nothing to subtract from
    hidden_cells = [cell for cell in cells if cell in hidden]
    if len(hidden_cells) != 1:
        return False
    candidates = [cell for cell in cells if cell not in hidden and counts[cell[0]][cell[1]] > 0]
    # With nothing else to hide, the total is the hidden cell itself: hide the total.
    hidden.add(min(candidates, key=lambda cell: counts[cell[0]][cell[1]]) if candidates else total)
    return True


def suppressed_positions(grid: Sequence[Sequence[int]], *, below: int | None = None) -> set[tuple[int, int]]:
    """Which cells of the grid *with its margins* (see `_with_margins`) are hidden: small counts first,
    then, until nothing changes, a second cell in any row or column where one hidden cell could be worked
    out from the row's or column's total. Positions are (row, column); the totals are the last row and
    column."""
    counts = _with_margins(grid)
    height, width = len(counts), len(counts[0])
    hidden = {(r, c) for r in range(height) for c in range(width) if is_small(counts[r][c], below=below)}
    lines = [[(r, c) for c in range(width)] for r in range(height)]
    lines += [[(r, c) for r in range(height)] for c in range(width)]
    changed = True
    while changed:
        changed = False
        for line in lines:
            changed |= _hide_one_more(line, counts, hidden)
    return hidden


@dataclass(frozen=True)
class PublishedTable:
    """A table of counts with its totals as published: `cells` row by row, `row_totals`, `column_totals`
    and `grand_total`, each a Published."""

    cells: list[list[Published]]
    row_totals: list[Published]
    column_totals: list[Published]
    grand_total: Published


def publish_table(grid: Sequence[Sequence[int]], *, below: int | None = None,
                  base: int | None = None) -> PublishedTable:
    """The grid (a list of equal-length rows of counts) with row and column totals, suppressed and rounded."""
    counts = _with_margins(grid)
    hidden = suppressed_positions(grid, below=below)
    published = [
        [publish(count, hidden=(r, c) in hidden, below=below, base=base) for c, count in enumerate(row)]
        for r, row in enumerate(counts)
    ]
    return PublishedTable(
        cells=[row[:-1] for row in published[:-1]],
        row_totals=[row[-1] for row in published[:-1]],
        column_totals=published[-1][:-1],
        grand_total=published[-1][-1],
    )
