"""Only constructs every spreadsheet computes alike, in the formulas a check vouches for.

A value that agrees with numpy in our evaluator proves nothing about what Excel or
LibreOffice show if the two compute the formula differently.  They differ in corners no
worksheet formula needs: a boolean compared with a number (``TRUE=1``), ``0^0``, text turned
into a number (``"$0.1"*1``, an Arabic-Indic digit), a range where one number belongs
(implicit intersection), error-swallowing functions.  So every checked formula may use only
the functions the worksheets are written with, no typed text, TRUE/FALSE or error values,
no operation on typed numbers alone (``INT(0.3/0.1)``: floating-point corners), and ranges
only inside the functions that add them up.  Refusing these costs a legitimate rewrite
nothing: the maths never needs them.
"""

from __future__ import annotations

from worksheet.errors import FormulaError
from worksheet.evaluator import Book, CellRef
from worksheet.evaluator.nodes import (
    Binary,
    Bool,
    Call,
    Error,
    Number,
    Percent,
    RangeNode,
    Text,
    Unary,
)
from worksheet.evaluator.parser import parse
from worksheet.verify.compare import Mismatch
from worksheet.verify.formula_shapes import PlannedShapes, Shape, shape_in, shape_problem

# What the generator writes (tested against every generated workbook), and the plain
# aggregates a person may use instead of a chain of + signs.
ALLOWED = frozenset(
    {"ABS", "AVERAGE", "EXP", "IF", "LN", "MAX", "MIN", "MOD", "ROUND", "SQRT", "SUM", "TANH"}
)
TAKES_RANGES = frozenset({"AVERAGE", "MAX", "MIN", "SUM"})


def formula_faults(
    book: Book, expected: dict, planned: PlannedShapes | None = None, units=None
) -> dict[str, Mismatch]:
    """Each checked formula that uses a construct outside the rules above, or (given the
    ``planned`` shapes) branches or types a number where its plan does not (see
    ``formula_shapes``).  Copies of one formula are parsed once: the cells an evaluation
    compiled to one unit (``units``: one R1C1 text, typed numbers included), else the cells
    of one exact text.  (Copies by their digits-blanked text let ``+0.5-0.5`` in one row
    vouch for ``+0.7-0.7`` in the next.)  The plan is consulted only for the few formulas
    whose shape needs it (a branch, a root, an unusual number), once per formula and plan."""
    parsed: dict[object, tuple[str | None, Shape | None]] = {}
    judged: dict[tuple[object, Shape], str | None] = {}
    faults: dict[str, Mismatch] = {}
    unit_of = units.get if units is not None else (lambda ref: None)
    for ref in expected:
        cell = book.cells.get(ref)
        if cell is None or cell.formula is None:
            continue
        unit = unit_of(ref)
        key = cell.formula if unit is None else id(unit)
        if key not in parsed:
            parsed[key] = _parsed(cell.formula, ref)
        verdict, shape = parsed[key]
        if verdict is None and shape is not None and planned is not None and not shape.plain:
            plan = planned.of(ref)
            if plan is not None:
                if (key, plan) not in judged:
                    judged[key, plan] = shape_problem(shape, plan)
                verdict = judged[key, plan]
        if verdict:
            faults[str(ref)] = Mismatch(expected[ref][0], None, None, cell.formula, verdict)
    return faults


def _parsed(formula: str, ref: CellRef) -> tuple[str | None, Shape | None]:
    try:
        tree, _ = parse(formula, ref.row, ref.col, str(ref))
    except (FormulaError, RecursionError):
        return None, None  # the evaluation refuses it with its own message
    return problem_in(tree), shape_in(tree)


def problem(formula: str, ref: CellRef) -> str | None:
    """What in ``formula`` a check cannot vouch for, or None."""
    return _parsed(formula, ref)[0]


def problem_in(tree: object) -> str | None:
    """What in a parsed formula a check cannot vouch for, or None."""
    stack: list[tuple[object, bool]] = [(tree, False)]  # (node, a range may stand here)
    while stack:
        node, range_ok = stack.pop()
        if isinstance(node, (Text, Bool, Error)):
            return "uses a typed text, TRUE/FALSE or error value"
        if isinstance(node, RangeNode) and not range_ok:
            return "uses a range where one number belongs"
        if isinstance(node, Call):
            if node.name not in ALLOWED:
                return f"uses {node.name}, which no worksheet formula needs"
            if node.args and all(_typed(arg) for arg in node.args):
                return "computes with typed numbers only"
            stack += [(arg, node.name in TAKES_RANGES) for arg in node.args]
        elif isinstance(node, Binary):
            if _typed(node.left) and _typed(node.right):
                return "computes with typed numbers only"
            stack += [(node.left, False), (node.right, False)]
        elif isinstance(node, (Unary, Percent)):
            stack.append((node.operand, False))
    return None


def _typed(node: object) -> bool:
    """A number typed into the formula (``0.5``, ``-1``), not computed from a cell."""
    while isinstance(node, (Unary, Percent)):
        node = node.operand
    return isinstance(node, Number)
