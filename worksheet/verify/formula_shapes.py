"""A checked formula may branch, and type numbers, only as its planned formula does.

Agreeing with numpy at the givens, and again with every given nudged, leaves room for a
formula right only where the nudges go: ``=IF(eta>0.5,w_1,w_1-eta*dL_dw_1)`` is right for
every nudge that keeps η under 0.5.  A typed number can hide under the tolerance (``+9E-13``
on a gradient that is exactly 0) or in the corners where LibreOffice's arithmetic differs
from IEEE's (``IF((w_1+w_1*1E-15)-w_1=0,2,1)``: LibreOffice rounds that difference to 0), and
``+0*(L_plus_w_1-L_minus_w_1)`` reads a gradient check's nudged losses without using them.

So a checked formula may use a branch (IF, a comparison, MIN, MAX, ABS, MOD, ROUND) only
where its planned formula uses one, and type only the numbers its planned formula types,
small whole numbers and 0.5 (what writing out an intermediate brings in, such as the 1 of
``yhat_1*(1-yhat_1)``); a typed 0 never multiplies, divides or raises.  Legitimate rewrites
keep all three: commuted operands, addresses for names, ``=EXP(z_1)/(1+EXP(z_1))``.

The plan is known cell by cell on the hand-traced sheets and for the blocks of the training
sheets, and column by column for their long tables (every update's row repeats the first
rows' formulas with other row numbers).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import islice

from worksheet.errors import FormulaError
from worksheet.evaluator import CellRef
from worksheet.evaluator.nodes import Binary, Call, Number, Percent, Unary
from worksheet.evaluator.parser import parse
from worksheet.model.spec import NetworkSpec
from worksheet.sheets.compare import COMPARE, Compare, compare_tables
from worksheet.sheets.compare import run_sheet as compare_sheet
from worksheet.sheets.layout import BookLayout
from worksheet.sheets.summary import SUMMARY, Summary
from worksheet.sheets.sweep import SWEEP, TOP_ROW, Sweep, run_sheet, run_tables
from worksheet.sheets.training import TRAINING
from worksheet.sheets.training_table import FIRST_ROW, Table, table
from worksheet.verify.dependence import planned_book

BRANCHES = frozenset({"IF", "MIN", "MAX", "ABS", "MOD", "ROUND"})
COMPARISONS = frozenset({"=", "<>", "<", ">", "<=", ">="})
SMALL = frozenset({0.5, *(float(k) for k in range(17))})


@dataclass(frozen=True)
class Shape:
    """What a formula branches on and types: how many branches (branching functions and
    comparisons) and roots it has, the numbers typed, and whether a typed 0 multiplies,
    divides or raises.  Counted, not only flagged: a plan's one root (Adam's √v̂) licenses
    one root, not a second that makes a step (``SQRT((4*eta-1)^2)``)."""

    branches: int
    numbers: frozenset[float]
    zero_factor: bool = False
    computed_power: bool = False  # an exponent computed, not typed: (x)^(1/(3+eps^2))
    roots: int = 0  # SQRT or a fractional power: SQRT((eta-0.5)^2) is |eta-0.5|

    @property
    def plain(self) -> bool:
        """Nothing a plan must allow: no branch, root, computed power or unusual number."""
        return not (self.branches or self.roots or self.computed_power or self.zero_factor) and (
            self.numbers <= SMALL
        )

    def __or__(self, other: Shape) -> Shape:
        return Shape(
            max(self.branches, other.branches),
            self.numbers | other.numbers,
            self.zero_factor or other.zero_factor,
            self.computed_power or other.computed_power,
            max(self.roots, other.roots),
        )


def shape_of(formula: str, ref: CellRef) -> Shape | None:
    """The shape of ``formula`` at ``ref``; None when it does not parse (the evaluation
    refuses it with its own message)."""
    try:
        tree, _ = parse(formula, ref.row, ref.col, str(ref))
    except (FormulaError, RecursionError):
        return None
    return shape_in(tree)


def shape_in(tree: object) -> Shape:
    """The shape of a parsed formula."""
    branches, zero, power, roots, numbers = 0, False, False, 0, set()
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, Number):
            numbers.add(node.value)
        elif isinstance(node, Call):
            branches += node.name in BRANCHES
            roots += node.name == "SQRT"
            stack += node.args
        elif isinstance(node, Binary):
            branches += node.op in COMPARISONS
            if node.op in ("*", "/", "^"):
                zero |= _zero(node.right) or (node.op != "^" and _zero(node.left))
            exponent = _typed(node.right) if node.op == "^" else None
            power |= node.op == "^" and exponent is None
            roots += exponent is not None and exponent != int(exponent)
            # x-x and x/x read cells without using them, wherever they stand, in any order
            zero |= node.op == "-" and _canonical(node.left) == _canonical(node.right)
            zero |= node.op == "/" and _cancels(node)
            stack += [node.left, node.right]
        elif isinstance(node, Percent):
            numbers.add(0.01)  # x% is x/100: 1%%%%%%% types 1e-14 with two small numbers
            stack.append(node.operand)
        elif isinstance(node, Unary):
            stack.append(node.operand)
    return Shape(branches, frozenset(numbers), zero, power, roots)


def _typed(node: object) -> float | None:
    """The number typed at ``node`` (signs and percents applied), or None."""
    sign, scale = 1.0, 1.0
    while isinstance(node, (Unary, Percent)):
        if isinstance(node, Percent):
            scale /= 100
        elif node.op == "-":
            sign = -sign
        node = node.operand
    return sign * scale * node.value if isinstance(node, Number) else None


def _canonical(node: object) -> object:
    """A formula tree with the operands of + and * in a fixed order (chains flattened), so
    that ``(a+e)-(e+a)`` is seen to take a thing from itself."""
    if isinstance(node, Binary) and node.op in ("+", "*"):
        terms: list[object] = []
        stack = [node]
        while stack:
            part = stack.pop()
            if isinstance(part, Binary) and part.op == node.op:
                stack += [part.left, part.right]
            else:
                terms.append(_canonical(part))
        return (node.op, tuple(sorted(terms, key=repr)))
    if isinstance(node, Binary):
        return (node.op, _canonical(node.left), _canonical(node.right))
    if isinstance(node, Call):
        return (node.name, tuple(_canonical(arg) for arg in node.args))
    if isinstance(node, (Unary, Percent)):
        return (type(node).__name__, getattr(node, "op", ""), _canonical(node.operand))
    return node


def _cancels(node: Binary) -> bool:
    """Whether a quotient has one factor above and below the line (``x*a/(a*y)``): a factor
    read and divided away (a typed number reads nothing: ``*2/2`` is only idle)."""
    above: list[object] = []
    below: list[object] = []
    stack: list[tuple[object, list]] = [(node, above)]
    while stack:
        part, side = stack.pop()
        if isinstance(part, Binary) and part.op in ("*", "/"):
            other = below if side is above else above
            stack += [(part.left, side), (part.right, side if part.op == "*" else other)]
        else:
            side.append(_canonical(part))
    return any(factor in below for factor in above if not isinstance(factor, Number))


def _zero(node: object) -> bool:
    return _typed(node) == 0


def shape_problem(shape: Shape, planned: Shape) -> str | None:
    """How a formula of ``shape`` branches or types numbers where its plan does not, or None."""
    if shape.branches > planned.branches:
        return "branches (IF, a comparison, MIN, MAX, ABS, MOD or ROUND) more than its plan"
    if shape.zero_factor:
        return "multiplies, divides or raises by a typed 0, or takes a thing from itself"
    if shape.roots > planned.roots:
        return "takes more roots (SQRT, a fractional power) than its plan"
    if shape.computed_power and not planned.computed_power:
        return "raises to a computed power where its plan does not"
    extra = sorted(shape.numbers - planned.numbers - SMALL)
    if extra:
        return f"types the number {extra[0]:g}, which its plan does not"
    return None


class PlannedShapes:
    """The shape of each checked cell's planned formula: by cell, or by column of a long
    table.  Worked out only when asked for (most formulas are plain and never ask), each
    cell's once."""

    def __init__(self, spec: NetworkSpec, layout: BookLayout) -> None:
        self.spec, self.layout = spec, layout
        self.formulas: dict[CellRef, str] | None = None  # the hand-traced sheets' plan
        self.cells: dict[CellRef, Shape | None] = {}
        self.columns: dict[tuple[str, int], Shape] | None = None
        self.tables: dict[str, Table] = {}  # each long table by its sheet

    def of(self, ref: CellRef) -> Shape | None:
        if self.formulas is None:
            self._plan()
        if ref in self.formulas:
            if ref not in self.cells:
                self.cells[ref] = shape_of(self.formulas[ref], ref)
            return self.cells[ref]
        return self.columns.get((ref.sheet, ref.col))

    def formula_of(self, ref: CellRef) -> tuple[str, int] | None:
        """The planned formula of ``ref`` and which text of its table it repeats (0 for a
        cell planned on its own): every cell of one table column with the same repeat
        number is the same formula, moved down."""
        formulas = self.planned_formulas()
        if ref in formulas:
            return formulas[ref], 0
        run = self.tables.get(ref.sheet)
        u = ref.row - FIRST_ROW + 1
        if run is None or not 1 <= u <= run.spec.updates:
            return None
        row = run.row(u)
        return (row[ref.col - 1], run.phase(u)) if 1 <= ref.col <= len(row) else None

    def planned_formulas(self) -> dict[CellRef, str]:
        """The planned formula of each cell planned cell by cell."""
        if self.formulas is None:
            self._plan()
        return self.formulas  # type: ignore[return-value]

    def _plan(self) -> None:
        book = planned_book(self.spec, self.layout)
        self.formulas = {ref: c.formula for ref, c in book.cells.items() if c.formula}
        self.columns = {}
        if self.spec.epochs:
            self._training(self.spec)

    def _add_cell(self, ref: CellRef, formula: str | None) -> None:
        if formula:
            self.formulas[ref] = formula

    def _add_column(self, sheet: str, row: int, col: int, formula: str | None) -> None:
        shape = shape_of(formula, CellRef(sheet, row, col)) if formula else None
        if shape is not None:
            key = (sheet, col)
            self.columns[key] = self.columns[key] | shape if key in self.columns else shape

    def _table(self, sheet: str, run: Table) -> None:
        """A long table's columns, from the rows before its formulas start repeating."""
        self.tables[sheet] = run
        repeat = len(run.spec.examples) + max(len(c.head) for c in run.columns) + 1
        for k, formulas in enumerate(islice(run.rows(), repeat)):
            for col, formula in enumerate(formulas, 1):
                self._add_column(sheet, FIRST_ROW + k, col, formula)
        for col, formula in enumerate(run.end(), 1):
            if formula is not None and formula.startswith("="):
                self._add_cell(CellRef(sheet, run.end_row, col), formula)

    def _block(self, sheet: str, items, rows) -> None:
        for item in items:
            self._add_cell(CellRef(sheet, item.row, item.col), item.formula)
        for k, formulas in enumerate(islice(rows, 2)):
            for col, formula in enumerate(formulas, 1):
                self._add_column(sheet, TOP_ROW + k, col, formula)

    def _training(self, spec: NetworkSpec) -> None:
        main = table(spec)
        self._table(TRAINING, main)
        self._block(SUMMARY, Summary(spec, main, TRAINING).items, ())
        if spec.lr_sweep:
            tables = run_tables(spec)
            for r, run in enumerate(tables, 1):
                self._table(run_sheet(r), run)
            sweep = Sweep(spec, tables)
            self._block(SWEEP, sweep.items, sweep.rows())
        if spec.compare_optimizers:
            runs = compare_tables(spec)
            for kind, run in runs:
                self._table(compare_sheet(kind), run)
            compared = Compare(spec, runs)
            self._block(COMPARE, compared.items, compared.rows())
