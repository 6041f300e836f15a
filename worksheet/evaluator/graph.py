"""The dependency graph of formula cells and its evaluation order, without recursion.

A model filled down 200,000 rows is a chain 200,000 cells deep; Python's recursion limit is
about a thousand, so the depth-first search keeps its own stack of (cell, remaining
dependencies) pairs. Only formula cells are nodes: constants are already known. A large range
is a node of its own, standing between the formulas that read it and the formula cells inside
it, so a thousand formulas reading one column of a thousand formulas make two thousand edges,
not a million.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from worksheet.errors import FormulaError
from worksheet.evaluator import a1
from worksheet.evaluator.areas import SPARSE_AREA
from worksheet.evaluator.book import CellRef
from worksheet.evaluator.compiler import Compiled
from worksheet.evaluator.limits import MAX_RANGE_CELLS

Key = tuple[str, int, int]
RangeKey = tuple[str, str, int, int, int, int]  # ("range", sheet, top, left, bottom, right)
_SHOWN = 6  # cells named in a circular-reference message


class SheetIndex:
    """Formula cells per sheet, to find those inside a large range without scanning it all,
    and the range nodes met so far with the formula cells inside each."""

    def __init__(self, cells: Iterable[Key], stored: Iterable[Key] = ()) -> None:
        # Each key to itself: a dependency found is the node's own key object, so that the
        # order holds the book's CellRefs, not a copy of each (a map back cost 40 MB on W4).
        self.cells = {key: key for key in cells}
        self.by_sheet: dict[str, list[Key]] = {}
        for key in self.cells:
            self.by_sheet.setdefault(key[0], []).append(key)
        self.ranges: dict[RangeKey, list[Key]] = {}
        self.range_cells = 0  # cells all formula cells read through ranges, for the cap
        self._stored = stored
        self._per_sheet: Counter[str] | None = None

    def in_area(self, sheet: str, top: int, left: int, bottom: int, right: int) -> list[Key]:
        """Formula cells inside a rectangle, by whichever is smaller: the area or the sheet."""
        area = (bottom - top + 1) * (right - left + 1)
        candidates = self.by_sheet.get(sheet, [])
        if area > len(candidates):
            return [k for k in candidates if top <= k[1] <= bottom and left <= k[2] <= right]
        cells = self.cells
        inside = (
            cells.get((sheet, row, col))
            for row in range(top, bottom + 1)
            for col in range(left, right + 1)
        )
        return [key for key in inside if key is not None]

    def range_node(self, sheet: str, corners: tuple[int, int, int, int], where: Key) -> RangeKey:
        """The node of a range read by the formula in ``where``, counting what reading costs."""
        top, left, bottom, right = corners
        area = (bottom - top + 1) * (right - left + 1)
        if area > SPARSE_AREA:  # read sparsely: it costs what the sheet stores there
            if self._per_sheet is None:
                self._per_sheet = Counter(key[0] for key in self._stored)
            area = min(area, self._per_sheet[sheet])
        self.range_cells += area
        if self.range_cells > MAX_RANGE_CELLS:
            raise FormulaError(
                f"{CellRef(*where)}: the formulas' ranges read more than"
                f" {MAX_RANGE_CELLS:,} cells in all"
            )
        node = ("range", sheet, top, left, bottom, right)
        if node not in self.ranges:
            self.ranges[node] = self.in_area(sheet, top, left, bottom, right)
        return node


def dependencies(key: Key, unit: Compiled, index: SheetIndex) -> list:
    """The formula cells, and range nodes, that the formula in ``key`` reads."""
    _, row, col = key
    found: list = []
    cells = index.cells
    for sheet, r, c, row_abs, col_abs in unit.cells:
        dep = cells.get((sheet, r if row_abs else row + r, c if col_abs else col + c))
        if dep is not None:
            found.append(dep)
    for sheet, first, last in unit.ranges:
        (r1, c1), (r2, c2) = first.at(row, col), last.at(row, col)
        corners = (min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2))
        found.append(index.range_node(sheet, corners, key))
    return found


def evaluation_order(nodes: Iterable, deps: Callable[[Any], Iterable]) -> list:
    """Every node after all of its dependencies; raises FormulaError on a circular reference.

    ``deps(node)`` is asked once per node, when the search reaches it, and forgotten when the
    node is done: the edges of a large sheet are never all held at once.
    """
    done: set = set()
    on_path: set = set()
    order: list = []
    for start in nodes:
        if start in done:
            continue
        needs = deps(start)
        if done.issuperset(needs):  # the common case, a sheet read in its own order: no search
            done.add(start)
            order.append(start)
            continue
        on_path.add(start)
        stack = [(start, iter(needs))]
        while stack:
            node, pending = stack[-1]
            for dep in pending:
                if dep in done:
                    continue
                if dep in on_path:
                    raise _circular([k for k, _ in stack], dep)
                on_path.add(dep)
                stack.append((dep, iter(deps(dep))))
                break
            else:
                stack.pop()
                on_path.discard(node)
                done.add(node)
                order.append(node)
    return order


def _label(key: tuple) -> str:
    if len(key) == 3:
        return str(CellRef(*key))
    _, sheet, top, left, bottom, right = key
    return f"{sheet}!{a1.cell_name(top, left)}:{a1.cell_name(bottom, right)}"


def _circular(path: list, again: tuple) -> FormulaError:
    """Name the cells of the cycle, from the first repeated one back to itself."""
    cycle = path[path.index(again) :] + [again]
    names = [_label(key) for key in cycle]
    if len(names) > _SHOWN:
        names = names[: _SHOWN - 1] + ["...", names[-1]]
    return FormulaError("circular reference: " + " -> ".join(names))
