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
from worksheet.render.formula_text import formula_text
from worksheet.sheets.givens import Given
from worksheet.sheets.layout import BookLayout
from worksheet.sheets.network import NETWORK, parts
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
    return faults | _network_faults(book)


def _network_faults(book: Book) -> dict[str, Mismatch]:
    """The Network sheet's labels: each box's symbol and the words beside each weight, bias
    and target (x₁ and x₂ swapped there read x₁ = 0.3 as much as on the Givens sheet)."""
    if NETWORK not in book.sheet_names:
        return {}
    faults = {}
    for part in parts(spec_from_book(book)):
        row, col = (part.top, part.col) if part.kind == "box" else (part.row, part.col - 1)
        cell = book.cells.get(CellRef(NETWORK, row, col))
        got = cell.value if cell is not None and cell.formula is None else None
        if got != part.label:
            shown = got if got is None or isinstance(got, str) else repr(got)
            faults[f"{NETWORK}!{col_letters(col)}{row}"] = Mismatch(
                part.symbol.name, part.label, shown, None, "label differs from the plan"
            )
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
