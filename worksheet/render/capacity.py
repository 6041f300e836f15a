"""Refuse to write a workbook that ``worksheet check`` would refuse as too large to read.

The evaluator caps what it reads from any file (``evaluator/limits.py``) so that an untrusted
workbook stays bounded in time and memory; a workbook we write must fit inside the same caps,
or its own check could never prove it.  Both tests run before anything is built, from the
spec and the plan: ``check_spec`` from the spec alone (a Training table of millions of cells),
then ``check_plan`` from the formula texts the sheets package plans, counting what the
evaluator counts (cells, formula text parsed, all formula text, the longest formula,
operations, defined names), a little more, never less (``tests/render/test_capacity.py``).

A filled-down table is counted by its shapes: its rows down to ``distinct_rows`` one by one,
and below them each column's widest formula times the rows it is copied to, since each copy
is the formula above with its relative row numbers moved down.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from itertools import islice

from worksheet.errors import SpecError
from worksheet.evaluator import a1
from worksheet.evaluator.limits import (
    MAX_CELLS,
    MAX_FORMULA,
    MAX_FORMULA_CHARS,
    MAX_NAMES,
    MAX_OPERATIONS,
    MAX_PARSED_CHARS,
)
from worksheet.model.spec import NetworkSpec
from worksheet.sheets.cells import absolute
from worksheet.sheets.compare import COMPARE, Compare, compare_tables
from worksheet.sheets.compare import run_sheet as compare_sheet
from worksheet.sheets.layout import BookLayout, SheetLayout, plan
from worksheet.sheets.network import parts
from worksheet.sheets.summary import Summary
from worksheet.sheets.sweep import SWEEP, TOP_ROW, Sweep, run_sheet, run_tables
from worksheet.sheets.training import TRAINING, cells_to_write, distinct_rows, table_width
from worksheet.sheets.training_table import Back, Table, table

# The training tables may take this much of the cell cap; the step sheets, labels, the
# gradient check and the summary need the rest.
TRAINING_CELLS = MAX_CELLS * 9 // 10
LEGEND_CELLS = 6  # "legend:" and its five colours (render.styles.LEGEND)


def check_spec(spec: NetworkSpec) -> None:
    """Refuse a Training table (and sweep) too large for ``check``, or too wide for a
    spreadsheet, from the spec alone."""
    width = table_width(spec)
    if width > a1.MAX_COL:
        raise SpecError(
            f"examples: full-batch training of the {'-'.join(map(str, spec.layers))} network"
            f" over {len(spec.examples)} examples needs {width:,} columns, more than a"
            f" spreadsheet's {a1.MAX_COL:,}; use fewer examples, a smaller network or no --batch"
        )
    cells = cells_to_write(spec)
    if cells <= TRAINING_CELLS:
        return
    network = "-".join(map(str, spec.layers))
    sweep = f" for each of {len(spec.lr_sweep)} learning rates" if spec.lr_sweep else ""
    raise SpecError(
        f"epochs: {spec.updates:,} updates of the {network} network{sweep} make {cells:,}"
        f" cells of training, more than the {TRAINING_CELLS:,} a workbook may hold and still"
        " be checked; use fewer epochs" + (" or learning rates" if sweep else "")
    )


@dataclass
class Costs:
    """What the evaluator counts on reading and compiling a workbook, against ``limits``."""

    cells: int = 0  # cells with a value or a formula
    parsed: int = 0  # characters of distinct formula text, defined names included
    formula_chars: int = 0  # characters of all formulas, without their "="
    longest: int = 0  # characters of the longest formula, without its "="
    operations: int = 0  # operations of all formula cells (one per operand or operator)
    names: int = 0  # defined names
    counting: bool = True  # whether to count operations (see ``check_plan``)
    by_shape: bool = True  # whether copies of one shape are parsed once (see ``formula``)
    shapes: set = field(default_factory=set)  # formulas' shapes met, each parsed once

    def formula(self, text: str, copies: int = 1, grown: int = 0, at: tuple = ()) -> None:
        """Count ``text`` parsed once and written ``copies`` times, each copy up to ``grown``
        characters longer (its row numbers lower down).  ``at`` (sheet, row, column): where
        it stands, so that copies of one shape elsewhere (a gradient check's columns) are
        parsed once, as the evaluator parses them (``evaluator.plans``)."""
        chars = len(text) - 1 + grown
        self.cells += copies
        if at and self.by_shape:
            sheet, row, col = at
            shape = (sheet, a1.shape(text, row, col))
            if shape not in self.shapes:
                self.shapes.add(shape)
                self.parsed += len(text)
        else:
            self.parsed += len(text)
        self.formula_chars += chars * copies
        self.longest = max(self.longest, chars)
        if self.counting:
            self.operations += _operations(text) * copies


def check_plan(spec: NetworkSpec, layout: BookLayout) -> None:
    """Refuse the workbook of ``spec`` (planned as ``layout``) when the evaluator would
    refuse it by one of its limits: before anything is computed or built.

    Operations are counted only when they could be too many: each takes a character of
    formula text at least, so a plan with no more characters of formulas than operations
    allowed cannot exceed them (counting them takes a fifth of a second on a 2-8-8-8-4
    network over three steps, whose 79,000 formulas hold 3 million characters)."""
    c = costs(spec, layout, operations=False, by_shape=False)
    if c.formula_chars > MAX_OPERATIONS or c.parsed > MAX_PARSED_CHARS:
        c = costs(spec, layout)  # the exact counts, where the quick upper bounds are too many
    _refuse(c)


# From this many step sheets, planning one more to bound them all costs a quarter at most.
EARLY_STEPS = 4


def check_early(spec: NetworkSpec) -> None:
    """Refuse, from step 1's plan alone, a workbook of many step sheets that ``check_plan``
    would refuse: each later sheet holds step 1's formulas, respelled with longer names,
    and more, so ``steps`` times step 1 is a lower bound of the full count.  (Planning ten
    sheets of a 2-8-8-8-4 network to refuse them took seconds.)"""
    if spec.steps < EARLY_STEPS:
        return
    one = replace(spec, steps=1)
    layout = plan(one)
    c, step = costs(one, layout), Costs()
    _planned_sheet(step, layout.steps[0])
    later = spec.steps - 1
    c.cells += later * step.cells
    c.parsed += later * step.parsed
    c.formula_chars += later * step.formula_chars
    c.operations += later * step.operations
    _refuse(c, "at least ")


def _refuse(c: Costs, bound: str = "") -> None:
    smaller = "use fewer --steps or epochs, fewer examples, a smaller network or --no-gradcheck"
    for count, limit, what in (
        (c.cells, MAX_CELLS, "cells"),
        (c.parsed, MAX_PARSED_CHARS, "characters of distinct formulas"),
        (c.formula_chars, MAX_FORMULA_CHARS, "characters of formulas in all"),
        (c.operations, MAX_OPERATIONS, "operations to evaluate"),
        (c.names, MAX_NAMES, "defined names"),
    ):
        if count > limit:
            raise SpecError(
                f"the workbook would hold {bound}{count:,} {what}, more than the {limit:,} that"
                f" check reads; {smaller}"
            )
    if c.longest > MAX_FORMULA:
        raise SpecError(
            f"a formula would be {c.longest:,} characters long, more than the {MAX_FORMULA:,}"
            f" Excel allows; use fewer examples"
        )


def costs(
    spec: NetworkSpec, layout: BookLayout, operations: bool = True, by_shape: bool = True
) -> Costs:
    """The evaluator's counts for the workbook ``generate`` writes for ``spec``, from the plan
    (a little more, never less: see test_capacity); without ``operations``, those are 0;
    without ``by_shape``, every formula of a hand-traced sheet counts as parsed (more: an
    upper bound, without a regex pass over each formula)."""
    c = Costs(counting=operations, by_shape=by_shape)
    for sheet in layout.sheets:
        _planned_sheet(c, sheet)
    drawn = parts(spec)  # the Network sheet: a label and a value per part, arrows on edges
    c.cells += 3 + 2 * (len(spec.layers) - 1) + 2  # title, words, headings
    for part in drawn:
        c.formula(part.formula)
        c.cells += 1 + (part.kind == "edge")
    if spec.epochs:
        _training(c, spec)
    targets = {absolute(t.sheet, t.row, t.col) for t in layout.names.values()}
    c.names = len(layout.names)
    c.parsed += sum(len(text) for text in targets)  # a name's text is parsed once
    return c


def _planned_sheet(c: Costs, sheet: SheetLayout) -> None:
    """A Givens or Step sheet: its frame, headings, text cells and every formula."""
    c.cells += 1 + LEGEND_CELLS + len(sheet.columns) + len(sheet.extra_headers)
    c.cells += len(sheet.headings)
    value = sheet.col("value")
    for row, item in sheet.lines:
        formula = getattr(item, "formula", None)
        if formula is None:  # a given: symbol, meaning, value, name
            c.cells += len(sheet.columns)
        else:  # symbol, meaning, maths, formula as text, name; the value is the formula
            c.cells += len(sheet.columns) - 1
            c.formula(formula, at=(sheet.name, row, value))
    for row, col, formula, _ in sheet.cells:
        c.formula(formula, at=(sheet.name, row, col))


def _training(c: Costs, spec: NetworkSpec) -> None:
    """The training tables, their summary and the side-by-side loss tables."""
    last = distinct_rows(spec)
    main = table(spec)
    _table(c, main, TRAINING)
    summary = Summary(spec, main, TRAINING)
    _block(c, summary.texts, summary.items)
    if spec.lr_sweep:
        tables = run_tables(spec)
        for r, run in enumerate(tables, 1):
            _table(c, run, run_sheet(r))
        sweep = Sweep(spec, tables)
        _block(c, sweep.texts, sweep.items)
        _filled(c, sweep.rows(), spec.updates, last[SWEEP] - TOP_ROW + 1)
    if spec.compare_optimizers:
        runs = compare_tables(spec)
        for entry in runs:  # (optimizer, its table[, a state table])
            for run in entry[1:]:
                if run is not None:
                    _table(c, run, compare_sheet(entry[0]))
        compare = Compare(spec, runs)
        _block(c, compare.texts, compare.items)
        _filled(c, compare.rows(), spec.updates, last[COMPARE] - TOP_ROW + 1)


def _block(c: Costs, texts: list, items: list) -> None:
    c.cells += len(texts)
    for item in items:
        c.formula(item.formula)


def _table(c: Costs, run: Table, sheet: str) -> None:
    """A table's title, heading rows and ``end`` row, and its columns shape by shape: each
    column's templates (``sheets.training_table.Column``) are its distinct formulas, each
    parsed once (once for all the columns of one shape) and written on the rows that use
    it, counted at the table's last row, where row numbers are longest."""
    groups = len({column.group for column in run.columns})
    c.cells += 2 + groups + len(run.columns)  # title, "end", group and symbol headings
    # A printed page that starts inside a column group heads it again, "(continued)"
    # (``render.table_pages``): one cell a page at most.
    c.cells += -(-len(run.columns) // COLUMNS_A_PAGE)
    n, last = run.spec.updates, run.last_row
    for col, column in enumerate(run.columns, 1):
        uses = Counter(column.head[: min(len(column.head), n)])
        m = len(column.cycle)
        for i, template in enumerate(column.cycle):
            uses[template] += _congruent(n - 1, i, m) - _congruent(len(column.head) - 1, i, m)
        for template, rows in uses.items():
            if rows > 0:
                text = template.format(r=last, p=last - 1, b=Back(last))
                c.formula(text, copies=rows, at=(sheet, last, col))
    for formula in run.end()[1:]:
        if formula is not None:
            c.formula(formula)


def _congruent(x: int, i: int, m: int) -> int:
    """How many of 0..x are i modulo m."""
    return (x - i) // m + 1 if x >= i else 0


def _filled(c: Costs, rows: Iterable[list[str]], count: int, distinct: int) -> None:
    """``count`` rows: the first ``distinct`` counted one by one, each below them as a copy
    of its column's widest formula above (only the distinct rows are made)."""
    widest: dict[int, tuple[str, int]] = {}  # column -> (formula, characters once moved)
    for formulas in islice(rows, min(distinct, count)):
        for col, text in enumerate(formulas):
            c.formula(text)
            grown = len(text) + ROW_DIGITS * _relative_rows(text)
            if grown > widest.get(col, ("", -1))[1]:
                widest[col] = (text, grown)
    copies = max(count - distinct, 0)
    for text, grown in widest.values():
        c.formula(text, copies, grown - len(text))
        c.parsed -= len(text)  # a copy is parsed with the formula above it


COLUMNS_A_PAGE = 6  # the fewest columns of a long table a page holds (at 65 %: 10 or more)
# A row-relative row number lower down is longer by at most this many digits: the distinct
# rows are near the top, and a table of at most 20,000 updates ends before row 100,000.
ROW_DIGITS = 4
# An operand (name, address, number, function) or an operator, one match each.
_TOKEN = re.compile(r"[A-Za-z_][\w.]*|[0-9]+(?:\.[0-9]*)?|[-+*/^&<>=]")
# A cell address whose row is not anchored with $ (it moves when the formula is copied).
_RELATIVE_ROW = re.compile(r"(?<![\w.$])\$?[A-Z]{1,3}[0-9]+(?![\w.(!])")


def _operations(formula: str) -> int:
    """One per operand (name, address, number, function) and per operator: what the
    evaluator's compiler counts, a little more (a sheet name or an exponent counts too)."""
    return len(_TOKEN.findall(formula, 1))  # after the "="


def _relative_rows(formula: str) -> int:
    """How many addresses of ``formula`` have a row number that grows when it is copied."""
    return len(_RELATIVE_ROW.findall(formula))
