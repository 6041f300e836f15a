"""The dependency graph of formula cells and its evaluation order, without recursion.

A model filled down 200,000 rows is a chain 200,000 cells deep; Python's recursion limit is
about a thousand, so the depth-first search keeps its own stack of (cell, remaining
dependencies) pairs. Only formula cells are nodes: constants are already known.
"""

from __future__ import annotations

from collections.abc import Iterable

from worksheet.errors import FormulaError
from worksheet.evaluator.book import CellRef
from worksheet.evaluator.compiler import Compiled

Key = tuple[str, int, int]
_SHOWN = 6  # cells named in a circular-reference message


class SheetIndex:
    """Formula cells per sheet, to find those inside a large range without scanning it all."""

    def __init__(self, cells: Iterable[Key]) -> None:
        self.cells = set(cells)
        self.by_sheet: dict[str, list[Key]] = {}
        for key in self.cells:
            self.by_sheet.setdefault(key[0], []).append(key)

    def in_area(self, sheet: str, top: int, left: int, bottom: int, right: int) -> list[Key]:
        """Formula cells inside a rectangle, by whichever is smaller: the area or the sheet."""
        area = (bottom - top + 1) * (right - left + 1)
        candidates = self.by_sheet.get(sheet, [])
        if area > len(candidates):
            return [k for k in candidates if top <= k[1] <= bottom and left <= k[2] <= right]
        cells = self.cells
        return [
            (sheet, row, col)
            for row in range(top, bottom + 1)
            for col in range(left, right + 1)
            if (sheet, row, col) in cells
        ]


def dependencies(key: Key, unit: Compiled, index: SheetIndex) -> list[Key]:
    """The formula cells that the formula in ``key`` reads."""
    _, row, col = key
    found: list[Key] = []
    cells = index.cells
    for sheet, r, c, row_abs, col_abs in unit.cells:
        dep = (sheet, r if row_abs else row + r, c if col_abs else col + c)
        if dep in cells:
            found.append(dep)
    for sheet, first, last in unit.ranges:
        (r1, c1), (r2, c2) = first.at(row, col), last.at(row, col)
        found.extend(index.in_area(sheet, min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)))
    return found


def evaluation_order(nodes: Iterable[Key], deps: dict[Key, list[Key]]) -> list[Key]:
    """Every node after all of its dependencies; raises FormulaError on a circular reference."""
    done: set[Key] = set()
    on_path: set[Key] = set()
    order: list[Key] = []
    for start in nodes:
        if start in done:
            continue
        on_path.add(start)
        stack = [(start, iter(deps[start]))]
        while stack:
            node, pending = stack[-1]
            for dep in pending:
                if dep in done:
                    continue
                if dep in on_path:
                    raise _circular([k for k, _ in stack], dep)
                on_path.add(dep)
                stack.append((dep, iter(deps[dep])))
                break
            else:
                stack.pop()
                on_path.discard(node)
                done.add(node)
                order.append(node)
    return order


def _circular(path: list[Key], again: Key) -> FormulaError:
    """Name the cells of the cycle, from the first repeated one back to itself."""
    cycle = path[path.index(again) :] + [again]
    names = [str(CellRef(*key)) for key in cycle]
    if len(names) > _SHOWN:
        names = names[: _SHOWN - 1] + ["...", names[-1]]
    return FormulaError("circular reference: " + " -> ".join(names))
