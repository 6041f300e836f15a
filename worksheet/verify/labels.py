"""The mathematics written beside each number must be the plan's: its symbol, its defined
name, its formula in maths and its formula as text.

A person reads a value by the symbol beside it.  With the symbols of x₁ and x₂ swapped on the
Givens sheet, every formula still computes the right numbers from the givens by name, yet the
sheet says x₁ = 0.3 where the computation uses 0.5; a formula column reading
``=w_1*x_2+w_2*x_1+b_1`` beside a cell computing ``=w_1*x_1+w_2*x_2+b_1`` teaches the wrong
sum.  So on the hand-traced sheets (Givens and the Step sheets) the symbol, name, maths and
formula-text columns are compared with the plan, exactly: the formula text as the writer
spaces it (so that it wraps between terms), or the formula itself.  Any other spacing can
show another sum: line feeds or spaces that push ``+ b_1`` below what its row shows read
``=w_1*x_1 + w_2*x_2`` in a spreadsheet (the review's seventh round), and leading line feeds
show a wrapped maths text as nothing.  The words of the meaning column are not compared: a
teacher may translate them.
"""

from __future__ import annotations

from worksheet.evaluator import Book, CellRef
from worksheet.evaluator.a1 import col_letters
from worksheet.evaluator.room import room
from worksheet.model.spec import NetworkSpec
from worksheet.render.formula_text import formula_text
from worksheet.render.page_measure import LINE_PT, NEXT_LINE_PT, wrapped_lines
from worksheet.sheets.compare import COMPARE, Compare, compare_tables
from worksheet.sheets.compare import run_sheet as compare_run_sheet
from worksheet.sheets.givens import Given
from worksheet.sheets.layout import BookLayout
from worksheet.sheets.network import NETWORK, parts
from worksheet.sheets.summary import HEAD_ROW, SUMMARY, Summary
from worksheet.sheets.sweep import SWEEP, Sweep, run_sheet, run_tables
from worksheet.sheets.training import TRAINING
from worksheet.sheets.training_table import FIRST_ROW, table
from worksheet.verify.compare import Mismatch
from worksheet.verify.readback import spec_from_book

COMPARED = ("symbol", "name", "maths", "formula")
CODE = ("name", "formula")  # the columns written in the code font
# render.page_setup's measure of a line (render loads openpyxl, which check must not; a
# test holds them equal): characters per unit of width, points per line
# render.book.LINE: the characters after which the writer spaces a product too (render
# loads openpyxl, which check must not; a test holds the two equal)
LINE = 21


def label_faults(book: Book, layout: BookLayout) -> dict[str, Mismatch]:
    """A mismatch for each compared label that differs from the plan's text, or that its
    column and row have no room to show whole."""
    faults: dict[str, Mismatch] = _cut_faults(book, layout)
    for sheet in layout.sheets:
        for row, item in sheet.lines:
            for key, want in _texts(item).items():
                if key not in sheet.columns:
                    continue
                ref = CellRef(sheet.name, row, sheet.col(key))
                cell = book.cells.get(ref)
                got = cell.value if cell is not None and cell.formula is None else None
                if not _same(key, want, got):
                    shown = got if got is None or isinstance(got, str) else repr(got)
                    faults[str(ref)] = Mismatch(
                        item.symbol.name, want, shown, None, f"{key} label differs from the plan"
                    )
    spec = spec_from_book(book)  # read already by the check: its givens, a few cells
    faults |= _network_faults(book, spec) | _table_faults(book, spec)
    return faults | _summary_faults(book, spec)


def _network_faults(book: Book, spec: NetworkSpec) -> dict[str, Mismatch]:
    """The Network sheet's labels: each box's symbol and the words beside each weight, bias
    and target (x₁ and x₂ swapped there read x₁ = 0.3 as much as on the Givens sheet)."""
    if NETWORK not in book.sheet_names:
        return {}
    labels = {}
    for part in parts(spec):
        row, col = (part.top, part.col) if part.kind == "box" else (part.row, part.col - 1)
        labels[CellRef(NETWORK, row, col)] = (part.symbol.name, part.label)
    return _differing(book, labels)


def _table_faults(book: Book, spec: NetworkSpec) -> dict[str, Mismatch]:
    """The symbol over each column of the Training tables (its own, each sweep run's and
    each compared optimizer's): w₁ and w₂ swapped there read one's numbers as the other's."""
    if not spec.epochs:
        return {}
    tables = [(TRAINING, table(spec))]
    tables += [(run_sheet(r), run) for r, run in enumerate(run_tables(spec), 1)]
    tables += [(compare_run_sheet(kind), run) for kind, run in compare_tables(spec)]
    labels = {}
    for sheet, planned in tables:
        for c, column in enumerate(planned.columns, 1):
            labels[CellRef(sheet, FIRST_ROW - 1, c)] = (column.symbol.name, column.symbol.text)
    return _differing(book, labels)


def _summary_faults(book: Book, spec: NetworkSpec) -> dict[str, Mismatch]:
    """What names the columns of the Summary, Sweep and Compare sheets: the symbol over
    each Summary column (x₁, ŷ₁ before and after) and each run's label (its rate's
    symbol, its optimizer): two of them swapped read one run's losses as the other's.  The
    sheets' words (titles, "first loss") are not compared, as the meaning column is not."""
    if not spec.epochs:
        return {}
    labels = {}
    for text in Summary(spec, table(spec), TRAINING).texts:
        if text.row == HEAD_ROW + 1:  # the symbols' row
            labels[CellRef(SUMMARY, text.row, text.col)] = (text.text, text.text)
    sheets = []
    if spec.lr_sweep:
        sheets.append((SWEEP, Sweep(spec, run_tables(spec)).texts))
    if spec.compare_optimizers:
        sheets.append((COMPARE, Compare(spec, compare_tables(spec)).texts))
    for sheet, texts in sheets:
        for text in texts:
            if text.col > 1 and text.row > 1:  # a run's label over its column
                labels[CellRef(sheet, text.row, text.col)] = (text.text, text.text)
    return _differing(book, labels)


def _differing(book: Book, labels: dict[CellRef, tuple[str, str]]) -> dict[str, Mismatch]:
    """A mismatch for each cell of ``labels`` (ref -> (name, text)) not holding its text."""
    faults = {}
    for ref, (name, want) in labels.items():
        cell = book.cells.get(ref)
        got = cell.value if cell is not None and cell.formula is None else None
        if got != want:
            shown = got if got is None or isinstance(got, str) else repr(got)
            where = f"{ref.sheet}!{col_letters(ref.col)}{ref.row}"
            faults[where] = Mismatch(name, want, shown, None, "label differs from the plan")
    return faults


def _cut_faults(book: Book, layout: BookLayout) -> dict[str, Mismatch]:
    """Each compared label that would not show whole: wrapped onto more lines than its row
    shows, or (not wrapping) wider than its column, with the writer's own pessimistic measure
    of a line (``lines``): a column narrowed and a row lowered left LibreOffice showing
    ``=w_1*x_1 + w_2*x_2`` of ``=w_1*x_1 + w_2*x_2 + b_1`` (the review's seventh round)."""
    labels = {}
    for sheet in layout.sheets:
        for row, item in sheet.lines:
            for key, want in _texts(item).items():
                if key in sheet.columns and want:
                    ref = CellRef(sheet.name, row, sheet.col(key))
                    labels[ref] = (key, item.symbol.name, want)
    wanted: dict[str, set[tuple[int, int]]] = {}
    for ref in labels:
        wanted.setdefault(ref.sheet, set()).add((ref.row, ref.col))
    faults = {}
    for (sheet, row, col), (width, height, wraps) in room(book.path, wanted).items():
        ref = CellRef(sheet, row, col)
        key, name, want = labels[ref]
        cell = book.cells.get(ref)
        text = cell.value if cell is not None and isinstance(cell.value, str) else want
        need = lines(text, width, key in CODE, wraps)
        shown = shown_lines(height) if wraps else 1
        if need > shown:
            room_for = f"its row shows {shown}" if wraps else "it does not wrap"
            faults[str(ref)] = Mismatch(
                name, want, text, None, f"{key} label cut: {need} lines where {room_for}"
            )
    return faults


def lines(text: str, width: float, code: bool, wraps: bool) -> int:
    """Lines ``text`` takes in a column ``width`` characters wide, as the writer measures
    them (``render.page_measure.wrapped_lines``, a line of characters a little short so that
    a wider font still fits; half a character of slack for a width a spreadsheet rounded);
    not wrapping, a text wider than its column even in a narrow font is cut (a neighbour
    stops it): 2."""
    if not wraps:  # the writer sizes nothing here: a generous line, the narrowest fonts'
        return 1 if len(text) <= int((width + 0.5) * (1.0 if code else 1.6)) else 2
    return wrapped_lines(text, width + 0.5, "code" if code else "text")


def shown_lines(height: float) -> int:
    """Lines of text a row ``height`` points high shows: the writer makes it 15 points for
    one and 14 more for each further line (a quarter of a line of slack for rounding)."""
    return 1 + max(int((height - LINE_PT) / NEXT_LINE_PT + 0.25), 0)


def _texts(item) -> dict[str, str]:
    texts = {"symbol": item.symbol.text, "name": item.symbol.name}
    if not isinstance(item, Given):
        texts["maths"] = item.maths
        texts["formula"] = item.formula
    return texts


def _same(key: str, want: str, got: object) -> bool:
    if key == "formula":
        return got in (formula_text(want, LINE), want)
    return got == want
