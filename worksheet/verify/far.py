"""Formulas right only on one side of a branch: tried again with the givens moved far.

The nudged pass moves each given by 0.5 to 20 %, which never flips the sign of a neuron's
input, so a formula right only for the signs the givens happen to give passes it: ReLU
written as ``=z_1`` (right while z₁ > 0), its derivative as ``IF(z_1>0,1,1)``, ``ABS(g)``
as ``-g`` where g < 0, a Training column whose ReLU factor is dropped.  Branch and shape
rules cannot tell these from the plan (same inputs, as many branches or fewer).

So every formula whose text is not its planned formula's is evaluated again with the
weights, biases and inputs drawn afresh from a wide range of both signs: its own inputs
pinned to numpy's values for those givens (each formula judged on its own, as a marker
would), its value held to numpy's.  A formula whose text is the plan's computes the plan's
function and needs no trial; an honest rewrite (commuted operands, an intermediate used
instead of its expansion, ``EXP(z)/(1+EXP(z))``) is right at any givens and passes.  A
long table's column is judged by copies: cells sharing one compiled formula and one planned
text are one formula moved down, tried at every row it stands in.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping
from dataclasses import replace

from worksheet.errors import BookError, SpecError
from worksheet.evaluator import Book, Cell, CellRef
from worksheet.evaluator.areas import StoredCells
from worksheet.evaluator.closures import finish
from worksheet.evaluator.compiler import Compiler
from worksheet.sheets.training_table import FIRST_ROW
from worksheet.verify.compare import Mismatch, agree
from worksheet.verify.expectations import expectations
from worksheet.verify.formula_shapes import PlannedShapes
from worksheet.verify.readback import given_refs, spec_from_book
from worksheet.verify.recomputed import compiled_at, same

REASON = "wrong with the givens moved far (right only near them)"
# Draws of far givens: each puts a neuron's input on either side of 0 with probability
# about one half, so a formula right on one side of one branch survives 16 draws about once
# in 65,000 checks (each draw of the hand-traced sheets alone takes milliseconds).  A book
# with long tables needs fewer: its rows already cover many signs per draw.
DRAWS, TABLE_DRAWS = 16, 2
_MOVED = re.compile(r"[wbx]_\d+(?:_ex\d+)?")  # weights, biases, inputs: no rate, no target
_SPREAD = 2.0  # far values lie within ±2 × max(1, |given|)


def far_faults(
    book: Book, expected: Mapping, planned: PlannedShapes, units: Mapping, grid: Mapping
) -> dict[str, Mismatch]:
    """Cells whose formula differs from the plan and, with the givens far from the file's,
    from numpy.  ``units``: the evaluation's compiled formulas; ``grid``: its values."""
    hosts = _rewritten(book, expected, planned, units)
    if not hosts:
        return {}
    tabled = {key: refs for key, refs in hosts.items() if key[3]}  # a long table's
    own = {key: refs for key, refs in hosts.items() if not key[3]}  # planned one by one
    givens = given_refs(book)
    moved = {ref for name, ref in givens.items() if _MOVED.fullmatch(name)}
    # A numerical gradient is numpy's dearest number (a forward pass per parameter, each
    # way): worked out only where a rewritten formula stands in the gradient check.
    checks = {(s.name, row, col) for s in planned.layout.steps for row, col, _, _ in s.cells}
    gradcheck = any(ref in checks for refs in hosts.values() for ref in refs)
    draw = random.SystemRandom()
    faults: dict[str, Mismatch] = {}
    # Every formula gets its own number of draws: a rewritten table formula must not cut
    # a step sheet's to the table's two.
    for k in range(DRAWS if own else TABLE_DRAWS):
        tables = bool(tabled) and k < TABLE_DRAWS
        judged = {**own, **tabled} if tables else own
        far = _far_book(book, moved, draw)
        try:
            spec = spec_from_book(far)
            spec = spec if gradcheck else replace(spec, gradcheck=False)
            # The cells are where the file's layout puts them: only values moved.
            want = expectations(far, spec, tables, planned.layout)[0]
        except (SpecError, BookError, ArithmeticError):
            continue  # givens the network cannot take: draw again
        pinned = _Pinned(grid, ((ref, far.cells[ref].value) for ref in givens.values()))
        pinned.update((ref, entry[1]) for ref, entry in want.items())
        for label, fault in _judge(far, judged, want, pinned, planned.planned_formulas()).items():
            faults.setdefault(label, fault)
        del far, want, pinned  # before the next draw makes its own (a large table's: 100s of MB)
    return faults


class _Pinned(dict):
    """numpy's values for the far givens over the file's own grid, which is not copied
    (a large book's grid is hundreds of thousands of cells, the values moved a few)."""

    def __init__(self, base: Mapping, values) -> None:
        super().__init__(values)
        self._base = base

    def get(self, key, default=None):
        value = dict.get(self, key, _ABSENT)
        return self._base.get(key, default) if value is _ABSENT else value


_ABSENT = object()


def _rewritten(book: Book, expected: Mapping, planned: PlannedShapes, units: Mapping) -> dict:
    """The cells of each formula whose text is not the plan's, by formula: a cell planned on
    its own is its own key; a table's cells go by (sheet, column, compiled formula, which
    planned text of the table the row repeats)."""
    judged: dict[tuple, bool] = {}
    hosts: dict[tuple, list[CellRef]] = {}
    cells, get_unit = book.cells, units.get
    planned.planned_formulas()  # the plan made, its tables known
    tables = planned.tables
    for ref in expected:
        unit = get_unit(ref)
        if unit is None:
            continue  # not a formula: the comparison reports it
        sheet, row, col = ref
        run, u = tables.get(sheet), row - FIRST_ROW + 1
        if run is not None and 1 <= u <= run.spec.updates:
            key: tuple = (sheet, col, id(unit), run.phase(u))
        else:
            key = (sheet, (row, col), None, 0)
        seen = judged.get(key)
        if seen is None:
            plan = planned.formula_of(ref)
            seen = judged[key] = plan is not None and plan[0] != cells[ref].formula
        if seen:
            hosts.setdefault(key, []).append(ref)
    return hosts


def _far_book(book: Book, moved: set[CellRef], draw: random.Random) -> Book:
    """``book`` with every weight, bias and input (the cells ``moved``) drawn afresh, of
    either sign."""
    cells = dict(book.cells)
    for ref in moved:
        value = cells[ref].value
        if type(value) is float:
            cells[ref] = Cell(None, draw.uniform(-_SPREAD, _SPREAD) * max(1.0, abs(value)))
    return replace(book, cells=cells)


def _judge(
    far: Book, hosts: dict, want: Mapping, pinned: dict, planned: Mapping[CellRef, str]
) -> dict[str, Mismatch]:
    """Each rewritten formula at each of its cells, its inputs pinned to ``want``.  A cell
    numpy knows only loosely (a numerical gradient, a relative difference: their slack can
    reach 1e290 where a gradient is 0) is held instead, with no slack, to its planned
    formula on the same pinned inputs (see ``recomputed``)."""
    compiler = Compiler(far, pinned, StoredCells(far.cells))  # type: ignore[arg-type]
    faults: dict[str, Mismatch] = {}
    for refs in hosts.values():
        fn = compiled_at(compiler, far.cells[refs[0]].formula, refs[0])
        for ref in refs:
            if fn is None or ref not in want:
                break
            name, value, slack = want[ref]
            got = finish(fn(ref.row, ref.col))
            plan = compiled_at(compiler, planned.get(ref), ref) if slack else None
            if plan is not None:
                value = finish(plan(ref.row, ref.col))
                right = same(value, got)
            else:
                right = agree(value, got, slack)
            if not right:
                faults[str(ref)] = Mismatch(name, value, got, far.cells[ref].formula, REASON)
                break  # one cell per formula is enough to show it
    return faults
