"""Formulas right only on one side of a branch: tried again with the givens moved far.

The nudged pass moves each given by 0.5 to 20 %, which never flips the sign of a neuron's
input, so a formula right only for the signs the givens happen to give passes it: ReLU
written as ``=z_1`` (right while z₁ > 0), its derivative as ``IF(z_1>0,1,1)``, ``ABS(g)``
as ``-g`` where g < 0, a Training column whose ReLU factor is dropped.  Branch and shape
rules cannot tell these from the plan (same inputs, as many branches or fewer).

So every formula whose text is not its planned formula's is evaluated again with the
weights, biases and inputs moved far, of both signs, following a design that puts every
given and every neuron's input z on both sides of 0 (``far_draws``): its own inputs pinned
to numpy's values for those givens (each formula judged on its own, as a marker would),
its value held to numpy's.  A formula whose text is the plan's computes the plan's function
and needs no trial; an honest rewrite (commuted operands, an intermediate used instead of
its expansion, ``EXP(z)/(1+EXP(z))``) is right at any givens and passes.  A long table's
column is judged by copies: cells sharing one compiled formula and one planned text are one
formula moved down, tried at every row it stands in; so is a sweep's or a comparison's
column of losses.  Every sheet is drawn again: the hand-traced ones in all 16 draws, the
training sheets (Training, Summary, each run, Sweep, Compare), whose numpy runs cost more,
in the first two, each the other's mirror.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping
from dataclasses import replace
from itertools import islice

from worksheet.errors import BookError, SpecError
from worksheet.evaluator import Book, CellRef
from worksheet.evaluator.areas import StoredCells
from worksheet.evaluator.closures import finish
from worksheet.evaluator.compiler import Compiler
from worksheet.sheets.compare import COMPARE, Compare
from worksheet.sheets.compare import run_sheet as compare_sheet
from worksheet.sheets.network import NETWORK
from worksheet.sheets.sweep import SWEEP, TOP_ROW, Sweep, run_sheet
from worksheet.sheets.training_table import FIRST_ROW, Table
from worksheet.verify.compare import Mismatch, agree
from worksheet.verify.expectations import expectations
from worksheet.verify.far_draws import DRAWS, FarDesign
from worksheet.verify.formula_shapes import PlannedShapes
from worksheet.verify.readback import given_refs, spec_from_book
from worksheet.verify.recomputed import compiled_at, same

REASON = "wrong with the givens moved far (right only near them)"
# The training sheets' draws: a numpy training run each (a second on a 10,000-update
# table), and their rows already cover many signs per draw; the first two draws are each
# other's mirror, so every given and every first z still takes both signs.
TABLE_DRAWS = 2
ATTEMPTS = 3  # a draw numpy cannot take (a run that overflows) is drawn again, same strata
_MOVED = re.compile(r"[wbx]_\d+(?:_ex\d+)?")  # weights, biases, inputs: no rate, no target


def far_faults(
    book: Book, expected: Mapping, planned: PlannedShapes, units: Mapping, grid: Mapping
) -> dict[str, Mismatch]:
    """Cells whose formula differs from the plan and, with the givens far from the file's,
    from numpy.  ``units``: the evaluation's compiled formulas; ``grid``: its values."""
    plans = _Plans(planned)
    hosts, tabled = _rewritten(book, expected, plans, units)
    if not hosts:
        return {}
    own = {key: refs for key, refs in hosts.items() if key not in tabled}  # hand-traced
    givens = given_refs(book)
    moved = {name: ref for name, ref in givens.items() if _MOVED.fullmatch(name)}
    # A numerical gradient is numpy's dearest number (a forward pass per parameter, each
    # way): worked out only where a rewritten formula stands in the gradient check.
    checks = {(s.name, row, col) for s in planned.layout.steps for row, col, _, _ in s.cells}
    gradcheck = any(ref in checks for refs in hosts.values() for ref in refs)
    # Likewise the Network sheet's values (a second a check on a deep network's 16 draws).
    network = any(key[0] == NETWORK for key in hosts)
    design = FarDesign(book, moved, random.SystemRandom())
    faults: dict[str, Mismatch] = {}
    # Every formula gets its own number of draws: a rewritten table formula must not cut
    # a step sheet's to the table's two.
    for k in range(DRAWS if own else TABLE_DRAWS):
        tables = bool(tabled) and k < TABLE_DRAWS
        drawn = _drawn(design, k, (tables, gradcheck, network), planned) if tables else None
        if drawn is None:  # no tables in this draw, or none numpy could train
            tables = False
            drawn = _drawn(design, k, (False, gradcheck, network), planned) if own else None
        if drawn is None:
            continue
        far, want = drawn
        pinned = _Pinned(grid, {ref: far.cells[ref].value for ref in givens.values()}, want)
        for label, fault in _judge(far, hosts if tables else own, want, pinned, plans).items():
            faults.setdefault(label, fault)
        del far, want, pinned  # before the next draw makes its own (a large table's: 100s of MB)
    return faults


def _drawn(design: FarDesign, k: int, parts: tuple[bool, bool, bool], planned: PlannedShapes):
    """Draw ``k``'s far book and numpy's values for it, or None when numpy cannot take its
    givens in ``ATTEMPTS`` tries (each drawn afresh within the same strata).  ``parts``:
    whether numpy's values are needed for the tables, the gradient check, the Network sheet."""
    tables, gradcheck, network = parts
    for _ in range(ATTEMPTS):
        far = design.far(k)
        try:
            spec = spec_from_book(far)
            spec = spec if gradcheck else replace(spec, gradcheck=False)
            # (expectations leaves out the Network sheet of a book that has none)
            shown = far if network else replace(far, sheet_names=_without(far, NETWORK))
            # The cells are where the file's layout puts them: only values moved.
            return far, expectations(shown, spec, tables, planned.layout)[0]
        except (SpecError, BookError, ArithmeticError):
            continue
    return None


def _without(book: Book, sheet: str) -> list[str]:
    return [name for name in book.sheet_names if name != sheet]


def _rewritten(
    book: Book, expected: Mapping, plans: _Plans, units: Mapping
) -> tuple[dict[tuple, list[CellRef]], set[tuple]]:
    """The cells of each formula whose text is not the plan's, by formula, and which of
    those formulas stand on the training sheets (numpy knows them only with the tables).
    A cell planned on its own is its own key; a long table's cells go by (sheet, column,
    compiled formula, which planned text of the table the row repeats); a sweep's or a
    comparison's loss column by (sheet, column, compiled formula): one text moved down."""
    judged: dict[tuple, bool] = {}
    hosts: dict[tuple, list[CellRef]] = {}
    cells, get_unit, tables = book.cells, units.get, plans.planned.tables
    formula_of, losses = plans.planned.formula_of, plans.last
    phases: dict[str, list[int]] = {}  # each sheet's rows from FIRST_ROW: which planned text
    for ref in expected:
        unit = get_unit(ref)
        if unit is None:
            continue  # not a formula: the comparison reports it
        sheet, row, col = ref
        repeats = phases.get(sheet)
        if repeats is None:
            repeats = phases[sheet] = _repeats(tables.get(sheet))
        if 0 <= row - FIRST_ROW < len(repeats):
            key: tuple = (sheet, col, id(unit), repeats[row - FIRST_ROW])
        elif sheet in losses and TOP_ROW <= row <= losses[sheet]:
            key = (sheet, col, id(unit), -1)
        else:
            key = (sheet, (row, col), None, 0)
        seen = judged.get(key)
        if seen is None:
            plan = formula_of(ref)  # (the loss tables' plan only where it has none)
            text = plan[0] if plan is not None else plans.formula(ref)
            seen = judged[key] = text is not None and text != cells[ref].formula
        if seen:
            hosts.setdefault(key, []).append(ref)
    hand = {s.name for s in plans.planned.layout.steps} | {NETWORK}
    return hosts, {key for key in hosts if key[0] not in hand}


def _repeats(run: Table | None) -> list[int]:
    """Which planned text each update's row of a long table repeats (none: no table)."""
    return [] if run is None else [run.phase(u) for u in range(1, run.spec.updates + 1)]


class _Plans:
    """The planned formula of any checked cell: ``PlannedShapes`` knows those planned one by
    one and the long tables'; the loss columns of the Sweep and Compare sheets (one text down
    each column, ``loss_rows``) are written here, a row at a time, when asked for."""

    def __init__(self, planned: PlannedShapes) -> None:
        self.planned = planned
        planned.planned_formulas()  # the plan made, its tables known
        spec = planned.spec
        # Each loss table's rows: TOP_ROW to its last update's (both sheets: spec.updates).
        shown = {SWEEP: bool(spec.lr_sweep), COMPARE: bool(spec.compare_optimizers)}
        self.last = {sheet: TOP_ROW + spec.updates - 1 for sheet, on in shown.items() if on}
        self._layouts: dict[str, Sweep | Compare] = {}

    def in_losses(self, ref: CellRef) -> bool:
        """Whether ``ref`` stands in a Sweep or Compare sheet's loss table."""
        last = self.last.get(ref.sheet)
        return last is not None and TOP_ROW <= ref.row <= last

    def formula(self, ref: CellRef) -> str | None:
        plan = self.planned.formula_of(ref)
        if plan is not None or not self.in_losses(ref):
            return plan[0] if plan is not None else None
        row = next(islice(self._layout(ref.sheet).rows(), ref.row - TOP_ROW, None))
        return row[ref.col - 1] if 1 <= ref.col <= len(row) else None

    def _layout(self, sheet: str) -> Sweep | Compare:
        if sheet not in self._layouts:
            spec, tables = self.planned.spec, self.planned.tables
            if sheet == SWEEP:
                runs = [tables[run_sheet(r)] for r in range(1, len(spec.lr_sweep) + 1)]
                self._layouts[sheet] = Sweep(spec, runs)
            else:
                kinds = spec.compare_optimizers
                self._layouts[sheet] = Compare(spec, [(k, tables[compare_sheet(k)]) for k in kinds])
        return self._layouts[sheet]


class _Pinned:
    """The values a judged formula reads, looked up as it reads them: the far givens, then
    numpy's values for them, then the file's own grid.  Nothing is copied: a large book's
    grid and expectations are hundreds of thousands of cells, of which a formula reads a
    few (a table's entries are made only when asked for)."""

    def __init__(self, base: Mapping, givens: dict, want: Mapping) -> None:
        self._base, self._givens, self._want = base, givens, want

    def get(self, key, default=None):
        value = self._givens.get(key, _ABSENT)
        if value is _ABSENT:
            entry = self._want.get(key)
            return self._base.get(key, default) if entry is None else entry[1]
        return value


_ABSENT = object()


def _judge(
    far: Book, hosts: dict, want: Mapping, pinned: _Pinned, plans: _Plans
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
            plan = compiled_at(compiler, plans.formula(ref), ref) if slack else None
            if plan is not None:
                value = finish(plan(ref.row, ref.col))
                right = same(value, got)
            else:
                right = agree(value, got, slack)
            if not right:
                faults[str(ref)] = Mismatch(name, value, got, far.cells[ref].formula, REASON)
                break  # one cell per formula is enough to show it
    return faults
