"""Stream one worksheet part into ``Cell`` records: formula text and cached value in one pass.

Sheets can hold hundreds of thousands of cells, so the part is streamed through expat
callbacks (see ``xmlstream``) and each cell becomes a record as soon as it closes; no tree
of the sheet is ever built.

Cells are read only where spreadsheet applications read them: ``worksheet/sheetData/row/c``,
with ``f``, ``v`` and ``is`` directly inside the cell. A ``sheetData``, ``row`` or ``c`` of
SpreadsheetML anywhere else (an extension, markup-compatibility choices) is refused, and so
is any element inside ``sheetData`` that is not part of a cell: an application that reads it
would see other cells than this reader. Rows and cells must come in the order Excel writes
them, each address once: LibreOffice lets a repeated cell overwrite the first, and places a
cell without ``r`` after one whose ``r`` strays from its row on the row, not after it.
What would make a person see other values than these (a hidden row or column, conditional
formats, a cell style that hides its value) is refused too (``sheetlayout``, ``styles``).
"""

from __future__ import annotations

from worksheet.evaluator import a1
from worksheet.evaluator.book import Cell, CellRef
from worksheet.evaluator.cellvalues import CELL_TYPES, decode, number, unescape
from worksheet.evaluator.limits import MAX_FORMULA, MAX_TEXT, MAX_TEXT_CHARS
from worksheet.evaluator.sheetformulas import Area, Fail, SheetFormulas, Totals, parse_area
from worksheet.evaluator.sheetlayout import SheetLayout
from worksheet.evaluator.values import Value
from worksheet.evaluator.xmlstream import Tags

MAX_RAW_TEXT = 7 * MAX_TEXT  # a value's text as stored: each character may be _xHHHH_

MAIN_NAMESPACES = frozenset(
    {
        "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
        "http://purl.oclc.org/ooxml/spreadsheetml/main",  # Strict
    }
)

_DIGITS = "0123456789"
_IN_DATA_ONLY = frozenset({"sheetData", "row", "c"})

# Where the reader is: the state of the innermost element it reads (others are skipped).
ROOT, SHEET, DATA, ROW, CELL, V, F, INLINE, RUN, T = range(10)
_TEXT_CAPS = {V: MAX_RAW_TEXT, F: MAX_FORMULA, T: MAX_RAW_TEXT}
_CELL_CHILDREN = {"v": V, "f": F, "is": INLINE}


# Column letters as written (upper case) to index: a lookup per cell instead of arithmetic.
_COLUMNS = {a1.col_letters(col): col for col in range(1, a1.MAX_COL + 1)}


def row_number(text: str | None) -> int | None:
    """A row attribute as an int, or None when it is no plain number of 1-7 digits."""
    if text and len(text) <= 7 and text.isascii() and text.isdigit():
        return int(text)
    return None


class SheetReader:
    """Expat callbacks that collect the cells of one sheet into ``cells``."""

    def __init__(
        self,
        sheet: str,
        strings: list[str],
        cells: dict[CellRef, Cell],
        fail: Fail,
        totals: Totals | None = None,
        styles: dict[str, str] | None = None,
    ):
        self.sheet, self.strings, self.cells, self.fail = sheet, strings, cells, fail
        self.styles = styles or {"0": ""}  # a cell style's ``s`` -> what it hides, or ""
        self.merges: list[Area] = []
        self.totals = totals or Totals()
        self.layout = SheetLayout(sheet, fail, self.merges, self.styles, self.totals)
        self.skip_top = ""  # the sheet-level element being skipped
        self.formulas = SheetFormulas(fail, self.totals)
        self.names = Tags(MAIN_NAMESPACES)
        self.states = [ROOT]
        self.skipped = 0  # depth inside an element the reader skips, with all it holds
        self.data_seen = False
        self.row = self.col = 0  # where the last row and cell were
        self.row_text = "0"  # the row number as cell addresses end with it
        self.buf: list[str] = []  # text of the <v>, <f> or <t> being read
        self.size = 0  # its characters so far
        self.cell: dict[str, str] = {}
        self.f_attrs: dict[str, str] | None = None
        self.f_text: str | None = None
        self.v_text: str | None = None
        self.inline: list[str] | None = None

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        name = self.names[tag]
        if self.skipped:
            self.skipped += 1
            if name in _IN_DATA_ONLY:
                raise self._misplaced(name)
            self.layout.element(self.skip_top if self.skipped == 2 else "", name, attrs)
            return
        state = self.states[-1]
        if state == ROW and name == "c":
            self._open_cell(attrs)
            self.states.append(CELL)
        elif state == CELL:
            self._cell_child(name, attrs)
        elif state == DATA and name == "row":
            self._open_row(attrs)
            self.states.append(ROW)
        elif state == DATA or (state == ROW and name != "extLst"):
            raise self.fail(f"sheet {self.sheet}: unexpected <{_shown(name)}> in its cells")
        elif state == SHEET and name == "sheetData" and not self.data_seen:
            self.data_seen = True
            self.states.append(DATA)
        elif state in (INLINE, RUN) and name == "t":
            self.states.append(T)  # the runs of an inline string count together
            self.buf = []
        elif state == INLINE and name == "r":
            self.states.append(RUN)
        elif state == ROOT:
            if name != "worksheet":
                raise self.fail(f"sheet {self.sheet}: its part holds no worksheet")
            self.states.append(SHEET)
        elif name in _IN_DATA_ONLY or state in (V, F, T):
            raise self._misplaced(name)
        elif state in (INLINE, RUN) and name not in ("rPh", "phoneticPr", "rPr", "extLst"):
            raise self.fail(f"sheet {self.sheet}: unexpected <{_shown(name)}> in a text cell")
        elif state == SHEET:
            self.layout.element("worksheet", name, attrs)
            self.skipped, self.skip_top = 1, name  # its children are checked while skipping
        else:
            self.skipped = 1  # outside the cells, or formatting and phonetic hints
            self.skip_top = name if state in (INLINE, RUN) else ""  # a run's rPr: judged

    def end(self, tag: str) -> None:
        if self.skipped:
            self.skipped -= 1
            return
        state = self.states.pop()
        if state == CELL:
            self._finish_cell()
        elif state == V:
            self.v_text = "".join(self.buf)
        elif state == F:
            self.f_text = "".join(self.buf)
        elif state == T and self.inline is not None:
            self.inline.append("".join(self.buf))

    def data(self, text: str) -> None:
        if self.states[-1] in _TEXT_CAPS and not self.skipped:
            self.buf.append(text)
            self.size += len(text)
            if self.size > _TEXT_CAPS[self.states[-1]]:
                raise self._too_long()

    def _cell_child(self, name: str, attrs: dict[str, str]) -> None:
        if name == "v" and self.v_text is None:
            self.states.append(V)
            self.buf, self.size = [], 0
        elif name == "f" and self.f_attrs is None:
            if attrs.get("t") == "array" and self._one_cell(attrs.get("ref")):
                raise self.fail(f"{self._here()}: array formulas are not supported (one cell)")
            self.f_attrs = attrs
            self.states.append(F)
            self.buf, self.size = [], 0
        elif name == "is" and self.inline is None:
            self.inline, self.size = [], 0
            self.states.append(INLINE)
        elif name in ("v", "f", "is"):
            raise self.fail(f"{self._here()}: more than one <{name}> in one cell")
        elif name == "extLst":
            self.skipped = 1
        else:
            raise self._misplaced(name)

    def _one_cell(self, ref: str | None) -> bool:
        """Whether an array formula's range is its own cell (wider ones: ``sheetformulas``)."""
        here = (self.row, self.col, self.row, self.col)
        return ref is None or parse_area(ref) == here

    def _misplaced(self, name: str) -> Exception:
        return self.fail(f"sheet {self.sheet}: <{_shown(name)}> outside its place in the cells")

    def _too_long(self) -> Exception:
        """Refuse text longer than Excel allows, before it is collected in full."""
        if self.states[-1] == F:
            return self.fail(f"{self._here()}: formula longer than {MAX_FORMULA} characters")
        return self.fail(f"{self._here()}: text longer than {MAX_TEXT} characters")

    def _here(self) -> str:
        where = self.cell.get("r") or a1.cell_name(self.row, self.col + 1)
        return f"{self.sheet}!{where[:20]}"

    def _open_row(self, attrs: dict[str, str]) -> None:
        text = attrs.get("r")
        row = self.row + 1 if text is None else row_number(text)
        if row is None or not 1 <= row <= a1.MAX_ROW:
            raise self.fail(f"bad row number {ascii((text or '')[:20])} on sheet {self.sheet}")
        if row <= self.row:
            raise self.fail(f"sheet {self.sheet}: row {row} after row {self.row}")
        self.row, self.col, self.row_text = row, 0, str(row)
        if len(attrs) > (text is not None):  # any attribute besides r, with or without r
            self.layout.row(attrs, row)

    def _open_cell(self, attrs: dict[str, str]) -> None:
        self.cell, self.f_attrs, self.f_text, self.v_text, self.inline = (
            attrs,
            None,
            None,
            None,
            None,
        )
        ref = attrs.get("r")
        if ref is None:
            col = self.col + 1
            if col > a1.MAX_COL:
                raise self.fail(f"sheet {self.sheet}: a cell after column XFD in row {self.row}")
        else:
            letters, digits = ref.rstrip(_DIGITS), self.row_text
            col = _COLUMNS.get(letters) if ref[len(letters) :] == digits else None
            if col is None:
                raise self._bad_address(ref)
            if col <= self.col:
                raise self.fail(f"{self.sheet}!{ref}: a cell repeated or out of order")
        self.col = col
        kind = attrs.get("t")
        if kind is not None and kind not in CELL_TYPES:
            raise self.fail(f"{self._here()}: cell type {ascii(kind[:20])} is not supported")
        if "vm" in attrs:  # a rich value (image, linked data): Excel shows no number there
            raise self.fail(f"{self._here()}: rich values (vm) are not supported")

    def _bad_address(self, ref: str) -> Exception:
        """Why ``ref`` is refused: no address (as Excel writes them), or not in its row."""
        letters = ref.rstrip(_DIGITS)
        row = row_number(ref[len(letters) :])
        if row is None or letters not in _COLUMNS or str(row) != ref[len(letters) :]:
            return self.fail(f"bad cell address {ref[:20]!r} on sheet {self.sheet}")
        if not 1 <= row <= a1.MAX_ROW:
            return self.fail(f"bad cell address {ref[:20]!r} on sheet {self.sheet}")
        return self.fail(f"{self.sheet}!{ref}: a cell of row {row} inside row {self.row}")

    def _finish_cell(self) -> None:
        ref = CellRef(self.sheet, self.row, self.col)
        formula = None
        if self.f_attrs is not None:
            formula = self.formulas.text(ref, self.f_attrs, self.f_text or "")
        v = self.v_text
        if "t" not in self.cell and self.inline is None and v is not None and number(v):
            value: Value = float(v)  # the common case, a plain number, without the general path
        else:
            value = self._value(ref)
        if formula is not None or value is not None:
            style = self.cell.get("s", "0")
            hides = self.styles.get(style, "a cell style not in the file")
            if hides:
                raise self.fail(f"{ref}: {hides}")
            self.layout.cell(style, self.row, formula is None and isinstance(value, str))
            if len(self.cells) >= self.totals.max_cells:
                raise self.fail(f"more than {self.totals.max_cells:,} cells")
            self.cells[ref] = Cell(formula, value)

    def _value(self, ref: CellRef) -> Value:
        """Decode the stored value by the cell's ``t`` type; text starting with '=' stays text."""
        kind, v = self.cell.get("t", "n"), self.v_text
        if (self.inline is not None or kind == "inlineStr") and (v or kind != "inlineStr"):
            # <is> belongs to inline-string cells alone; which of two values an application
            # would show is its own choice, and no writer stores both
            raise self.fail(f"{ref}: inline text (<is>) with a <v> or in a cell of type {kind}")
        try:
            if kind == "inlineStr":
                value = unescape("".join(self.inline)) if self.inline is not None else None
            else:
                value = None if v is None else decode(kind, v, self.strings)
        except (ValueError, IndexError) as exc:
            shown = (v or "".join(self.inline or ()))[:40]
            raise self.fail(f"{ref}: bad stored value {shown!r} of type {kind} ({exc})") from exc
        if isinstance(value, str) and kind != "s":
            self._keep_text(ref, value)
        return value

    def _keep_text(self, ref: CellRef, text: str) -> None:
        """Count text kept, decoded, against the cell's and the workbook's limits."""
        if len(text) > MAX_TEXT:
            raise self.fail(f"{ref}: text longer than {MAX_TEXT} characters")
        self.totals.text_chars += len(text)
        if self.totals.text_chars > MAX_TEXT_CHARS:
            raise self.fail(f"more than {MAX_TEXT_CHARS:,} characters of text in all")


def _shown(name: str) -> str:
    """An element's name for a message: local if ours, else as expat gave it, shortened."""
    return ascii(name.rpartition("}")[2][:40]).strip("'")
