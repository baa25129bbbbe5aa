"""Small-number suppression: counts 1-7 shown as "<8", the rest rounded to the nearest 5, and a second cell hidden
wherever one hidden cell of a row or column could be worked out from its total."""

import itertools

import pytest

from linkworkers.reports.suppression import (
    Published, is_small, publish, publish_table, rounded, shown, suppressed_positions,
)


# --- One count ------------------------------------------------------------------------------------

@pytest.mark.parametrize("count, text", [
    (0, "0"), (1, "<8"), (2, "<8"), (3, "<8"), (4, "<8"), (5, "<8"), (6, "<8"), (7, "<8"),
    (8, "10"), (9, "10"), (10, "10"), (11, "10"), (12, "10"), (13, "15"), (14, "15"), (15, "15"),
    (17, "15"), (18, "20"), (22, "20"), (23, "25"), (102, "100"), (103, "105"), (1000, "1000"),
])
def test_each_count_is_shown_suppressed_or_rounded(count, text):
    assert shown(count) == text


def test_every_count_up_to_200_is_a_multiple_of_five_within_two_or_suppressed():
    for count in range(201):
        published = publish(count)
        if 1 <= count <= 7:
            assert published.suppressed and str(published) == "<8"
        else:
            assert published.value % 5 == 0 and abs(published.value - count) <= 2, count


def test_the_threshold_and_the_rounding_base_are_settings(settings):
    settings.REPORTS_SUPPRESS_BELOW = 10
    settings.REPORTS_ROUND_TO = 10
    assert [shown(n) for n in (0, 1, 9, 10, 14, 15, 24)] == ["0", "<10", "<10", "10", "10", "20", "20"]
    assert is_small(9) and not is_small(10)


def test_without_the_settings_the_defaults_apply(settings):
    del settings.REPORTS_SUPPRESS_BELOW
    del settings.REPORTS_ROUND_TO
    assert [shown(n) for n in (7, 8, 12, 13)] == ["<8", "10", "10", "15"]


def test_rounding_to_one_leaves_counts_as_they_are():
    assert [rounded(n, base=1) for n in (8, 9, 13)] == [8, 9, 13]


def test_a_count_hidden_by_secondary_suppression_reads_as_hidden_not_as_small():
    assert publish(500, hidden=True) == Published(None, secondary=True)
    assert str(publish(500, hidden=True)) == "*"
    # A small count is "<8" whether or not secondary suppression also picked it.
    assert str(publish(3, hidden=True)) == "<8"


# --- Tables with totals -----------------------------------------------------------------------------

def texts(table):
    """The published table as text: each row with its total, then the totals row with the grand total."""
    rows = [[str(cell) for cell in cells] + [str(total)] for cells, total in zip(table.cells, table.row_totals)]
    return rows + [[str(cell) for cell in table.column_totals] + [str(table.grand_total)]]


def test_a_table_with_nothing_small_is_only_rounded():
    assert texts(publish_table([[10, 20], [30, 41]])) == [
        ["10", "20", "30"],
        ["30", "40", "70"],
        ["40", "60", "100"],
    ]


def test_zeros_are_shown_and_never_suppressed():
    assert texts(publish_table([[0, 20], [30, 0]])) == [
        ["0", "20", "20"],
        ["30", "0", "30"],
        ["30", "20", "50"],
    ]


def test_one_small_cell_in_a_row_and_column_hides_the_next_smallest_in_each():
    # 3 could be worked out from its row (23 - 20) and its column (13 - 10): 10 (smallest left in the column)
    # and 20 (the only other in the row) are hidden too; then 10's row and 20's column have one hidden cell
    # each, so 40 goes as well, and every row and column has two.
    grid = [[3, 20], [10, 40]]
    assert texts(publish_table(grid)) == [
        ["<8", "*", "25"],
        ["*", "*", "50"],
        ["15", "60", "75"],
    ]


def test_the_next_smallest_non_zero_cell_is_the_one_hidden():
    grid = [[5, 0, 30, 12, 50]]
    hidden = suppressed_positions(grid)
    # Row 0: 5 is small; 12 is the smallest non-zero other cell (0 is skipped).
    assert (0, 0) in hidden and (0, 3) in hidden
    assert (0, 1) not in hidden and (0, 2) not in hidden and (0, 4) not in hidden


def test_two_small_cells_in_a_row_need_nothing_more_in_that_row():
    grid = [[3, 4, 30]]
    table = publish_table(grid)
    # The row total (37) is shown: 3 and 4 together are 7, neither alone. The columns of 3 and 4 have
    # totals of 3 and 4 (small, so hidden themselves, and nothing can be subtracted from them).
    assert texts(table) == [
        ["<8", "<8", "30", "35"],
        ["<8", "<8", "30", "35"],
    ]


def test_a_hidden_total_hides_another_total_beside_it():
    # Column 0's total (5) is small; the totals row could give it away from the grand total (5 + 40 + 40),
    # so the next-smallest column total is hidden too.
    grid = [[5, 40, 40]]
    table = publish_table(grid)
    assert [str(cell) for cell in table.column_totals] == ["<8", "*", "40"]
    assert str(table.grand_total) == "85"


def test_suppression_settles_where_one_hidden_cell_leads_to_another():
    grid = [
        [2, 9, 30],
        [40, 11, 50],
        [60, 70, 13],
    ]
    hidden = suppressed_positions(grid)
    assert is_settled(grid, hidden)
    assert (0, 0) in hidden and (0, 1) in hidden  # 2, then 9 in its row


def is_settled(grid, hidden) -> bool:
    """No row or column (totals included) whose total is shown has exactly one hidden cell."""
    height, width = len(grid) + 1, len(grid[0]) + 1
    lines = [[(r, c) for c in range(width)] for r in range(height)]
    lines += [[(r, c) for r in range(height)] for c in range(width)]
    return not any(total not in hidden and sum(cell in hidden for cell in cells) == 1 for *cells, total in lines)


def test_a_hidden_cell_equal_to_its_total_hides_the_total():
    # 3 hides 20 (its row) and 9 (its column); 20 is then alone in a column whose total is 20, and 9 alone in a
    # row whose total is 9: those totals go, and then a total beside each of them.
    grid = [[3, 20], [9, 0]]
    assert texts(publish_table(grid)) == [
        ["<8", "*", "*"],
        ["*", "0", "*"],
        ["*", "*", "30"],
    ]
    assert is_settled(grid, suppressed_positions(grid))


def check_grid(grid):
    hidden = suppressed_positions(grid)
    assert is_settled(grid, hidden), grid
    for r, row in enumerate(grid):
        for c, count in enumerate(row):
            if 1 <= count <= 7:
                assert (r, c) in hidden, grid  # every small count is hidden
            if count == 0:
                assert (r, c) not in hidden, grid  # and no zero
    # What is shown agrees with the counts: hidden cells print "<8", the rest the count rounded.
    table = publish_table(grid)
    for r, row in enumerate(grid):
        for c, count in enumerate(row):
            expected = str(rounded(count))
            if (r, c) in hidden:
                expected = "<8" if 1 <= count <= 7 else "*"
            assert str(table.cells[r][c]) == expected


def test_every_two_by_two_grid_of_zero_small_and_large_counts_settles():
    for cells in itertools.product((0, 3, 9, 14), repeat=4):
        check_grid([list(cells[:2]), list(cells[2:])])


def test_every_one_by_three_and_three_by_one_grid_settles():
    for cells in itertools.product((0, 2, 8, 20), repeat=3):
        check_grid([list(cells)])
        check_grid([[cell] for cell in cells])


def test_every_two_by_three_grid_of_zero_small_and_large_counts_settles():
    for cells in itertools.product((0, 5, 30), repeat=6):
        check_grid([list(cells[:3]), list(cells[3:])])
