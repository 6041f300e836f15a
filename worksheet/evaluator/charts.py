"""Read what each worksheet draws over its cells, found as spreadsheet applications find it.

A worksheet's relationships lead to everything drawn on it.  Charts are read (``chartxml``)
so that ``check`` can hold each one to its plan and its cached numbers to the cells'; every
other thing a sheet can show above or instead of its cells (pictures, shapes and text boxes,
comments, embedded objects, controls, a background picture) is refused with one line, as
conditional formats are (see ``sheetlayout``): the generator writes none of them, and any of
them could show another number over a right one.

This reads the package a second time, after ``read_book``, so that ``grade`` (which never
looks at charts) pays nothing for it; the parts are small and go through the same bounds.
"""

from __future__ import annotations

import os
import posixpath
from dataclasses import dataclass

from worksheet.evaluator.archive import open_package
from worksheet.evaluator.chartxml import Budget, Chart, ChartReader, DrawingReader, Drawn
from worksheet.evaluator.declared import WORKBOOK, WORKBOOK_RELS, relationships, sheets
from worksheet.evaluator.limits import MAX_SMALL_PART_BYTES
from worksheet.evaluator.package import Package
from worksheet.evaluator.workbookxml import WorkbookReader

# Relationship types a sheet may have that draw nothing over its cells.
_HARMLESS = ("printerSettings", "external")
_REFUSED = {
    "comments": "comments",
    "vmlDrawing": "comments or legacy shapes (VML)",
    "image": "a background picture",
    "oleObject": "an embedded object",
    "package": "an embedded object",
    "control": "a form control",
    "ctrlProp": "a form control",
    "table": "a table (its style can colour or format cells)",
    "pivotTable": "a pivot table",
    "queryTable": "a query table",
    "slicer": "a slicer",
    "timeline": "a timeline",
    "threadedComment": "comments",
}


@dataclass(frozen=True)
class Placed:
    """One object drawn on a sheet, with its chart when it is one."""

    drawn: Drawn
    chart: Chart | None


def read_drawings(path: str | os.PathLike[str]) -> dict[str, list[Placed]]:
    """Every object drawn on each worksheet, in the order drawn (sheets without any are
    left out).  Raises BookError for anything drawn that is not a chart."""
    label = os.fspath(path)
    with open_package(path, label) as pkg:
        workbook = WorkbookReader(pkg.fail, WORKBOOK)
        pkg.stream(WORKBOOK, workbook, MAX_SMALL_PART_BYTES)
        parts, _ = sheets(pkg, workbook.sheets, relationships(pkg, WORKBOOK_RELS, "xl"))
        found: dict[str, list[Placed]] = {}
        budget = Budget()
        for sheet, part in parts:
            if part is not None:
                placed = _sheet(pkg, sheet, part, budget)
                if placed:
                    found[sheet] = placed
        return found


def rels_part(part: str) -> str:
    """The relationships part of ``part``: ``xl/worksheets/_rels/sheet1.xml.rels``."""
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def _sheet(pkg: Package, sheet: str, part: str, budget: Budget) -> list[Placed]:
    if not pkg.has(rels_part(part)):
        return []
    placed: list[Placed] = []
    rels = relationships(pkg, rels_part(part), posixpath.dirname(part))
    for target, kind in rels.values():
        short = kind.rpartition("/")[2]
        if short in _HARMLESS:
            continue
        if short != "drawing":
            what = _REFUSED.get(short, f"an object of type {ascii(short[:40])}")
            raise pkg.fail(f"sheet {sheet}: {what} is not supported (it changes what is shown)")
        placed += _drawing(pkg, sheet, target, budget)
    return placed


def _drawing(pkg: Package, sheet: str, part: str, budget: Budget) -> list[Placed]:
    if not pkg.has(part):
        raise pkg.fail(f"missing part {part} (drawing of sheet {sheet})")
    reader = DrawingReader(pkg.fail, part)
    pkg.stream(part, reader, MAX_SMALL_PART_BYTES)
    for drawn in reader.found:
        if drawn.other is not None:
            raise pkg.fail(
                f"sheet {sheet}: {drawn.other} in its drawing is not supported"
                " (it could show other numbers over the cells)"
            )
    rels = relationships(pkg, rels_part(part), posixpath.dirname(part)) if reader.found else {}
    placed = []
    for drawn in reader.found:
        if drawn.rel not in rels or not rels[drawn.rel][1].endswith("/chart"):
            raise pkg.fail(f"sheet {sheet}: a chart in {part} has no chart part")
        chart_part = rels[drawn.rel][0]
        if not pkg.has(chart_part):
            raise pkg.fail(f"missing part {chart_part} (chart on sheet {sheet})")
        chart = ChartReader(pkg.fail, chart_part, budget)
        pkg.stream(chart_part, chart)
        placed.append(Placed(drawn, chart.chart))
    return placed
