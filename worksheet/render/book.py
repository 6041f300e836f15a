"""The ONLY module that writes with openpyxl: turns a ``BookLayout`` into an .xlsx.

Writes go to a temporary file beside the target and are renamed into place,
so a failure never leaves a half-written or clobbered workbook behind.
"""

from __future__ import annotations

import os
from copy import copy
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.worksheet import Worksheet

from worksheet.errors import WorksheetError
from worksheet.files import temporaries
from worksheet.files.outputs import refuse_existing, usual_permissions
from worksheet.render import kinds, styles
from worksheet.render.cached_xml import save_with_values
from worksheet.render.formula_text import formula_text, unbroken_width
from worksheet.render.properties import sign
from worksheet.render.stored_values import SheetValues
from worksheet.render.streamed import Streamed, any_streamed, keep
from worksheet.sheets.cells import absolute, column_letter
from worksheet.sheets.givens import Given, legend
from worksheet.sheets.layout import CHECK_COLUMNS, GIVENS, STEP_COLUMNS, BookLayout, SheetLayout

# Characters of formula text a line of the formula column holds (page_setup.wrapped_lines).
LINE = int(styles.COLUMN_WIDTHS["formula"] * styles.CODE_CHARS_PER_UNIT) - 1
ALIGNED = len(STEP_COLUMNS) + len(CHECK_COLUMNS)  # the columns page setup aligns cell by cell
TEXT_ROLE = {"symbol": styles.LABEL}  # a symbol never wraps; the other texts do
HEADINGS = {
    "symbol": "symbol",
    "meaning": "meaning",
    "maths": "maths",
    "value": "value",
    "formula": "formula (as text)",
    "name": "defined name",
}


def build_workbook(
    layout: BookLayout,
    formats: dict[str, float] | None = None,
    digits: int = styles.DIGITS,
    decimals: int | None = None,
    streamed: bool = False,
) -> Workbook:
    """``formats`` maps a name to its starting value, used only to pick a number format
    showing ``digits`` significant figures (or ``decimals`` fixed, on rounded sheets).
    With ``streamed``, the nudged columns of the gradient check are not openpyxl cells but
    written into the sheet's XML as it is saved (``render.streamed``): only ``save_atomic``
    saves such a book whole."""
    book = Workbook()
    book.remove(book.active)
    styles.register(book)
    shown, looks = Shown(formats or {}, digits, decimals), Looks()
    for sheet_layout in layout.sheets:
        kind = kinds.GIVENS if sheet_layout.name == GIVENS else kinds.STEP
        sheet = kinds.new_sheet(book, sheet_layout.name, kind)
        _frame(sheet, sheet_layout, shown)
        for row, heading in sheet_layout.headings:
            _heading(sheet, sheet_layout, row, heading)
        for row, item in sheet_layout.lines:
            _line(sheet, sheet_layout, row, item, shown.of(item.symbol.name), looks)
        _extra_cells(sheet, sheet_layout, shown, looks, streamed)
    for (_, name), target in layout.names.items():
        ref = absolute(target.sheet, target.row, target.col)
        defined = DefinedName(name, attr_text=ref)
        if target.scope is None:
            book.defined_names[name] = defined
        else:
            book[target.scope].defined_names[name] = defined
    return book


@dataclass(frozen=True)
class Shown:
    """The number format of each quantity: from its starting value, by the policy of
    ``styles.number_format``; formats are made once per distinct one (a few)."""

    starts: dict[str, float]
    digits: int
    decimals: int | None
    known: dict[str, str] = field(default_factory=dict)  # name -> its format, once found

    def of(self, name: str | None) -> str:
        shown = self.known.get(name or "")
        if shown is None:
            start = self.starts.get(name or "")
            shown = self.known[name or ""] = styles.number_format(start, self.digits, self.decimals)
        return shown


class Looks:
    """A cell's looks (its role's named style, a number format, a quote prefix) made once
    per distinct combination: through openpyxl's setters they cost 12 µs a cell, a second
    for the 80,000 gradient-check cells of a 2-8-8-8-4 network over three steps.  The first
    cell of each combination takes them through the setters (so the workbook's formats are
    listed in the same order), the others a copy of its style array."""

    def __init__(self) -> None:
        self.arrays: dict[tuple[str, str | None, bool], object] = {}

    def give(self, cell, role: str, number_format: str | None = None, quoted: bool = False):
        key = (role, number_format, quoted)
        array = self.arrays.get(key)
        if array is not None:
            cell._style = copy(array)  # each cell its own: page setup changes some in place
            return
        cell.style = role
        if number_format is not None:
            cell.number_format = number_format
        cell.quotePrefix = quoted
        self.arrays[key] = copy(cell._style)

    def array(self, sheet: Worksheet, role: str, number_format: str | None = None):
        """The style array ``give`` would give a cell of ``sheet``, made (the first time)
        on a cell that is not placed in the sheet."""
        array = self.arrays.get((role, number_format, False))
        if array is None:
            self.give(Cell(sheet), role, number_format)
            array = self.arrays[(role, number_format, False)]
        return array


def _frame(sheet: Worksheet, layout: SheetLayout, shown: Shown) -> None:
    """Title, colour legend, column headings, widths and the frozen header."""
    sheet["A1"] = layout.title
    sheet["A1"].font = styles.TITLE_FONT
    sheet["A2"] = "legend:"
    fills = dict(styles.LEGEND)
    for col, label in legend(layout.columns, [col for col, _ in layout.extra_headers]):
        sheet.cell(2, col, label).fill = fills[label]
    widths = styles.widths_of(layout.columns, givens=layout.name == GIVENS)
    if "formula" in layout.columns:  # wide enough for the longest name or product unbroken
        at = layout.columns.index("formula")
        texts = [
            formula_text(f, LINE)
            for _, item in layout.lines
            if (f := getattr(item, "formula", None))
        ]
        widths[at] = unbroken_width(texts, widths[at], styles.CODE_CHARS_PER_UNIT)
    if layout.name != GIVENS and "value" in layout.columns:  # givens show as typed
        at = layout.columns.index("value")  # wide enough for --digits 15 (no ####)
        widths[at] = styles.value_width(widths[at], shown.digits, shown.decimals)
    for col, (key, width) in enumerate(zip(layout.columns, widths), 1):
        cell = sheet.cell(3, col, HEADINGS[key])
        cell.font, cell.border = styles.BOLD, styles.HEADER_BORDER
        sheet.column_dimensions[column_letter(col)].width = width
    sheet.freeze_panes = "A4"


def _heading(sheet: Worksheet, layout: SheetLayout, row: int, text: str) -> None:
    sheet.cell(row, 1, text).font = styles.BOLD
    for col in range(1, len(layout.columns) + 1):
        sheet.cell(row, col).fill = styles.HEADING_FILL
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(layout.columns))


def _line(
    sheet: Worksheet, layout: SheetLayout, row: int, item, number_format: str, looks: Looks
) -> None:
    given = isinstance(item, Given)
    texts = {"symbol": item.symbol.text, "meaning": item.meaning, "name": item.symbol.name}
    if not given:
        texts["maths"] = item.maths
        texts["formula"] = formula_text(item.formula, LINE)
    for key, text in texts.items():
        cell = sheet.cell(row, layout.col(key))
        cell.value = text
        cell.data_type = "s"  # formula text is shown as text, never computed
        role = styles.CODE if key in ("formula", "name") else TEXT_ROLE.get(key, styles.TEXT)
        looks.give(cell, role, quoted=key == "formula")  # stays text when someone edits it
    value = sheet.cell(row, layout.col("value"))
    value.value = item.value if given else item.formula
    fixed = given and isinstance(item.value, str)  # a record of how the file was made
    role = styles.FIXED if fixed else styles.GIVEN if given else styles.FORMULA
    # a given shows as typed (0.5, 1E-05): General, its role's format
    looks.give(value, role, None if given else number_format)


def _extra_cells(
    sheet: Worksheet, layout: SheetLayout, shown: Shown, looks: Looks, streamed: bool
) -> None:
    """The gradient check: headers on row 3, formula cells beside and right of the table; a
    nudged column's cell is formatted as the quantity of its row, which it redoes.  With
    ``streamed``, the nudged columns (right of those page setup aligns) are streamed."""
    for col, text in layout.extra_headers:
        cell = sheet.cell(3, col, text)
        cell.font, cell.border = styles.BOLD, styles.HEADER_BORDER
        beside = col - len(layout.columns) - 1  # the numerical gradient, its difference
        key = CHECK_COLUMNS[beside] if 0 <= beside < len(CHECK_COLUMNS) else "nudge"
        width = styles.value_width(styles.COLUMN_WIDTHS[key], shown.digits, shown.decimals)
        sheet.column_dimensions[column_letter(col)].width = width
    quantity = {row: item.symbol.name for row, item in layout.lines}
    later = Streamed() if streamed else None
    arrays: dict[str | None, object] = {}  # a streamed cell's look by its quantity's name
    for row, col, formula, name in layout.cells:
        shown_as = name or quantity.get(row)
        if later is not None and col > ALIGNED and formula.startswith("="):
            array = arrays.get(shown_as)
            if array is None:  # (each look made where the cells meet it: in their order)
                array = arrays[shown_as] = looks.array(sheet, styles.CHECK, shown.of(shown_as))
            later.add(row, col, formula, array)
        else:
            looks.give(sheet.cell(row, col, formula), styles.CHECK, shown.of(shown_as))
    if later is not None and later.rows:
        keep(sheet, later)


def save_atomic(book: Workbook, path: Path, force: bool, values: SheetValues | None = None) -> None:
    """Save ``book`` to ``path`` via a temporary file in the same folder, then rename.

    With ``values`` (``stored_values.computed_values(book)``, say), each formula cell listed
    there is saved with its value stored, as Excel would have cached it."""
    path = Path(path)
    if path.is_dir():
        raise WorksheetError(f"{path}: is a folder; give a file name ending in .xlsx")
    refuse_existing(path, force)
    folder, temp = path.parent, None
    try:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            temp = temporaries.make(folder, ".xlsx.tmp", prefix="tmp")
        except OSError as exc:
            raise WorksheetError(f"{folder}: cannot write here ({exc.strerror})") from None
        sign(book)
        if values is None and not any_streamed(book):
            book.save(temp)
        else:
            save_with_values(book, temp, values or {})
        usual_permissions(temp)
        os.replace(temp, path)
    except OSError as exc:
        raise WorksheetError(f"{path}: cannot write ({exc.strerror})") from None
    finally:  # an interrupt removes it too (files.temporaries)
        if temp is not None:
            temp.unlink(missing_ok=True)
            temporaries.done(temp)
