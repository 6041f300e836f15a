"""Dependence, not only values: each quantity must depend, through the workbook's own
references, on exactly the givens it mathematically depends on.

Values alone cannot tell ``=dL_dw_1`` typed as the numerical gradient (it agrees with the
central difference to the check's own tolerance, whatever the givens) from the real thing,
nor a formula that reads a typed number where it should read a given that happens to hold
it.  So the references are walked: in the file, from each checked cell down to the givens;
and in the plan, the same layout written as an in-memory book of the planned formulas (the
hand-traced sheets: Givens, Step sheets with their gradient check, Network).  The two sets
of givens must be equal cell by cell.  Legitimate rewrites keep them equal: commuted
operands, addresses for names, an intermediate used instead of its expansion.

Every checked cell of those sheets must also read only checked cells and givens: a formula
reaching a number typed elsewhere, or a formula the layout does not have, is reported.
The long tables (Training, Summary, sweeps) get no planned sets here; that every row follows
the Givens sheet, and no typed number, is shown there by the nudged-givens evaluation of
``check``.  The walk compiles only the formulas it reaches.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from itertools import chain

from worksheet.evaluator import Book, Cell, CellRef
from worksheet.evaluator.areas import SPARSE_AREA, StoredCells
from worksheet.evaluator.graph import SheetIndex
from worksheet.evaluator.references import Area, references
from worksheet.model.spec import NetworkSpec
from worksheet.sheets.cells import absolute
from worksheet.sheets.layout import GIVENS, BookLayout
from worksheet.sheets.network import NETWORK, parts
from worksheet.verify.compare import Mismatch

Refs = Mapping[CellRef, tuple[list[CellRef], list[Area]]]


def planned_book(spec: NetworkSpec, layout: BookLayout) -> Book:
    """The hand-traced sheets as planned: givens as numbers, every other cell its formula."""
    cells: dict[CellRef, Cell] = {}
    for sheet in layout.sheets:
        col = sheet.col("value")
        for row, item in sheet.lines:
            formula = getattr(item, "formula", None)
            cells[CellRef(sheet.name, row, col)] = Cell(formula, None if formula else item.value)
        for row, c, formula, _ in sheet.cells:
            cells[CellRef(sheet.name, row, c)] = Cell(formula, None)
    for part in parts(spec):
        cells[CellRef(NETWORK, part.row, part.col)] = Cell(part.formula, None)
    names = {
        (scope, name.upper()): absolute(t.sheet, t.row, t.col)
        for (scope, name), t in layout.names.items()
    }
    sheets = [s.name for s in layout.sheets] + [NETWORK]
    return Book("(plan)", sheets, cells, names)


def given_sets(
    book: Book, refs: Refs, givens: dict[CellRef, str], targets: Iterable[CellRef]
) -> dict[CellRef, frozenset[str]]:
    """For each target formula cell, the names of the givens it reaches, by references
    followed through formula cells (iteratively: a Training column is a chain 10,000 deep)."""
    bit = {ref: 1 << i for i, ref in enumerate(givens)}
    by_bit = list(givens.values())
    index = _Index(book, givens)
    masks: dict[CellRef, int] = {}
    reads: dict[CellRef, list[CellRef]] = {}
    # The formula cells of the targets' sheets as a set (a walk asks a million times); of
    # any other sheet, asked of the book (a W4 Training sheet's set was 30 MB, never read).
    sheets = {ref[0] for ref in targets}
    on_sheets = {
        ref for ref, cell in book.cells.items() if ref[0] in sheets and cell.formula is not None
    }
    cells = book.cells

    def formula(p: CellRef) -> bool:
        if p[0] in sheets:
            return p in on_sheets
        cell = cells.get(p)
        return cell is not None and cell.formula is not None

    for start in targets:
        if start in masks or not formula(start):
            continue
        stack = [start]
        while stack:
            ref = stack[-1]
            if ref not in reads:
                reads[ref] = _reads(refs, index, ref)
            pending = [
                p
                for p in reads[ref]
                if (p in on_sheets or (p[0] not in sheets and formula(p))) and p not in masks
            ]
            if pending:
                stack.extend(pending)
                continue
            stack.pop()
            mask = 0
            for p in reads.pop(ref):
                mask |= bit.get(p, 0) | masks.get(p, 0)
            masks[ref] = mask
    named: dict[int, frozenset[str]] = {}  # few distinct masks, many cells
    for ref in targets:
        mask = masks.get(ref)
        if mask is not None and mask not in named:
            named[mask] = frozenset(by_bit[i] for i in range(mask.bit_length()) if mask >> i & 1)
    return {ref: named[masks[ref]] for ref in targets if ref in masks}


class _Index:
    """The formula cells and givens inside an area, built only if some formula reads one."""

    def __init__(self, book: Book, givens: dict) -> None:
        self._book, self._givens, self._index = book, givens, None

    def in_area(self, *area) -> list:
        if self._index is None:
            formulas = [ref for ref, cell in self._book.cells.items() if cell.formula]
            self._index = SheetIndex([*formulas, *self._givens])
        return self._index.in_area(*area)


def _reads(refs: Refs, index: _Index, ref: CellRef) -> list[CellRef]:
    singles, areas = refs[ref]
    if not areas:
        return singles
    inside = list(singles)
    for area in areas:
        inside += [CellRef(*key) for key in index.in_area(*area)]
    return inside


def given_cells(layout: BookLayout) -> dict[CellRef, str]:
    """Each given's planned cell with one name (``x_1`` rather than its alias ``x_1_ex1``)."""
    found: dict[CellRef, str] = {}
    for (scope, name), t in sorted(layout.names.items(), key=lambda item: item[0][1]):
        if scope is None and t.sheet == GIVENS:
            found.setdefault(CellRef(t.sheet, t.row, t.col), name)
    return found


def dependence_faults(
    book: Book, spec: NetworkSpec, layout: BookLayout, expected: dict, units=None
) -> dict[str, Mismatch]:
    """Checked cells of the hand-traced sheets whose givens differ from the plan's, and
    checked cells anywhere that read outside the checked cells and the givens.  ``units``:
    the book's formulas as an ``Evaluation`` compiled them, not compiled again."""
    givens = given_cells(layout)
    refs = references(book, units)
    plan = planned_book(spec, layout)
    plan_refs = references(plan, _shared_units(book, plan, units), refs if units else None)
    targets = [ref for ref in plan_refs if ref in expected]
    faults = _outside_reads(book, refs, targets, givens, expected)
    want = given_sets(plan, plan_refs, givens, targets)
    got = given_sets(book, refs, givens, targets)
    faults.update(_checks_skipped(refs, plan_refs, layout, expected))
    for ref in targets:
        if ref in got and got[ref] != want[ref] and str(ref) not in faults:
            missing, extra = sorted(want[ref] - got[ref]), sorted(got[ref] - want[ref])
            how = "; ".join(
                part
                for part in (
                    f"misses {', '.join(missing)}" if missing else "",
                    f"also reads {', '.join(extra)}" if extra else "",
                )
                if part
            )
            faults[str(ref)] = Mismatch(
                expected[ref][0], None, None, book.cells[ref].formula,
                f"depends on the wrong givens ({how})",
            )  # fmt: skip
    return faults


def _shared_units(book: Book, plan: Book, units) -> dict | None:
    """The file's compiled formulas that the plan may reuse: what a formula reads depends
    only on its text, its cell, the defined names and the sheets, so where all four are the
    plan's the compiled unit is the plan's too (the planned book compiled again took as
    long as the evaluation)."""
    if (
        units is None
        or book.names != plan.names
        or not set(plan.sheet_names) <= set(book.sheet_names)
    ):
        return None
    cells = book.cells
    return {
        ref: units[ref]
        for ref, cell in plan.cells.items()
        if cell.formula is not None and ref in units and cells[ref].formula == cell.formula
    }


def _checks_skipped(refs: Refs, plan_refs: Refs, layout: BookLayout, expected: dict) -> dict:
    """A gradient check must be computed, not restated: the numerical gradient has to read
    its two nudged losses itself, and the relative difference both gradients.
    (``=dL_dw_1+0*eps`` reads the right givens and agrees with the central difference to
    its own tolerance; ``=0*dL_dw_1_numeric`` reaches both gradients through the first:
    only what each reads itself gives them away.)"""
    faults: dict[str, Mismatch] = {}
    for sheet in layout.steps:
        for row, col, _, name in sheet.cells:
            ref = CellRef(sheet.name, row, col)
            if name is None or ref not in refs or ref not in plan_refs:
                continue
            needed = {p for p in plan_refs[ref][0] if p in expected}
            missed = needed - set(refs[ref][0])
            if missed:
                shown = ", ".join(sorted(expected[p][0] for p in missed))
                faults[str(ref)] = Mismatch(
                    expected[ref][0], None, None, None, f"does not compute from {shown}"
                )
    return faults


def _outside_reads(
    book: Book, refs: Refs, targets: list, givens: dict, expected: dict
) -> dict[str, Mismatch]:
    faults: dict[str, Mismatch] = {}
    stored: StoredCells | None = None  # the book's stored cells by sheet, once a range needs it
    for ref in targets:
        if ref not in refs:
            continue
        singles, areas = refs[ref]
        if areas and stored is None:
            stored = StoredCells((c.sheet, c.row, c.col) for c in book.cells)
        for p in chain(singles, *(_cells_in(stored, area) for area in areas)):
            if p in expected or p in givens:
                continue
            cell = book.cells.get(p)
            if cell is None or (cell.formula is None and type(cell.value) not in (float, bool)):
                continue  # an empty cell or a label: a value the comparison judges
            what = "a formula outside the layout" if cell.formula else "a number typed there"
            what = "TRUE/FALSE typed there" if type(cell.value) is bool else what
            faults[str(ref)] = Mismatch(
                expected[ref][0], None, None, book.cells[ref].formula, f"reads {p}, {what}"
            )
            break
    return faults


def _cells_in(stored: StoredCells, area: Area) -> Iterator[CellRef]:
    """The cells of a range a formula reads (its stored ones, for a large range): each is
    held to the rule of a single reference (``SUM(Z40:Z9999)`` reads a typed Z40 too)."""
    sheet, top, left, bottom, right = area
    if (bottom - top + 1) * (right - left + 1) <= SPARSE_AREA:
        for row in range(top, bottom + 1):
            for col in range(left, right + 1):
                yield CellRef(sheet, row, col)
        return
    for key in stored.within(sheet, top, left, bottom, right):  # a large range: stored cells
        yield CellRef(*key)
