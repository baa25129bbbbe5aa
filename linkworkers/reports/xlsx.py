"""Writing a report's tables as an Excel workbook (XLSX), one sheet a table, through openpyxl's write-only mode.

Write-only mode sends each row to a temporary file as it is appended, and the finished workbook goes to another
temporary file, so a long period never builds the whole workbook in memory; the view returns that file.
Values arrive as the text the page prints: plain numbers become numbers (so a spreadsheet can add them up), and
anything else, such as "<8", "*" or "45%", stays text exactly as published.
"""

import re
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Excel's own limits on a sheet's name: 31 characters, none of these.
NAME_LENGTH = 31
NOT_IN_NAMES = re.compile(r"[\[\]:*?/\\]")
WHOLE = re.compile(r"-?\d{1,3}(,\d{3})+|-?\d+")
DECIMAL = re.compile(r"([+-]?)\d+\.(\d+)")
BOLD = Font(bold=True)
ABOUT = "About"
# Workbooks up to this size stay in memory; larger ones roll over to a file on disk.
IN_MEMORY = 1024 * 1024


@dataclass(frozen=True)
class Sheet:
    """One table: its sheet's name, its rows with the header first (printed in bold), and its full title where
    the name is shorter (the About sheet lists each)."""

    name: str
    rows: Iterable[Sequence]
    title: str = ""


def value_of(text):
    """A published value as a spreadsheet cell holds it, with its number format: "1,250" -> 1250, "6.5" -> 6.5,
    "<8" -> "<8", "" -> an empty cell. Numbers already numbers are kept."""
    if not isinstance(text, str):
        return text, None
    if not text:
        return None, None  # an empty cell, not an empty string
    if WHOLE.fullmatch(text):
        return int(text.replace(",", "")), "#,##0" if "," in text else None
    if decimal := DECIMAL.fullmatch(text):
        places = "0." + "0" * len(decimal.group(2))  # "0.0" reads 0.0, not 0
        signed = decimal.group(1) == "+"  # a change shown as "+1.67" keeps its sign
        return float(text), f"+{places};-{places};{places}" if signed else places
    return text, None


def sheet_name(title: str, taken: set[str]) -> str:
    """`title` as a sheet name Excel accepts, cut at a word within 31 characters, different from those `taken`."""
    name = NOT_IN_NAMES.sub(" ", title).strip() or "Table"
    if len(name) > NAME_LENGTH:
        cut = name[:NAME_LENGTH + 1]
        name = cut.rsplit(" ", 1)[0].rstrip(" ,;-") if " " in cut else name[:NAME_LENGTH]
    unique, number = name, 1
    while unique.lower() in {other.lower() for other in taken}:
        number += 1
        unique = f"{name[:NAME_LENGTH - len(str(number)) - 1]} {number}"
    taken.add(unique)
    return unique


def workbook_file(sheets: Sequence[Sheet], *, about: Iterable[tuple[str, str]]):
    """A first sheet "About" of `about` (label, text) with a list of the sheets, then `sheets` in order, as an
    open temporary file at its start (closed by whoever reads it)."""
    workbook = Workbook(write_only=True)
    taken = {ABOUT}
    names = [sheet_name(sheet.name, taken) for sheet in sheets]
    first = workbook.create_sheet(ABOUT)
    contents = [("Sheet", "Table"), *((name, sheet.title or name) for name, sheet in zip(names, sheets))]
    for label, text in (*about, ("", ""), *contents):
        first.append([_cell(first, label, bold=True), _cell(first, text, bold=False)])
    for name, sheet in zip(names, sheets):
        worksheet = workbook.create_sheet(name)
        for position, row in enumerate(sheet.rows):
            worksheet.append([_cell(worksheet, value, bold=position == 0) for value in row])
    output = tempfile.SpooledTemporaryFile(max_size=IN_MEMORY)
    workbook.save(output)
    output.seek(0)
    return output


def _cell(worksheet, text, *, bold: bool) -> WriteOnlyCell:
    value, number_format = value_of(text)
    cell = WriteOnlyCell(worksheet, value=value)
    if cell.data_type == "f":  # text starting "=" (a need named so) is text here, never a formula Excel would run
        cell.data_type = "s"
    if number_format:
        cell.number_format = number_format
    if bold:
        cell.font = BOLD
    return cell
