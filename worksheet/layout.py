"""Where everything goes: the ONLY place that maps a quantity to a sheet, cell and name.

Both sheets share one shape: a title row, a legend row, a row of column
headings (frozen), then groups of rows, each under a shaded heading row.
Givens get workbook-scoped defined names; step quantities get names scoped to
their step sheet, so later sheets can reuse the same spelling for their own step.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import groupby

from worksheet.givens import Given, givens
from worksheet.spec import NetworkSpec
from worksheet.step import SECTIONS, Row, step_rows
from worksheet.topology import Topology

GIVENS, STEP = "Givens", "Step"
FIRST_ROW = 4  # rows 1-3: title, legend, column headings
GIVEN_COLUMNS = ("symbol", "meaning", "value", "name")
STEP_COLUMNS = ("symbol", "meaning", "maths", "value", "formula", "name")


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

    def col(self, key: str) -> int:
        """1-based column of a column key such as 'value'."""
        return self.columns.index(key) + 1

    @property
    def last_row(self) -> int:
        rows = [r for r, _ in self.headings] + [r for r, _ in self.lines]
        return max(rows, default=FIRST_ROW - 1)


@dataclass
class BookLayout:
    givens: SheetLayout
    step: SheetLayout
    names: dict[str, Target]

    @property
    def sheets(self) -> list[SheetLayout]:
        return [self.givens, self.step]


def _place(sheet: SheetLayout, groups) -> None:
    """Lay out (heading, items) groups one under the other, from FIRST_ROW."""
    row = FIRST_ROW
    for heading, items in groups:
        sheet.headings.append((row, heading))
        row += 1
        for item in items:
            sheet.lines.append((row, item))
            row += 1


def plan(spec: NetworkSpec) -> BookLayout:
    given_sheet = SheetLayout(GIVENS, f"{spec.title}: givens", GIVEN_COLUMNS)
    _place(given_sheet, [(g, list(items)) for g, items in groupby(givens(spec), lambda x: x.group)])
    step_sheet = SheetLayout(STEP, f"{spec.title}: one training step", STEP_COLUMNS)
    rows = step_rows(Topology(spec.layers), spec.loss, spec.activations, spec.update_biases)
    _place(
        step_sheet, [(SECTIONS[s], list(items)) for s, items in groupby(rows, lambda r: r.section)]
    )
    names = {
        item.symbol.name: Target(None, GIVENS, row, given_sheet.col("value"))
        for row, item in given_sheet.lines
    }
    for row, item in step_sheet.lines:
        names[item.symbol.name] = Target(STEP, STEP, row, step_sheet.col("value"))
    return BookLayout(given_sheet, step_sheet, names)
