"""Turn a formula tree into a Python closure ``fn(row, col) -> Value`` over the evaluation grid.

Closures, not ``eval``: nothing from the file is ever executed, yet a compiled formula runs
several times faster than walking the tree, which matters at half a million cells. One closure
serves every copy of a formula, because references hold offsets and the host's (row, col) is
passed in. Compiling also records the references each formula reads, for the dependency graph.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from worksheet.errors import FormulaError, LimitError
from worksheet.evaluator import closures
from worksheet.evaluator import operators as ops
from worksheet.evaluator.areas import Area, StoredCells
from worksheet.evaluator.book import Book
from worksheet.evaluator.closures import Fn
from worksheet.evaluator.dialect import EXCEL, IEEE
from worksheet.evaluator.dialect import LIBREOFFICE as LIBREOFFICE_WAY
from worksheet.evaluator.functions import LIBREOFFICE, TABLE
from worksheet.evaluator.limits import MAX_NODES, MAX_PARSED_CHARS
from worksheet.evaluator.nodes import (
    Binary,
    Bool,
    Call,
    CellNode,
    Error,
    Missing,
    NameNode,
    Node,
    Number,
    Percent,
    RangeNode,
    Text,
    Unary,
)
from worksheet.evaluator.parser import parse
from worksheet.evaluator.values import XLError

SMALL_AREA = 64  # ranges up to this many cells are tracked cell by cell in the graph
SHORT_CHAIN = 16  # operations in a row compiled as nested closures; longer ones as a loop


@dataclass
class Compiled:
    """A formula ready to run, with the cells and ranges it reads (relative to its host)."""

    fn: Fn
    # Single cells as plain (sheet, row, col, row_abs, col_abs) tuples: the graph reads them
    # once per formula cell, and unpacking a tuple is cheaper than reading node attributes.
    cells: list[tuple[str, int, int, bool, bool]] = field(default_factory=list)
    ranges: list[tuple[str, CellNode, CellNode]] = field(default_factory=list)
    nodes: int = 0  # operations, defined names expanded: what one evaluation costs at most
    value: Fn | None = None  # for a defined name: its single value, made once


class Compiler:
    """Compiles formulas of one workbook against one grid of values.

    A defined name is compiled once per sheet that uses it and its closure shared, so names
    built from names cost their size, not the size of their expansion; that expansion, the
    work of one evaluation, is still counted and capped (``MAX_NODES``).
    """

    def __init__(
        self, book: Book, grid: dict, stored: StoredCells | None = None, arithmetic: str = EXCEL
    ) -> None:
        self.book = book
        # LibreOffice's arithmetic, or IEEE's (numpy's), where Excel's differs: ``dialect``
        self.libreoffice, self.ieee = arithmetic == LIBREOFFICE_WAY, arithmetic == IEEE
        self._functions = LIBREOFFICE if self.libreoffice else TABLE
        self.grid = grid
        self._get = grid.get  # one bound method for every reader, not one each
        self.stored = stored
        self._sheets = {name.upper(): name for name in book.sheet_names}  # case-insensitive
        self._name_trees: dict[str, Node] = {}
        self._names: dict[tuple[str, str, str], Compiled] = {}
        self._constants: dict[tuple[type, object], Fn] = {}
        self._cells: dict[tuple[str, int, int, bool, bool], Fn] = {}
        self._expanding: list[tuple[str, str, str]] = []
        self._out = Compiled(fn=lambda r, c: None)
        self._where = ""
        self.parsed = 0  # characters of formula text parsed, for ``MAX_PARSED_CHARS``

    def compile(self, node: Node, sheet: str, where: str) -> Compiled:
        """Compile a formula tree written on ``sheet``; ``where`` names the cell in errors."""
        self._out, self._where = Compiled(fn=lambda r, c: None), where
        try:
            if isinstance(node, Binary):  # the last operation may cancel to 0, see closures
                self._count()
                self._out.fn = self._binary(node, sheet, cancel=not self.ieee)
            else:
                self._out.fn = self.scalar(node, sheet)
        except RecursionError as exc:
            raise self.fail("formula nested too deeply") from exc
        return self._out

    def fail(self, problem: str) -> FormulaError:
        return FormulaError(f"{self._where}: {problem}")

    def spend_parse(self, chars: int, where: str) -> None:
        """Count formula text about to be parsed; refuse a workbook with too much of it."""
        self.parsed += chars
        if self.parsed > MAX_PARSED_CHARS:
            raise LimitError(
                f"{where}: more than {MAX_PARSED_CHARS:,} characters of distinct formulas"
            )

    def _count(self, nodes: int = 1) -> None:
        self._out.nodes += nodes
        if self._out.nodes > MAX_NODES:
            raise self.fail(
                f"formula too large: more than {MAX_NODES:,} operations"
                " with its defined names expanded"
            )

    def scalar(self, node: Node, sheet: str) -> Fn:
        """A closure giving the node's single value (a multi-cell range is #VALUE!)."""
        self._count()
        kind = type(node)
        if kind in (Number, Text, Bool, Error):
            value = node.value  # type: ignore[union-attr]
            key = (type(value), value)  # one closure per constant: 1+1+1... is thousands of 1s
            if key not in self._constants:
                self._constants[key] = _constant(value)
            return self._constants[key]
        if kind is Missing:
            return lambda r, c: None
        if kind is CellNode:
            return self._cell(node, sheet)  # type: ignore[arg-type]
        if kind is NameNode:
            return self._name(node, sheet, value=True)  # type: ignore[arg-type]
        if kind is RangeNode:
            area = self.reference(node, sheet)
            return lambda r, c: closures.single(area(r, c))
        if kind is Unary:
            return self._unary(node, sheet)  # type: ignore[arg-type]
        if kind is Percent:
            inner = self.scalar(node.operand, sheet)  # type: ignore[union-attr]
            return lambda r, c: ops.percent(inner(r, c))
        if kind is Binary:
            return self._binary(node, sheet)  # type: ignore[arg-type]
        return self._call(node, sheet)  # type: ignore[arg-type]

    def reference(self, node: Node, sheet: str) -> Fn:
        """A closure giving an ``Area`` for a reference node, or the value of anything else."""
        if isinstance(node, CellNode):
            return self._area(self._sheet(node.sheet, sheet), node, node)
        if isinstance(node, RangeNode):
            return self._area(self._sheet(node.sheet, sheet), node.first, node.last)
        if isinstance(node, NameNode):
            return self._name(node, sheet)
        return self.scalar(node, sheet)

    def _sheet(self, named: str | None, host: str) -> str:
        if named is None:
            return host
        if named.upper() not in self._sheets:
            raise self.fail(f"reference to missing sheet {named}")
        return self._sheets[named.upper()]

    def _cell(self, node: CellNode, host_sheet: str) -> Fn:
        """A cell's value; its closure and record are shared by every formula reading the
        same cell at the same offset, which most formulas of a sheet do."""
        sheet = self._sheet(node.sheet, host_sheet)
        ref = (sheet, node.row, node.col, node.row_abs, node.col_abs)
        self._out.cells.append(ref)
        return self._reader(node, sheet, ref)

    def _reader(self, node: CellNode, sheet: str, ref: tuple | None = None) -> Fn:
        """Relative readers are shared (a sheet's formulas read the same offsets again and
        again); an absolute cell is read through a name, compiled once, or written out in
        a formula that is itself shared: memoising those only held a dict entry per
        distinct address (80 MB for a file of 400,000 of them)."""
        if node.row_abs and node.col_abs:
            return _reader(self._get, node, sheet)
        ref = ref or (sheet, node.row, node.col, node.row_abs, node.col_abs)
        fn = self._cells.get(ref)
        if fn is None:
            fn = self._cells[ref] = _reader(self._get, node, sheet)
        return fn

    def _area(self, sheet: str, first: CellNode, last: CellNode) -> Fn:
        self._record_area(sheet, first, last)
        grid, stored = self.grid, self.stored

        def area(r: int, c: int) -> Area:
            (r1, c1), (r2, c2) = first.at(r, c), last.at(r, c)
            corners = (min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2))
            return Area(grid, sheet, corners, stored)

        return area

    def _record_area(self, sheet: str, first: CellNode, last: CellNode) -> None:
        """Note a range read; a small one of fixed shape is noted as its cells (cheaper)."""
        flags = (first.row_abs, first.col_abs)
        rows = range(min(first.row, last.row), max(first.row, last.row) + 1)
        cols = range(min(first.col, last.col), max(first.col, last.col) + 1)
        if flags != (last.row_abs, last.col_abs) or len(rows) * len(cols) > SMALL_AREA:
            self._out.ranges.append((sheet, first, last))
            return
        self._out.cells.extend((sheet, r, c, *flags) for r in rows for c in cols)

    def _name(self, node: NameNode, host_sheet: str, value: bool = False) -> Fn:
        """A defined name on the formula's sheet, or on the sheet qualifying it, which must define
        it (LibreOffice reads Givens!w_1 as #NAME?): a closure of its reference, or its value."""
        scope = self._sheet(node.sheet, host_sheet)
        if node.sheet is not None and (scope, node.name) not in self.book.names:
            raise self.fail(f"{node.sheet}!{node.name}: a name qualified by a sheet that has none")
        text = self.book.refers_to(node.name, scope)
        if text is None:
            return self.scalar(Error(XLError.NAME), host_sheet)
        key = (scope, node.name, host_sheet)
        unit = self._names.get(key)
        if unit is None:
            unit = self._compile_name(key, text)
        self._out.cells.extend(unit.cells)
        self._out.ranges.extend(unit.ranges)
        self._count(unit.nodes)
        return unit.value if value else unit.fn

    def _compile_name(self, key: tuple[str, str, str], text: str) -> Compiled:
        """Compile what a name stands for, once, into a unit of its own."""
        _, name, host_sheet = key
        if key in self._expanding:
            raise self.fail(f"defined name {name} refers to itself")
        tree = self._name_tree(name, text)
        outer = self._out
        self._out = unit = Compiled(fn=lambda r, c: None)
        self._expanding.append(key)
        try:
            unit.fn = area = self.reference(tree, host_sheet)
        finally:
            self._expanding.pop()
            self._out = outer
        if isinstance(tree, CellNode):  # most names: one cell, read without making an Area
            unit.value = self._reader(tree, self._sheet(tree.sheet, host_sheet))
        else:
            unit.value = lambda r, c: closures.single(area(r, c))
        self._names[key] = unit
        return unit

    def _name_tree(self, name: str, text: str) -> Node:
        if text not in self._name_trees:
            self.spend_parse(len(text), self._where)
            tree, refs = parse(text, 1, 1, f"{self._where}: defined name {name}")
            if any(not (row_abs and col_abs) for _, _, row_abs, col_abs in refs):
                raise self.fail(f"defined name {name} uses a relative reference ({text})")
            self._name_trees[text] = tree
        return self._name_trees[text]

    def _unary(self, node: Unary, sheet: str) -> Fn:
        inner = self.scalar(node.operand, sheet)
        return inner if node.op == "+" else closures.negate(inner)

    def _binary(self, node: Binary, sheet: str, cancel: bool = False) -> Fn:
        """``a op b op c ...``: the left spine walked in a loop, not by recursion, since a
        formula of 8,192 characters can add up four thousand terms."""
        steps: list[tuple[str, Node]] = []  # the last operation first
        left: Node = node
        while type(left) is Binary:
            steps.append((left.op, left.right))
            left = left.left
        self._count(len(steps) - 1)  # the top operation is counted by the caller
        fn = self.scalar(left, sheet)
        rights = [(op, self.scalar(right, sheet)) for op, right in reversed(steps)]
        every = self.libreoffice  # every step cancels, not only the last
        if len(rights) > SHORT_CHAIN:
            return closures.chain(fn, rights, cancel, every)
        for i, (op, right) in enumerate(rights, 1):
            fn = closures.binary(op, fn, right, every or (cancel and i == len(rights)))
        return fn

    def _call(self, node: Call, sheet: str) -> Fn:
        spec = self._functions.get(node.name)
        if spec is None:
            raise self.fail(f"unsupported function {node.name}")
        n = len(node.args)
        if not spec.min_args <= n <= spec.max_args:
            raise self.fail(f"{node.name} takes {spec.arity}, got {n}")
        compile_arg = self.reference if spec.kind == "areas" else self.scalar
        return closures.call(spec, [compile_arg(arg, sheet) for arg in node.args])


def _reader(get: Callable[[object], object], node: CellNode, sheet: str) -> Fn:
    """A closure reading one cell of the grid, absolute or at an offset from the host."""
    dr, dc = node.row, node.col
    if node.row_abs and node.col_abs:
        key = (sheet, dr, dc)
        return lambda r, c: get(key)
    if not node.row_abs and not node.col_abs:
        return lambda r, c: get((sheet, r + dr, c + dc))
    at = node.at
    return lambda r, c: get((sheet, *at(r, c)))


def _constant(value: object) -> Fn:
    return lambda r, c: value
