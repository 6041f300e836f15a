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
from worksheet.model.spec import NetworkSpec
from worksheet.render.formula_text import formula_text
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
# render.book.LINE: the characters after which the writer spaces a product too (render
# loads openpyxl, which check must not; a test holds the two equal)
LINE = 21


def label_faults(book: Book, layout: BookLayout) -> dict[str, Mismatch]:
    """A mismatch for each compared label that differs from the plan's text."""
    faults: dict[str, Mismatch] = {}
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
