"""Where everything goes: the ONLY place that maps a quantity to a sheet, cell and name.

Both sheets share one shape: a title row, a legend row, a row of column
headings (frozen), then groups of rows, each under a shaded heading row.
Every defined name is workbook-wide: a name scoped to one sheet and read from another
(``=Step!h_1``) is #NAME? in formualizer and IronCalc.  Step 1's quantities keep the names
a student reads (``z_1``); later steps spell theirs with a suffix (``z_1_s2``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from itertools import groupby

from worksheet.model.names import LOSS, Symbol, example_symbols, of_example, on_step
from worksheet.model.spec import NetworkSpec
from worksheet.model.topology import Topology, parameters
from worksheet.sheets import optimizer_rows
from worksheet.sheets.cells import column_letter
from worksheet.sheets.givens import Given, givens
from worksheet.sheets.gradient_check import Nudge, check_rows, nudges, rename
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
    # (sheet, quantity's name on step 1) -> cell: where each step's quantities are, for the
    # check and the grader, whatever the name's spelling on that sheet
    where: dict[tuple[str, str], Target] = field(default_factory=dict)

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


def _headed(rows: list[Row], k: int, optimizer: str) -> list[tuple[str, list[Row]]]:
    groups = [(s, list(items)) for s, items in groupby(rows, lambda r: r.section)]
    headings = dict(SECTIONS)
    headings["start"] = f"Starting point: where step {k - 1} left off"
    if k == 1:  # only an optimizer's state comes before the first step
        headings["start"] = f"Starting point: the {optimizer} state before the first step"
    if optimizer != "sgd":
        headings["update"] = optimizer_rows.heading(optimizer)
    return [(headings[s], items) for s, items in groups]


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
    layout = BookLayout(given_sheet, [], names)
    topo = Topology(spec.layers)
    body = step_rows(
        topo, spec.loss, spec.activations, spec.update_biases, spec.round_digits, spec.optimizer
    )
    # Every step sheet nudges the same forward pass: its columns are written once, respelled
    # on each sheet.
    columns = nudges(topo, spec.loss, spec.activations) if spec.gradcheck else []
    for k in range(1, spec.steps + 1):
        layout.steps.append(_step_sheet(layout, spec, topo, body, columns, k))
    return layout


def _step_sheet(
    layout: BookLayout,
    spec: NetworkSpec,
    topo: Topology,
    body: list[Row],
    columns: list[Nudge],
    k: int,
) -> SheetLayout:
    """Step ``k``: its rows placed, their workbook-wide names (suffixed after step 1, see
    ``names.on_step``) pointed at them, and the gradient check beside them."""
    sheet = SheetLayout(step_sheet(k), f"{spec.title}: training step {k}", STEP_COLUMNS)
    if k == 1:
        sheet.title = f"{spec.title}: one training step"
    example = (k - 1) % len(spec.examples) + 1 if len(spec.examples) > 1 else None
    start = start_rows(topo, k, example) if k > 1 else []
    if spec.optimizer != "sgd":
        start += optimizer_rows.state_rows(topo, spec.optimizer, spec.update_biases, k)
    spelled = {r.symbol.name: on_step(r.symbol.name, k) for r in start + body}
    rows = [_respelled(r, spelled, formula=False) for r in start]
    rows += [_respelled(r, spelled) for r in body]
    _place(sheet, _headed(rows, k, spec.optimizer))
    for (row, item), base in zip(sheet.lines, start + body):
        target = Target(None, sheet.name, row, sheet.col("value"))
        layout.names[(None, item.symbol.name)] = target
        layout.where[(sheet.name, base.symbol.name)] = target
    if spec.gradcheck:
        _place_gradcheck(sheet, layout, topo, columns, k)
    return sheet


def _respelled(row: Row, spelled: dict[str, str], formula: bool = True) -> Row:
    """``row`` with its own name, and (with ``formula``) the names it reads, as spelled on
    its sheet; a starting row's formula reads the step before and keeps its spelling."""
    symbol = Symbol(spelled[row.symbol.name], row.symbol.text)
    return replace(
        row, symbol=symbol, formula=rename(row.formula, spelled) if formula else row.formula
    )


def _place_gradcheck(
    sheet: SheetLayout, layout: BookLayout, topo: Topology, columns: list[Nudge], k: int
) -> None:
    """Nudged forward passes to the right, aligned with the rows they redo; the numerical
    gradient and the relative difference beside each analytic gradient."""
    here = {name: t for (where, name), t in layout.where.items() if where == sheet.name}
    spelled = {name: on_step(name, k) for name in here}
    numeric_col = len(STEP_COLUMNS) + 1
    sheet.extra_headers += [
        (numeric_col, "numerical gradient"),
        (numeric_col + 1, "rel. difference"),
    ]
    checks = [(grad, check_rows(param, grad)) for param, grad in parameters(topo)]
    named = [item.symbol.name for _, rows in checks for item in rows]
    spelled |= {name: on_step(name, k) for name in named + [c.total.name for c in columns]}
    for grad, rows in checks:
        row = here[grad.name].row
        for col, item in enumerate(rows, numeric_col):
            _extra(sheet, layout, row, col, item.formula, item.symbol.name, spelled)
    for offset, nudge in enumerate(columns):
        col = NUDGE_COLUMN + offset
        sheet.extra_headers.append((col, nudge.header))
        letter, rows = column_letter(col), [here[r.symbol.name].row for r in nudge.rows]
        own = {r.symbol.name: f"{letter}{row}" for r, row in zip(nudge.rows, rows)}
        both = spelled | own  # one pass: this column's rows by their cells, the rest spelled
        for item, row in zip(nudge.rows, rows):
            name = nudge.total.name if item.symbol.name == LOSS.name else None
            _extra(sheet, layout, row, col, item.formula, name, both)


def _extra(sheet, layout, row: int, col: int, formula: str, name, spelled: dict) -> None:
    """A gradient-check cell beside the table, named (when it has a name) like the rest."""
    sheet.cells.append((row, col, rename(formula, spelled), spelled[name] if name else None))
    if name:
        target = Target(None, sheet.name, row, col)
        layout.names[(None, spelled[name])] = target
        layout.where[(sheet.name, name)] = target
