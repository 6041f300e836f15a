"""The pipeline for ``worksheet check``: file -> evaluator -> reference -> comparison.

A workbook passes when the cells a person sees, at the places the layout (rebuilt from the
file's own givens) puts them, give numpy's values; when its defined names, sheets and
formulas are exactly the layout's, with no sheet hidden; when its formulas use only what
every spreadsheet computes alike; when every quantity depends on exactly the givens it
mathematically depends on; and when it still agrees with numpy after each given is nudged
by an amount of its own, drawn afresh each time, so that a literal standing in for a given
(``=delta_1*0.5`` where x₁ = 0.5), a swap of two givens that happen to be equal, or a
formula right only near the givens is caught on every sheet.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from worksheet.classroom.record import MARKED_KIND, STUDENT_KIND, kind_of
from worksheet.errors import BookError, FormulaError, SpecError
from worksheet.evaluator import Book, Evaluation, read_book
from worksheet.evaluator.charts import read_drawings
from worksheet.evaluator.dialect import cancelled, forget, noted
from worksheet.evaluator.engine import collector_paused
from worksheet.model.names import EPSILON
from worksheet.model.spec import MAX_EPSILON
from worksheet.sheets.layout import GIVENS, BookLayout
from worksheet.sheets.training import cells_to_write
from worksheet.verify.arithmetic import excel_and_libreoffice, spreadsheets_and_numpy
from worksheet.verify.charts import chart_faults
from worksheet.verify.compare import (
    Mismatch,
    Report,
    compare,
    mark_carried,
    pinned_values,
)
from worksheet.verify.conformance import covered_faults, layout_faults
from worksheet.verify.dependence import dependence_faults
from worksheet.verify.expectations import expectations, layout_for
from worksheet.verify.expected import Expected
from worksheet.verify.far import far_faults
from worksheet.verify.formula_rules import formula_faults
from worksheet.verify.formula_shapes import PlannedShapes
from worksheet.verify.labels import label_faults
from worksheet.verify.readback import given_refs, spec_from_book
from worksheet.verify.recomputed import recomputed_faults

STAGES = ("read", "reference", "evaluate", "compare", "nudged givens")


def check_file(path: Path, progress: Callable[[str], None] | None = None) -> Report:
    """Evaluate every formula of the saved file and compare it with numpy, rebuilt from
    the file's own givens (so a workbook edited and saved by a person still checks).

    ``progress(stage)`` hears as each of ``STAGES`` is done."""
    with collector_paused():  # millions of objects, none in a cycle: see collector_paused
        return _check(path, progress or (lambda stage: None))


def _check(path: Path, tell: Callable[[str], None]) -> Report:
    book = read_book(path)
    drawn = read_drawings(path)  # what is drawn over the cells: refused early when hostile
    kind = kind_of(book)
    if kind == STUDENT_KIND:  # its blanks would all be reported as "not a formula"
        raise BookError(f"{path}: is a student's copy to fill in; mark it with: worksheet grade")
    if kind == MARKED_KIND:
        raise BookError(f"{path}: is a marked copy (written by worksheet grade), not a worksheet")
    spec = spec_from_book(book)
    _refuse_oversized(book, spec)
    tell("read")
    try:
        expected, missing = expectations(book, spec)
    except SpecError as exc:
        raise BookError(f"{path}: cannot check: {exc}") from None
    # The nudged pass's expectations too, before the evaluation is built: numpy's training
    # run holds a large book's every update for a moment, better not beside the evaluation.
    nudged = _nudged_expectations(book, layout_for(spec))
    tell("reference")
    try:
        evaluation = Evaluation(book)  # compiled once, run again with the givens nudged
        forget()
        values = evaluation.run()
        if noted():  # LibreOffice would compute some operation otherwise: does it matter?
            excel_and_libreoffice(book, values, expected)
    except FormulaError as exc:  # a cycle, an unsupported function: the file is refused
        raise BookError(f"{path}: cannot evaluate: {exc}") from None
    tell("evaluate")
    report = compare(book, values, expected, missing)
    if cancelled() and not report.ok:  # a last + or - cancelled to 0, numpy's noise kept
        spreadsheets_and_numpy(book, report, expected)
    layout = layout_for(spec)
    report.mismatches.update(layout_faults(book, layout, _record_names(book)))
    for label, fault in label_faults(book, layout).items():
        report.mismatches.setdefault(label, fault)
    report.mismatches.update(covered_faults(book, expected))
    planned = PlannedShapes(spec, layout)
    for label, fault in formula_faults(book, expected, planned, evaluation.units).items():
        report.mismatches.setdefault(label, fault)
    for label, fault in dependence_faults(book, spec, layout, expected, evaluation.units).items():
        report.mismatches.setdefault(label, fault)
    # (The evaluation's grid still holds this run's values: no other run has been made.)
    own = recomputed_faults(book, expected, planned.planned_formulas(), evaluation.grid)
    own.update(far_faults(book, expected, planned, evaluation.units, evaluation.grid))
    for label, fault in own.items():
        report.mismatches.setdefault(label, fault)
    tell("compare")
    _flag_unplanned(book, values, expected, report)
    for label, fault in chart_faults(drawn, book, spec, values).items():
        report.mismatches.setdefault(label, fault)
    if not report.ok:
        # Which wrong cells are wrong on their own, which only inherit a wrong input.
        mark_carried(report, evaluation.run(pinned=pinned_values(expected)))
    else:
        del values, expected
        _follows_givens(book, evaluation, report, nudged)
    tell("nudged givens")
    return report


def _refuse_oversized(book: Book, spec) -> None:
    """Givens edited to describe a far larger workbook than the file holds (epochs 3 ->
    20,000 in a 10 KB file) would have numpy train for minutes to list a million missing
    cells: refused first, from the counts alone."""
    planned = cells_to_write(spec)
    formulas = sum(1 for cell in book.cells.values() if cell.formula is not None)
    if planned > formulas:
        raise BookError(
            f"{book.path}: its givens describe {planned:,} formulas of training tables,"
            f" but the file holds {formulas:,} formulas in all"
        )


def _flag_unplanned(book: Book, values: dict, expected: dict, report: Report) -> None:
    """Everything a person sees must be planned: a sheet the layout does not have (a second
    "Step " sheet with other numbers, a Training table the givens do not ask for) or a
    formula outside the layout is a fault, whatever it computes; so is a number typed outside
    it, which a formula could read through a range or a person take for a result."""
    planned = {ref.sheet for ref in expected} | {GIVENS}
    for sheet in book.sheet_names:
        if sheet not in planned:
            report.mismatches.setdefault(
                f"sheet {sheet}", Mismatch(None, None, None, None, "sheet not planned")
            )
    unchecked = [ref for ref in values if ref not in expected]
    for ref in unchecked:
        if ref.sheet in planned:
            formula = book.cells[ref].formula
            report.mismatches.setdefault(
                str(ref), Mismatch(None, None, values[ref], formula, "formula not planned")
            )
    givens, typed = set(given_refs(book).values()), 0
    for ref, cell in book.cells.items():  # a number a formula could read, or a person take
        # a TRUE/FALSE too: SUM skips it in Excel and counts it as 1/0 in LibreOffice
        if cell.formula is None and type(cell.value) in (float, bool) and ref.sheet in planned:
            if ref not in expected and ref not in givens:
                typed += 1
                if typed <= MAX_LISTED:  # a million of them must not make a million faults
                    what = "TRUE/FALSE" if type(cell.value) is bool else "number"
                    reason = f"{what} typed off the layout"
                    report.mismatches.setdefault(
                        str(ref), Mismatch(None, None, cell.value, None, reason)
                    )
    if typed > MAX_LISTED:
        more = f"{typed - MAX_LISTED:,} more numbers typed off the layout"
        report.mismatches.setdefault("numbers typed", Mismatch(None, None, None, None, more))
    report.unchecked = len(unchecked)


def _record_names(book: Book) -> list[str]:
    """What a handout's key says about itself (its kind, its student): workbook names of
    text cells on the Givens sheet, which no formula of the exercise reads."""
    found = []
    for scope, name in book.names:
        ref = book.name_ref(name) if scope is None else None
        cell = book.cells.get(ref) if ref is not None and ref.sheet == GIVENS else None
        if cell is not None and cell.formula is None and isinstance(cell.value, str):
            found.append(name)
    return found


def nudge(name: str, value: float, move: float) -> float:
    """``value`` moved by ``move`` (a fraction, signed), either way where the network stays
    valid: targets stay inside [0, 1], rates and ε's positive, decay factors (β) in [0, 1).
    Both ways, so that a formula wrong only above a given (η > 0.5) is tried there too.

    The gradient check's ε is moved far, either way (up to a hundredfold, within its limit of
    0.1): a
    numerical gradient restated from the analytic one (``L + ε·∂L/∂w`` in place of the
    nudged loss) differs from a true central difference by O(ε²), which a small ε hides
    under the tolerance and a large one shows."""
    r = abs(move)
    if name.startswith("y_"):
        shifted = value + 0.1 * (0.5 - value)
        moved = shifted + move
        return moved if 0 <= moved <= 1 else shifted - move
    if name == EPSILON.name:
        factor = 1 + 500 * r
        up = move > 0 and value * factor <= MAX_EPSILON
        return value * factor if up else value / factor
    if name.startswith("beta"):
        return value + r * (1 - value) if move > 0 else value * (1 - r)
    if name.startswith(("eta", "eps")):
        return value * (1 + r) if move > 0 else value * (1 - r)
    return value + move * (1 + abs(value))


def moves(names, scale: float, draw: random.Random) -> dict[str, float]:
    """A move of its own for each given, drawn afresh for every check (a formula cannot be
    written to be right at a nudge it can predict), between 0.5 % and 20 % log-uniformly,
    either way: two givens that are equal become different, and a formula right only near
    the givens (``IF(x_1<0.6,...)``) is tried well away from them."""
    return {
        name: scale * math.exp(draw.uniform(math.log(0.005), math.log(0.2))) * draw.choice((-1, 1))
        for name in names
    }


SCALES = (1.0, 0.1, 0.01)  # a smaller move when the first makes the network incomputable
MAX_LISTED = 1_000  # numbers typed off the layout listed one by one


def _nudged_expectations(book: Book, layout: BookLayout) -> tuple[dict, Expected] | None:
    """The givens each moved by an amount of its own, and what numpy expects of them; None
    when no move (even the smallest) leaves the network computable.  ``layout``: the
    file's, which moved values do not change (a deep network's takes a second to plan)."""
    draw = random.SystemRandom()
    for scale in SCALES:
        moved = _nudged(book, scale, draw)
        try:
            expected, _ = expectations(moved, spec_from_book(moved), layout=layout)
        except (SpecError, BookError, ArithmeticError):
            continue  # that nudge leaves the network incomputable: try a smaller one
        cells = moved.cells  # a name on an empty Givens cell is layout_faults' to report
        return {
            ref: cells[ref].value for ref in given_refs(book).values() if ref in cells
        }, expected
    return None


def _follows_givens(
    book: Book, evaluation: Evaluation, report: Report, nudged: tuple[dict, Expected] | None
) -> None:
    """Evaluate again with every given nudged by its own amount; every quantity, on every
    sheet, must move as numpy's does."""
    if nudged is None:
        report.mismatches["givens"] = Mismatch(
            None, None, None, None, "the givens cannot be nudged to test that formulas follow them"
        )
        return
    givens, expected = nudged
    values = evaluation.run(constants=givens)
    # The book as saved serves the comparison: no expected cell is a given.
    second = compare(book, values, expected, cached=False)
    if not second.ok:
        pinned = pinned_values(expected)
        mark_carried(second, evaluation.run(constants=givens, pinned=pinned))
    for label, m in second.mismatches.items():
        if m.reason == "differs":
            reason = "does not follow its givens (values with the givens nudged)"
            report.mismatches.setdefault(label, replace(m, reason=reason))


def _nudged(book: Book, scale: float, draw: random.Random) -> Book:
    """``book`` with its givens moved; its other cells are the book's own, not copied (a
    large book's are hundreds of thousands)."""
    givens = given_refs(book)
    move = moves(givens, scale, draw)
    values: dict = {}
    for name, ref in givens.items():
        cell = book.cells.get(ref)
        value = None if cell is None else cell.value
        if isinstance(value, float) and not isinstance(value, bool):
            values[ref] = nudge(name, value, move[name])
    return book.with_values(values)
