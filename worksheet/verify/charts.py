"""The file's charts against their plan: each line drawn from the planned cells, and the
numbers a chart caches (what previews draw) equal to what those cells compute.

A chart is checked as a cell is: where the plan (rebuilt from the file's givens) puts it, with
the title and the lines the plan gives it.  A line pointed at other cells, or at numbers typed
into the chart, would draw a loss curve no formula computed; a cache of other numbers would
show one wherever nothing recalculates.  The cells a line reads are themselves proven by the
rest of ``check``, so a chart that reads the planned cells shows proven numbers.
"""

from __future__ import annotations

from worksheet.errors import FormulaError
from worksheet.evaluator import Book, CellRef
from worksheet.evaluator.charts import Placed
from worksheet.evaluator.chartxml import Chart, Data, Series
from worksheet.evaluator.nodes import CellNode, RangeNode, Text
from worksheet.evaluator.parser import parse
from worksheet.model.spec import NetworkSpec
from worksheet.sheets import charts as plan
from worksheet.verify.compare import Mismatch, agree


def chart_faults(
    drawn: dict[str, list[Placed]], book: Book, spec: NetworkSpec, values: dict
) -> dict[str, Mismatch]:
    """A mismatch for every chart missing, unplanned or drawing other than its plan
    (``drawn``: what ``evaluator.charts.read_drawings`` found on each sheet)."""
    planned: dict[str, list[plan.Chart]] = {}
    for chart in plan.charts(spec):
        planned.setdefault(chart.sheet, []).append(chart)
    faults: dict[str, Mismatch] = {}
    for sheet in sorted(set(drawn) | set(planned)):
        have, want = drawn.get(sheet, []), planned.get(sheet, [])
        for i in range(max(len(have), len(want))):
            label = f"chart {i + 1} on {sheet}"
            if i >= len(want):
                faults[label] = _fault(None, _title(have[i].chart), "chart not planned")
            elif i >= len(have):
                faults[label] = _fault(want[i].title, None, "chart missing")
            else:
                problem = _differs(have[i], want[i], book, values)
                if problem is not None:
                    faults[label] = _fault(want[i].title, _title(have[i].chart), problem)
    return faults


MIN_EXTENT = 900_000  # EMU, 2.5 cm: ours are 18 × 9 cm


def _fault(expected: object, got: object, reason: str) -> Mismatch:
    return Mismatch(None, expected, got, None, reason)


def _title(chart: Chart | None) -> str | None:
    return chart.title if chart is not None else None


def _differs(placed: Placed, want: plan.Chart, book: Book, values: dict) -> str | None:
    """What makes a drawn chart other than its plan, or None when it is the planned one."""
    chart, drawn = placed.chart, placed.drawn
    if chart is None:
        return "not a chart"
    if (drawn.row, drawn.col) != (want.row, want.col):
        return f"chart moved (planned at row {want.row}, column {want.col})"
    corner = drawn.corners
    if corner.get("to row", want.row) < want.row or corner.get("to col", want.col) < want.col:
        return "chart stretched up or left from its place, over the cells"
    if drawn.hidden:
        return "chart hidden"
    if drawn.size is not None and min(drawn.size) < MIN_EXTENT:
        return "chart shrunk out of sight"
    spans = [
        drawn.corners.get(f"to {k}", big) - drawn.corners.get(f"from {k}", 0)
        for k, big in (("row", 99), ("col", 99))
    ]
    if min(spans) < 2:
        return "chart shrunk out of sight"
    if chart.kinds != ["scatterChart"]:
        return f"chart of another kind ({', '.join(chart.kinds) or 'none'})"
    if chart.title_formula is not None or (chart.title or "").strip() != want.title:
        return "chart title differs"
    if sorted(t.strip() for t in chart.axis_titles) != sorted((plan.X_TITLE, plan.Y_TITLE)):
        return "axis titles differ"
    if chart.extras:
        return f"chart shows other than its planned lines ({', '.join(sorted(set(chart.extras)))})"
    if len(chart.series) != len(want.lines):
        return f"chart has {len(chart.series)} lines, planned {len(want.lines)}"
    for k, (series, line) in enumerate(zip(chart.series, want.lines), 1):
        problem = _line_differs(series, line, book, values)
        if problem is not None:
            return f"line {k}: {problem}"
    return None


def _line_differs(series: Series, line: plan.Line, book: Book, values: dict) -> str | None:
    if set(series.data) != {"xVal", "yVal"}:
        return f"plots {', '.join(sorted(series.data))}, planned x and y values"
    for axis, column in (("xVal", line.x), ("yVal", line.y)):
        data = series.data[axis]
        if data.literal or data.formula is None:
            return "plots numbers typed into the chart, not cells"
        if _area(data.formula) != (column.sheet, column.col, column.top, column.col, column.bottom):
            return f"plots {data.formula.strip()}, planned {_shown(column)}"
        problem = _cache_differs(data, column, book, values)
        if problem is not None:
            return problem
    return _name_differs(series, line)


def _name_differs(series: Series, line: plan.Line) -> str | None:
    formula = (series.name_formula or "").strip()
    if line.heading is not None:
        row, col = line.heading
        if _area(formula) != (line.y.sheet, col, row, col, row):
            return f"named by {formula or repr(series.name_text)}, planned the heading cell"
        return None
    text = series.name_text if not formula else _quoted(formula)
    if text != line.text:
        return f"named {text!r}, planned {line.text!r}"
    return None


def _cache_differs(data: Data, column: plan.Column, book: Book, values: dict) -> str | None:
    """The numbers the chart keeps for previews must be the cells' (an empty cache is what
    our writer leaves, and applications then draw from the cells)."""
    if data.count is None and not data.points:
        return None
    rows = column.bottom - column.top + 1
    if data.count != rows or any(i >= rows for i in data.points):
        return f"caches {data.count} points for {rows} cells"
    for i in range(rows):
        ref = CellRef(column.sheet, column.top + i, column.col)
        cell = book.cells.get(ref)
        got = values.get(ref) if cell is not None and cell.formula else cell and cell.value
        cached = data.points.get(i)
        if got is None or cached is None:
            if got is not None or cached is not None:
                return f"caches {cached!r} for {ref}, which holds {got!r}"
            continue
        try:
            number = float(cached)
        except ValueError:
            return f"caches {cached[:20]!r} for {ref}"
        if not agree(number, got):
            return f"caches {number!r} for {ref}, which computes {got!r}"
    return None


def _read(formula: str) -> object:
    """A chart's formula (``'Training'!$A$4:$A$4003``, ``Sweep!$B$8``, LibreOffice's ``"L"``)
    read by the evaluator's own parser, as any formula is; None when it does not parse."""
    try:
        tree, _ = parse("=" + formula.strip(), 1, 1, "a chart's formula")
    except (FormulaError, RecursionError):
        return None
    return tree


def _area(formula: str) -> tuple[str | None, int, int, int, int] | None:
    """A formula naming one area, as (sheet, left, top, right, bottom); None otherwise."""
    tree = _read(formula)
    if isinstance(tree, CellNode):
        first = last = tree
    elif isinstance(tree, RangeNode):
        first, last = tree.first, tree.last
    else:
        return None
    (top, left), (bottom, right) = first.at(1, 1), last.at(1, 1)
    return tree.sheet, left, top, right, bottom


def _quoted(formula: str) -> str | None:
    """A series name written as a formula of one text."""
    tree = _read(formula)
    return tree.value if isinstance(tree, Text) else None


def _shown(column: plan.Column) -> str:
    return f"{column.sheet} column {column.col}, rows {column.top}-{column.bottom}"
