"""Where everything goes: the ONLY place that maps a quantity to a sheet, cell and name.

Both sheets share one shape: a title row, a legend row, a row of column
headings (frozen), then groups of rows, each under a shaded heading row.
Givens get workbook-scoped defined names; step quantities get names scoped to
their step sheet, so later sheets can reuse the same spelling for their own step.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import groupby

from worksheet.model.names import LOSS, example_symbols, of_example
from worksheet.model.spec import NetworkSpec
from worksheet.model.topology import Topology
from worksheet.sheets.cells import address
from worksheet.sheets.givens import Given, givens
from worksheet.sheets.gradient_check import check_rows, nudges, parameters, rename
from worksheet.sheets.step_rows import SECTIONS, Row, start_rows, step_rows

GIVENS, STEP = "Givens", "Step"
FIRST_ROW = 4  # rows 1-3: title, legend, column headings
GIVEN_COLUMNS = ("symbol", "meaning", "value", "name")
STEP_COLUMNS = ("symbol", "meaning", "maths", "value", "formula", "name")
CHECK_COLUMNS = ("numeric", "reldiff")  # beside the name column, on gradient rows
NUDGE_COLUMN = len(STEP_COLUMNS) + len(CHECK_COLUMNS) + 2  # one blank column before them


def step_sheet(k: int) -> str:
    """Sheet of step ``k`` (1-based): 'Step', then 'Step 2', 'Step 3', ..."""
    return STEP if k == 1 else f"{STEP} {k}"


@dataclass(frozen=True)
class Target:
    """Where a defined name points; ``scope`` is None for a workbook-wide name."""

    scope: str | None
    sheet: str
    row: int
    col: int


@dataclass
class SheetLayout:
    name: str
    title: str
    columns: tuple[str, ...]
    headings: list[tuple[int, str]] = field(default_factory=list)
    lines: list[tuple[int, Row | Given]] = field(default_factory=list)
    # Formula cells outside the main table (gradient check): (row, col, formula, name or None)
    cells: list[tuple[int, int, str, str | None]] = field(default_factory=list)
    extra_headers: list[tuple[int, str]] = field(default_factory=list)  # (col, text) on row 3

    def col(self, key: str) -> int:
        """1-based column of a column key such as 'value'."""
        return self.columns.index(key) + 1


@dataclass
class BookLayout:
    givens: SheetLayout
    steps: list[SheetLayout]
    names: dict[tuple[str | None, str], Target]  # (scope, name) -> cell

    @property
    def sheets(self) -> list[SheetLayout]:
        return [self.givens, *self.steps]

    @property
    def step(self) -> SheetLayout:
        return self.steps[0]


def _place(sheet: SheetLayout, groups) -> None:
    """Lay out (heading, items) groups one under the other, from FIRST_ROW."""
    row = FIRST_ROW
    for heading, items in groups:
        sheet.headings.append((row, heading))
        row += 1
        for item in items:
            sheet.lines.append((row, item))
            row += 1


def _headed(rows: list[Row], k: int) -> list[tuple[str, list[Row]]]:
    groups = [(s, list(items)) for s, items in groupby(rows, lambda r: r.section)]
    start = f"Starting point: where step {k - 1} left off"
    return [(start if s == "start" else SECTIONS[s], items) for s, items in groups]


def plan(spec: NetworkSpec) -> BookLayout:
    given_sheet = SheetLayout(GIVENS, f"{spec.title}: givens", GIVEN_COLUMNS)
    _place(given_sheet, [(g, list(items)) for g, items in groupby(givens(spec), lambda x: x.group)])
    names = {
        (None, item.symbol.name): Target(None, GIVENS, row, given_sheet.col("value"))
        for row, item in given_sheet.lines
    }
    if len(spec.examples) > 1:  # example 1 also answers to x_1_ex1, for later step sheets
        for symbol in example_symbols(spec.layers):
            names[(None, of_example(symbol, 1, alias=True).name)] = names[(None, symbol.name)]
    topo = Topology(spec.layers)
    body = step_rows(topo, spec.loss, spec.activations, spec.update_biases, spec.round_digits)
    steps = []
    for k in range(1, spec.steps + 1):
        sheet = SheetLayout(step_sheet(k), f"{spec.title}: training step {k}", STEP_COLUMNS)
        if k == 1:
            sheet.title = f"{spec.title}: one training step"
        example = (k - 1) % len(spec.examples) + 1 if len(spec.examples) > 1 else None
        start = start_rows(topo, step_sheet(k - 1), example) if k > 1 else []
        _place(sheet, _headed(start + body, k))
        for row, item in sheet.lines:
            target = Target(sheet.name, sheet.name, row, sheet.col("value"))
            names[(sheet.name, item.symbol.name)] = target
        if spec.gradcheck:
            _place_gradcheck(sheet, names, topo, spec)
        steps.append(sheet)
    return BookLayout(given_sheet, steps, names)


def _place_gradcheck(sheet: SheetLayout, names: dict, topo: Topology, spec: NetworkSpec) -> None:
    """Nudged forward passes to the right, aligned with the rows they redo; the numerical
    gradient and the relative difference beside each analytic gradient."""
    here = {name: target for (scope, name), target in names.items() if scope == sheet.name}
    numeric_col = len(STEP_COLUMNS) + 1
    sheet.extra_headers += [
        (numeric_col, "numerical gradient"),
        (numeric_col + 1, "rel. difference"),
    ]
    for param, grad in parameters(topo):
        row = here[grad.name].row
        for offset, item in enumerate(check_rows(param, grad)):
            sheet.cells.append((row, numeric_col + offset, item.formula, item.symbol.name))
            names[(sheet.name, item.symbol.name)] = Target(
                sheet.name, sheet.name, row, numeric_col + offset
            )
    for offset, nudge in enumerate(nudges(topo, spec.loss, spec.activations)):
        col = NUDGE_COLUMN + offset
        sheet.extra_headers.append((col, nudge.header))
        own = {r.symbol.name: address(here[r.symbol.name].row, col) for r in nudge.rows}
        for item in nudge.rows:
            row = here[item.symbol.name].row
            is_total = item.symbol.name == LOSS.name
            name = nudge.total.name if is_total else None
            sheet.cells.append((row, col, rename(item.formula, own), name))
            if is_total:
                names[(sheet.name, name)] = Target(sheet.name, sheet.name, row, col)
