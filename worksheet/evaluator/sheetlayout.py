"""What a worksheet says about how its cells are shown, outside the cells themselves.

A person sees the sheet, not its XML: a hidden or zero-width column, a hidden or zero-height
row, a collapsed outline, a conditional format or a data validation can each show something
else than the values the check proves, while every formula stays right. The generator writes
none of them, so each is refused, on every sheet, with one line naming the sheet and the
element. Merged areas are written (headings, the Network sheet's boxes), so they are kept
for the check to decide which cells they may cover (``Book.merged``).

Booleans are read as XML Schema defines them; LibreOffice writes ``"true"``/``"false"``,
openpyxl ``"1"``/``"0"``. Anything else counts as true, so an odd spelling is refused.
"""

from __future__ import annotations

from worksheet.evaluator.colours import run_problem
from worksheet.evaluator.limits import MAX_MERGES, MAX_MERGES_TOTAL
from worksheet.evaluator.sheetformulas import Area, Fail, Totals, parse_area

_FALSE = ("0", "false")
_MIN_WIDTH = 1.0  # characters: a narrower column shows nothing of a number
_MIN_HEIGHT = 5.0  # points: a lower row shows nothing of its text
_ROW_HEIGHT = 15.0  # points: a row's height when the sheet gives none (Calibri 11)
_TEXT_POINTS = 11.0  # the applications' default font size, when a file has no styles
# A row must be this many times as tall as the largest font of a number or formula in it,
# the line a spreadsheet gives text (LibreOffice cut digits' tops in rows of 9 points under
# 11-point text, and 5-point rows showed slivers). A text needs only its size: digits and
# letters show whole (descenders aside), and the generator's 14-point headings sit in rows
# of 15 points, as LibreOffice saves them too.
_LINE = 1.2

# Elements refused wherever they are in a sheet, extensions (x14:...) included.
REFUSED = {
    "conditionalFormatting": "conditional formatting",
    "conditionalFormattings": "conditional formatting",
    "dataValidations": "data validation",
    "dataValidation": "data validation",
    "tablePart": "a table (its style can colour or format cells)",
    "sparklineGroups": "sparklines (a chart in a cell, of any cells)",
    # Applications read the branch they understand, this reader none: columns, merges or
    # views inside one would show differently there than here.
    "AlternateContent": "a markup-compatibility choice (mc:AlternateContent)",
}


# A worksheet's own elements (ECMA-376 18.3.1.99) that show something of their own, over,
# beside or instead of the values the check proves; the generator writes none of them, and
# ``charts`` refuses the parts they point to as well (``grade`` reads no charts). The rest
# show nothing beyond the cells: page setup, breaks, views, merges and the drawing of charts
# (which the generator and LibreOffice write), and records that change nothing shown
# (protection, errors ignored, the last sort, watches, smart tags, publishing and
# consolidation settings). An element the schema has not is ignored by LibreOffice and
# makes Excel repair the file. Comments (``legacyDrawing``) are left to ``charts``, which
# ``check`` runs: grade's marked copies carry them, and grading one says so by name.
_SHOWS_MORE = {
    "scenarios": "a scenario (LibreOffice shows its typed values on a sheet of their own)",
    "customSheetViews": "a custom view (it can hide or filter rows and columns)",
    "autoFilter": "a filter (it can hide rows)",
    "hyperlinks": "a hyperlink (its text can stand in for a value)",
    "legacyDrawingHF": "pictures in headers or footers",
    "drawingHF": "pictures in headers or footers",
    "picture": "a background picture",
    "oleObjects": "an embedded object",
    "controls": "a form control",
    "tableParts": "a table (its style can colour or format cells)",
}


def _points(value: str | None, default: float) -> float:
    """A height in points (already refused when below the minimum or not a number)."""
    try:
        return float(value) if value is not None and len(value) < 30 else default
    except ValueError:
        return default


def row_height(value: str | None, default: float = _ROW_HEIGHT) -> float:
    """A height in points, or a width in characters, as a file writes it (``default`` when
    it gives none, or none that is a number)."""
    return _points(value, default)


def true(value: str | None) -> bool:
    return value is not None and value not in _FALSE


def _below(value: str | None, low: float) -> bool:
    """Whether a size attribute is present and below ``low`` (or not a number at all)."""
    if value is None:
        return False
    try:
        return not float(value) >= low if value.isascii() and len(value) < 30 else True
    except ValueError:
        return True


class SheetLayout:
    """Checks the sheet-level elements a ``SheetReader`` skips, and keeps the merged areas."""

    def __init__(
        self,
        sheet: str,
        fail: Fail,
        merges: list[Area],
        styles: dict[str, str] | None = None,
        totals: Totals | None = None,
    ) -> None:
        self.sheet, self.fail, self.merges = sheet, fail, merges
        self.styles = styles or {"0": ""}  # a cell style's index -> what it hides, or ""
        self.points: dict[str, float] = getattr(styles, "points", {})  # its largest font
        self.totals = totals or Totals()  # merged areas counted across the workbook
        self.view_origin = "A1"  # the sheet view's top-left cell, for its panes
        self.default_height = _ROW_HEIGHT
        self.height_row, self.height = 0, _ROW_HEIGHT  # the last row that gave its ht
        self.tallest_unset = 0.0  # the largest need of a row without ht, for a late default

    def _style(self, index: str, where: str) -> None:
        """A column's or a row's own style is worn by each of its cells that names none
        (as Excel and LibreOffice show them): held to the rules of a cell's style."""
        hides = self.styles.get(index, "a cell style not in the file")
        if hides:
            raise self.fail(f"sheet {self.sheet}: the style of {where}: {hides}")

    def _refuse(self, what: str) -> Exception:
        return self.fail(f"sheet {self.sheet}: {what} is not supported (it changes what is shown)")

    def element(self, parent: str, name: str, attrs: dict[str, str]) -> None:
        """An element outside the cells, with the name of the element holding it."""
        local = name.rpartition("}")[2]
        if local in REFUSED:
            raise self._refuse(REFUSED[local])
        if parent == "rPr" and (problem := run_problem(name, attrs)):
            raise self._refuse(problem)
        if parent == "cols" and name == "col":
            self._col(attrs)
        elif parent == "mergeCells" and name == "mergeCell":
            self._merge(attrs.get("ref"))
        elif parent == "worksheet" and name in _SHOWS_MORE:
            raise self._refuse(_SHOWS_MORE[name])
        elif parent == "worksheet" and name == "sheetFormatPr":
            if true(attrs.get("zeroHeight")):
                raise self._refuse("rows hidden by default (zeroHeight)")
            if _below(attrs.get("defaultRowHeight"), _MIN_HEIGHT):
                raise self._refuse("a default row height of almost nothing")
            self.default_height = _points(attrs.get("defaultRowHeight"), _ROW_HEIGHT)
            if self.tallest_unset > self.default_height:  # met after the rows it sizes
                raise self._refuse("a default row height lower than its rows' text")
            if _below(attrs.get("defaultColWidth"), _MIN_WIDTH):
                raise self._refuse("a default column width of almost nothing")
        elif parent == "sheetViews" and name == "sheetView":
            if attrs.get("showZeros") in _FALSE:
                raise self._refuse("a view that shows zeros as blank (showZeros)")
            if true(attrs.get("showFormulas")):
                raise self._refuse("a view that shows formulas in place of values")
            self.view_origin = attrs.get("topLeftCell", "A1")
        elif name == "pane" and self.view_origin.upper() != "A1":  # only ever in a sheetView
            # Rows and columns before the view's first cell, with panes frozen or split,
            # cannot be scrolled to: planned cells out of a person's reach.
            raise self._refuse("panes frozen with the view scrolled past the sheet's start")

    def _col(self, attrs: dict[str, str]) -> None:
        where = f"columns {attrs.get('min', '?')[:8]}-{attrs.get('max', '?')[:8]}"
        if true(attrs.get("hidden")):
            raise self._refuse(f"hiding {where}")
        if true(attrs.get("collapsed")):
            raise self._refuse(f"a collapsed outline at {where}")
        if _below(attrs.get("width"), _MIN_WIDTH):
            raise self._refuse(f"a width of almost nothing for {where}")
        if "style" in attrs:
            self._style(attrs["style"], where)

    def row(self, attrs: dict[str, str], row: int) -> None:
        """A row's own attributes: hidden, collapsed, or too low to show anything."""
        if true(attrs.get("hidden")):
            raise self._refuse(f"hiding row {row}")
        if true(attrs.get("collapsed")):
            raise self._refuse(f"a collapsed outline at row {row}")
        if _below(attrs.get("ht"), _MIN_HEIGHT):
            raise self._refuse(f"a height of almost nothing for row {row}")
        if "ht" in attrs:
            self.height_row, self.height = row, _points(attrs["ht"], _ROW_HEIGHT)
        if "s" in attrs and true(attrs.get("customFormat")):
            self._style(attrs["s"], f"row {row}")

    def cell(self, style: str, row: int, text: bool) -> None:
        """A cell that holds something, in ``style``: its row must be tall enough to show
        its largest font (its own height, or the sheet's default when it gives none)."""
        size = self.points.get(style, _TEXT_POINTS)  # no styles part: the default font
        need = size if text else size * _LINE
        if row == self.height_row:
            height = self.height
        else:
            height = self.default_height
            self.tallest_unset = max(self.tallest_unset, need)
        if need > height:
            raise self._refuse(
                f"a height of {height:g} points for row {row}, under its {size:g}-point text,"
            )

    def _merge(self, ref: str | None) -> None:
        area = parse_area(ref)
        if area is None:
            raise self.fail(f"sheet {self.sheet}: bad merged area {ascii((ref or '')[:30])}")
        if len(self.merges) >= MAX_MERGES:
            raise self.fail(f"sheet {self.sheet}: more than {MAX_MERGES:,} merged areas")
        self.totals.merged_areas += 1
        if self.totals.merged_areas > MAX_MERGES_TOTAL:
            raise self.fail(f"more than {MAX_MERGES_TOTAL:,} merged areas in the workbook")
        self.merges.append(area)
