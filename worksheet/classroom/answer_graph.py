"""Which cells grading must evaluate, and which of them cannot be: one pass over the graph.

A submission may hold a million cells no answer reads, and answers that read themselves.
Evaluating the whole book once per circular reference found (the evaluator stops at the
first) cost minutes; instead the formula cells reachable from the answers are compiled once,
lazily, and the strongly connected components of that graph (Tarjan's algorithm, with its
own stack: a chain of 200,000 cells is deeper than Python's recursion) give every cell on a
cycle at once.  Cells no answer reaches are never compiled nor evaluated.

It walks the evaluator's own compiled formulas and dependency graph, so it sees exactly the
references ``evaluate`` would follow.
"""

from __future__ import annotations

from collections.abc import Iterable

from worksheet.errors import FormulaError, LimitError
from worksheet.evaluator import Book, CellRef
from worksheet.evaluator.areas import StoredCells
from worksheet.evaluator.compiler import Compiler
from worksheet.evaluator.graph import SheetIndex, dependencies
from worksheet.evaluator.plans import Plans

SHOWN = 3  # cells of a cycle named in its note


def reachable(book: Book, roots: Iterable[CellRef]) -> tuple[set[CellRef], dict[CellRef, str]]:
    """(the formula cells ``roots`` read, themselves included, transitively; those of them
    that cannot be evaluated, with the reason: bad formula, or on a circular reference)."""
    index = _LazyIndex(book)
    formulas = index.cells
    plans = Plans(Compiler(book, {}, StoredCells(book.cells)))
    broken: dict[CellRef, str] = {}

    def deps(node: tuple) -> list:
        if len(node) != 3:
            return index.ranges[node]  # a range node: the formula cells inside it
        ref = CellRef(*node)
        try:
            unit = plans.get(ref, book.cells[ref].formula)
        except LimitError:
            raise
        except FormulaError as exc:
            broken[ref] = str(exc).removeprefix(f"{ref}: ")
            return []
        return dependencies(node, unit, index)

    starts = [tuple(ref) for ref in roots if ref in formulas]
    seen, cycles = _components(starts, deps)
    for cycle in cycles:
        cells = [CellRef(*key) for key in cycle if len(key) == 3]
        shown = " -> ".join(str(ref) for ref in cells[:SHOWN]) + (
            " ..." if len(cells) > SHOWN else ""
        )
        for ref in cells:
            broken.setdefault(ref, f"circular reference ({shown})")
    return {CellRef(*key) for key in seen if len(key) == 3}, broken


class _Formulas:
    """``key in formulas``: whether a stored cell holds a formula, asked of the book itself
    rather than of a set of a million keys built first."""

    def __init__(self, cells: dict) -> None:
        self._cells = cells

    def __contains__(self, key: object) -> bool:
        cell = self._cells.get(key)
        return cell is not None and cell.formula is not None

    def get(self, key: object) -> object:
        """``key`` when it is a formula cell (what ``SheetIndex.cells.get`` answers)."""
        return key if key in self else None

    def __iter__(self):
        return (ref for ref, cell in self._cells.items() if cell.formula is not None)


class _LazyIndex(SheetIndex):
    """The evaluator's index of formula cells, built only if a range needs the cells of a
    sheet: grading reaches a few hundred cells of a book that may store a million."""

    def __init__(self, book: Book) -> None:
        super().__init__((), book.cells)
        self.cells = _Formulas(book.cells)  # type: ignore[assignment]
        self._lazy: dict[str, list] | None = None

    @property  # type: ignore[override]
    def by_sheet(self) -> dict[str, list]:
        if self._lazy is None:
            self._lazy = {}
            for key in self.cells:
                self._lazy.setdefault(key[0], []).append(key)
        return self._lazy

    @by_sheet.setter
    def by_sheet(self, value: dict[str, list]) -> None:
        self._lazy = value or None


def _components(starts: list, deps) -> tuple[set, list[list]]:
    """Every node reached from ``starts``, and the strongly connected components that are
    cycles (more than one node, or a node reading itself): Tarjan, iteratively."""
    order: dict = {}  # node -> when first reached
    low: dict = {}
    stack: list = []
    on_stack: set = set()
    loops: set = set()
    cycles: list[list] = []

    def reach(node) -> tuple | None:
        order[node] = low[node] = len(order)
        found = deps(node)
        if not found:  # reads no formula (most cells): a component of its own, done now
            return None
        stack.append(node)
        on_stack.add(node)
        return node, iter(found)

    for start in starts:
        if start in order or (first := reach(start)) is None:
            continue
        work = [first]
        while work:
            node, pending = work[-1]
            for dep in pending:
                if dep not in order:
                    if (entry := reach(dep)) is not None:
                        work.append(entry)
                        break
                if dep in on_stack:
                    low[node] = min(low[node], order[dep])
                    if dep == node:
                        loops.add(node)
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == order[node]:
                    component = _pop_until(stack, on_stack, node)
                    if len(component) > 1 or node in loops:
                        cycles.append(component[::-1])
    return set(order), cycles


def _pop_until(stack: list, on_stack: set, node) -> list:
    component = []
    while True:
        top = stack.pop()
        on_stack.discard(top)
        component.append(top)
        if top == node:
            return component
