"""Expat handlers for a sheet's drawing part and for a chart part (see ``charts``).

Only what decides what a chart shows is kept: where it is anchored, its title and axis
titles, and for each series its name, the cells (or typed numbers) it plots and the numbers
it caches, which previews draw without recalculating.  Whatever else a drawing holds
(pictures, shapes, text boxes, other graphics) is kept as a word naming it, since any of it
could stand over the cells and show other numbers than theirs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from worksheet.evaluator.sheetformulas import Fail
from worksheet.evaluator.styles import PLAIN_FORMAT
from worksheet.evaluator.xmlstream import Tags

CHART_NS = frozenset(
    {
        "http://schemas.openxmlformats.org/drawingml/2006/chart",
        "http://purl.oclc.org/ooxml/drawingml/chart",  # Strict
        "http://schemas.openxmlformats.org/drawingml/2006/main",
        "http://purl.oclc.org/ooxml/drawingml/main",
        "http://schemas.microsoft.com/office/drawing/2012/chart",  # c15: Excel 2013's additions
    }
)
DRAWING_NS = frozenset(
    {
        "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing",
        "http://purl.oclc.org/ooxml/drawingml/spreadsheetDrawing",  # Strict
        *CHART_NS,
    }
)
R_IDS = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships}id",
    "http://purl.oclc.org/ooxml/officeDocument/relationships}id",  # Strict
)
MAX_TEXT = 1_000  # characters of a title or a series name: ours are short
MAX_POINT_TEXT = 64  # characters of one cached point: a number needs at most 25
MAX_POINTS = 500_000  # cached points kept, all charts of a workbook: 4 per update and run
MAX_OBJECTS = 1_000  # anchors in one drawing

_ANCHORS = ("twoCellAnchor", "oneCellAnchor", "absoluteAnchor")
_PLACING = ("from", "to", "pos", "ext", "clientData")
_OBJECTS = {
    "sp": "a shape or text box",
    "grpSp": "a group of shapes",
    "cxnSp": "a connector",
    "pic": "a picture",
    "contentPart": "ink",
    "graphicFrame": "a graphic that is not a chart",
}
_DATA = ("xVal", "yVal", "cat", "val", "bubbleSize")
_SHOW = ("showLegendKey", "showVal", "showCatName", "showSerName", "showPercent")
_SHOW += ("showBubbleSize", "showDataLabelsRange")
_AXES = ("valAx", "catAx", "dateAx", "serAx")


@dataclass
class Data:
    """One series' x or y values as the chart holds them: the formula of the cells they come
    from, whether numbers were typed into the chart instead, and the cached points."""

    formula: str | None = None
    literal: bool = False
    count: int | None = None
    points: dict[int, str] = field(default_factory=dict)


@dataclass
class Series:
    name_formula: str | None = None  # the cell the name comes from, or a quoted text
    name_text: str | None = None  # the name as written (or cached)
    data: dict[str, Data] = field(default_factory=dict)


@dataclass
class Chart:
    """A chart part: what it draws and what it says."""

    part: str
    title: str | None = None
    title_formula: str | None = None
    axis_titles: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    series: list[Series] = field(default_factory=list)
    extras: list[str] = field(default_factory=list)  # what else it draws: labels, trendlines


@dataclass
class Drawn:
    """One anchored object of a drawing: a chart (``rel`` names its part) or another thing."""

    row: int | None = None  # the top-left cell, 1-based; None for an absolute anchor
    col: int | None = None
    corners: dict[str, int] = field(default_factory=dict)  # "from row", "to col"... 1-based
    size: tuple[int, int] | None = None  # a one-cell anchor's extent (EMU)
    hidden: bool = False
    rel: str | None = None
    other: str | None = None  # what it is when it is not a chart


def _text(fail: Fail, part: str, old: str | None, more: str, limit: int = MAX_TEXT) -> str:
    text = (old or "") + more
    if len(text) > limit:
        raise fail(f"refused XML in {part} (a text longer than {limit:,} characters)")
    return text


class Budget:
    """The cached points left to keep, all chart parts of one workbook together."""

    def __init__(self, left: int = MAX_POINTS) -> None:
        self.left = left


class DrawingReader:
    """The anchors of a drawing part, each with the one object it places."""

    def __init__(self, fail: Fail, part: str) -> None:
        self.fail, self.part = fail, part
        self.names = Tags(DRAWING_NS)
        self.path: list[str] = []
        self.found: list[Drawn] = []
        self.number: str | None = None  # the text of a from/col or from/row being read

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        name = self.names[tag]
        self.path.append(name)
        depth = len(self.path)
        if depth == 2 and name in _ANCHORS:
            if len(self.found) >= MAX_OBJECTS:
                raise self.fail(f"refused XML in {self.part} (more than {MAX_OBJECTS} objects)")
            self.found.append(Drawn())
        elif depth == 2:
            self.found.append(Drawn(other=f"an element {_local(name)}"))
        elif depth == 3 and name == "ext":
            self.found[-1].size = (_count(attrs.get("cx")) or 0, _count(attrs.get("cy")) or 0)
        elif depth == 3 and name not in _PLACING:
            drawn = self.found[-1]
            if drawn.other is None and drawn.rel is None:
                drawn.other = _OBJECTS.get(name, f"an element {_local(name)}")
            else:
                drawn.other = "more than one object in one anchor"
        elif depth == 4 and self.path[2] in ("from", "to"):
            self.number = ""  # col, row and their offsets: whole numbers, never negative
        elif name == "cNvPr" and attrs.get("hidden", "0") not in ("0", "false"):
            self.found[-1].hidden = True
        elif name == "chart" and self.path[2] == "graphicFrame":
            ids = [attrs[key] for key in R_IDS if key in attrs]
            drawn = self.found[-1]
            if drawn.other == _OBJECTS["graphicFrame"] and len(ids) == 1 and drawn.rel is None:
                drawn.other, drawn.rel = None, ids[0]
            else:
                drawn.other = "a chart frame read two ways"

    def end(self, tag: str) -> None:
        if self.number is not None and len(self.path) == 4:
            value = self.number.strip()
            if not (value.isascii() and value.isdigit() and len(value) <= 12):
                raise self.fail(f"refused XML in {self.part} (a bad anchor {self.path[3]})")
            drawn = self.found[-1]
            drawn.corners[f"{self.path[2]} {self.path[3]}"] = int(value) + 1
            if self.path[2] == "from" and self.path[3] in ("row", "col"):
                setattr(drawn, self.path[3], int(value) + 1)
            self.number = None
        self.path.pop()

    def data(self, text: str) -> None:
        if self.number is not None:
            self.number = _text(self.fail, self.part, self.number, text)


class ChartReader:
    """A chart part's title, axis titles, chart types and series."""

    def __init__(self, fail: Fail, part: str, budget: Budget) -> None:
        self.fail, self.part, self.budget = fail, part, budget
        self.names = Tags(CHART_NS)
        self.path: list[str] = []
        self.chart = Chart(part)
        self.series: Series | None = None
        self.values: Data | None = None
        self.point: int | None = None
        self.target: str | None = None  # which text the characters being read belong to

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        name = self.names[tag]
        parent = self.path[-1] if self.path else ""
        self.path.append(name)
        chart = self.chart
        if parent == "plotArea" and name.endswith(("Chart", "Chart3D")):
            chart.kinds.append(name)
        elif name == "ser":
            self.series = Series()
            chart.series.append(self.series)
        elif parent == "ser" and name in _DATA and self.series is not None:
            self.values = self.series.data.setdefault(name, Data())
        elif name in ("numLit", "strLit") and self.values is not None:
            self.values.literal = True
        elif name == "ptCount" and self.values is not None:
            self.values.count = _count(attrs.get("val"))
        elif name == "pt":
            self.point = _count(attrs.get("idx"))
            self.budget.left -= 1
            if self.budget.left < 0:
                raise self.fail(f"refused XML in {self.part} (over {MAX_POINTS:,} chart points)")
        elif name in ("trendline", "errBars", "dLbl", "upDownBars", "dropLines", "hiLowLines"):
            chart.extras.append(name)
        elif name in _SHOW and attrs.get("val", "1") not in ("0", "false"):
            chart.extras.append(f"labels ({name})")
        elif name in ("userShapes", "pivotSource", "datalabelsRange") or name.startswith(
            "filtered"
        ):
            chart.extras.append(name)  # shapes over it, a pivot, labels from cells, lines hidden
        elif self.path[-4:] == ["ser", "spPr", "ln", "noFill"]:
            chart.extras.append("a line drawn invisible")
        elif name == "dPt" or (name == "alpha" and "ser" in self.path):
            chart.extras.append("points drawn otherwise than their line (dPt, alpha)")
        elif name == "numFmt" and parent in _AXES and not _plain(attrs):
            chart.extras.append(f"axis numbers in format {attrs.get('formatCode', '')[:30]!r}")
        elif name == "dispUnits":
            chart.extras.append("axis numbers in other units (dispUnits)")
        elif name == "title" and parent in _AXES:
            chart.axis_titles.append("")
        self.target = self._target(name) if name in ("f", "v", "t") else None

    def _target(self, name: str) -> str | None:
        """What the text of this ``f``, ``v`` or ``t`` element is, by where it stands."""
        path = self.path
        if "title" in path:
            owner = path[path.index("title") - 1]
            if owner == "chart":
                return "title formula" if name == "f" else "title"
            return "axis title" if owner in _AXES and name == "t" else None
        if "ser" in path and path[path.index("ser") + 1] == "tx":
            return "name formula" if name == "f" else "name" if name == "v" else None
        if self.values is not None:
            return "formula" if name == "f" else "point" if name == "v" else None
        return None

    def end(self, tag: str) -> None:
        name = self.path.pop()
        if name == "ser":
            self.series = self.values = None
        elif name in _DATA and self.path and self.path[-1] == "ser":
            self.values = None
        elif name == "pt":
            self.point = None
        if name in ("f", "v", "t"):
            self.target = None

    def data(self, text: str) -> None:
        target, chart, fail, part = self.target, self.chart, self.fail, self.part
        if target == "title":
            chart.title = _text(fail, part, chart.title, text)
        elif target == "title formula":
            chart.title_formula = _text(fail, part, chart.title_formula, text)
        elif target == "axis title":
            chart.axis_titles[-1] = _text(fail, part, chart.axis_titles[-1], text)
        elif target == "name" and self.series is not None:
            self.series.name_text = _text(fail, part, self.series.name_text, text)
        elif target == "name formula" and self.series is not None:
            self.series.name_formula = _text(fail, part, self.series.name_formula, text)
        elif target == "formula" and self.values is not None:
            self.values.formula = _text(fail, part, self.values.formula, text)
        elif target == "point" and self.values is not None and self.point is not None:
            old = self.values.points.get(self.point)
            self.values.points[self.point] = _text(fail, part, old, text, MAX_POINT_TEXT)


def _plain(attrs: dict[str, str]) -> bool:
    """An axis's number format: the cells' own (source linked), General, or the plain fixed
    and scientific formats a cell may wear (see ``styles``)."""
    if attrs.get("sourceLinked") in ("1", "true"):
        return True
    return PLAIN_FORMAT.fullmatch(attrs.get("formatCode", "General")) is not None


def _count(text: str | None) -> int | None:
    if text is None or not (text.isascii() and text.isdigit()) or len(text) > 9:
        return None
    return int(text)


def _local(name: str) -> str:
    return ascii(name.rpartition("}")[2][:40])
