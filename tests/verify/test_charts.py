"""Charts are checked as cells are: a chart drawing other cells, typed numbers or a cache of
other numbers than the cells compute is reported; anything else drawn over the cells is
refused; the generated charts (loss, sweep, comparison) pass, and so do LibreOffice's caches.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from worksheet.errors import BookError
from worksheet.evaluator import CellRef, Evaluation, read_book
from worksheet.evaluator.charts import read_drawings
from worksheet.model.template import Overrides, load_template, resolve
from worksheet.render.generate import generate
from worksheet.sheets.charts import charts
from worksheet.verify.check import check_file

CHART = "xl/charts/chart1.xml"
AXIS_FORMAT = '<numFmt formatCode="0.000000," sourceLinked="0"/>'  # shows loss / 1000
DRAWING = "xl/drawings/drawing1.xml"


@pytest.fixture(scope="module")
def xor(tmp_path_factory) -> Path:
    """XOR over a few epochs: a Summary sheet with its two loss charts."""
    path = tmp_path_factory.mktemp("charts") / "xor.xlsx"
    generate(resolve(load_template("xor"), Overrides(epochs=5)).spec, path)
    return path


def rewritten(path: Path, part: str, edit, extra: dict[str, str] | None = None) -> Path:
    """A copy of ``path`` with ``part``'s text passed through ``edit`` (which must change
    it) and ``extra`` parts added or replaced."""
    out = path.with_name(f"edited-{part.replace('/', '-')}-{len(list(path.parent.iterdir()))}.xlsx")
    extra = dict(extra or {})
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        assert part in src.namelist()
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == part:
                text = data.decode()
                changed = edit(text)
                assert changed != text, "the edit must change the part"
                data = changed.encode()
            if info.filename in extra:
                data = extra.pop(info.filename).encode()
            dst.writestr(info.filename, data)
        for name, text in extra.items():
            dst.writestr(name, text)
    return out


def faults(path: Path) -> dict:
    report = check_file(path)
    assert not report.ok
    return {label: m.reason for label, m in report.mismatches.items() if label.startswith("chart")}


@pytest.mark.parametrize(
    "overrides",
    [
        dict(epochs=5),
        dict(epochs=3, lr_sweep=(0.1, 0.5)),
        dict(epochs=3, compare_optimizers=("sgd", "adam")),
    ],
    ids=["summary", "sweep", "compare"],
)
def test_generated_charts_are_read_and_pass(tmp_path, overrides):
    spec = resolve(load_template("xor"), Overrides(**overrides)).spec
    path = tmp_path / "x.xlsx"
    generate(spec, path)
    drawn = read_drawings(path)
    planned = charts(spec)
    assert sum(len(v) for v in drawn.values()) == len(planned) >= 2
    assert check_file(path).ok


def test_a_line_pointed_at_another_column(xor):
    bad = rewritten(xor, CHART, lambda t: re.sub(r"\$W\$4:\$W\$(\d+)", r"$V$4:$V$\1", t))
    assert "plots" in faults(bad)["chart 1 on Summary"]


def test_numbers_typed_into_the_chart(xor):
    def typed(text: str) -> str:
        points = '<pt idx="0"><v>0.2</v></pt><pt idx="1"><v>0.01</v></pt>'
        lit = f'<numLit><ptCount val="2"/>{points}</numLit>'
        return re.sub(r"<yVal>.*?</yVal>", f"<yVal>{lit}</yVal>", text, flags=re.S)

    assert "typed" in faults(rewritten(xor, CHART, typed))["chart 1 on Summary"]


def _cache(xor: Path, change) -> Path:
    """Chart 1's y values cached as LibreOffice writes them, with ``change`` applied to the
    list of numbers first (in place of the cache the writer stored)."""
    from worksheet.evaluator.a1 import col_index

    book = read_book(xor)
    values = Evaluation(book).run()
    text = zipfile.ZipFile(xor).read(CHART).decode()
    formula = re.search(r"<yVal><numRef><f>([^<]*)</f>", text)[1]
    col, top, bottom = re.search(r"\$([A-Z]+)\$(\d+):\$[A-Z]+\$(\d+)", formula).groups()
    rows = range(int(top), int(bottom) + 1)
    numbers = change([values[CellRef("Training", r, col_index(col))] for r in rows])
    points = "".join(f'<pt idx="{i}"><v>{v!r}</v></pt>' for i, v in enumerate(numbers))
    count = f'<ptCount val="{len(numbers)}"/>'
    cache = f"<numCache><formatCode>General</formatCode>{count}{points}</numCache>"
    y_values = f"<yVal><numRef><f>{formula}</f>{cache}</numRef></yVal>"
    return rewritten(xor, CHART, lambda t: re.sub(r"<yVal>.*?</yVal>", y_values, t, count=1))


def test_a_cache_of_the_cells_own_numbers_passes(xor):
    """The writer's own caches (as LibreOffice's, in tests/verify/test_libreoffice.py)."""
    assert "<numCache>" in zipfile.ZipFile(xor).read(CHART).decode()
    assert check_file(xor).ok


@pytest.mark.parametrize(
    "change",
    [lambda v: [x / 2 for x in v], lambda v: v[:-1], lambda v: [*v[:-1], v[-1] * 1.01]],
    ids=["halved", "one-short", "last-off"],
)
def test_a_cache_of_other_numbers_is_reported(xor, change):
    assert "caches" in faults(_cache(xor, change))["chart 1 on Summary"]


@pytest.mark.parametrize(
    "edit, reason",
    [
        (lambda t: t.replace("mean over the last epoch", "it learns"), "title"),
        (lambda t: t.replace("<v>L̄</v>", "<v>L</v>"), "named"),
        (lambda t: t.replace("<a:t>loss</a:t>", "<a:t>accuracy</a:t>"), "axis"),
        (
            lambda t: t.replace(
                "<smooth", '<trendline><trendlineType val="linear"/></trendline><smooth'
            ),
            "trendline",
        ),
        (
            lambda t: t.replace("<scatterChart>", "<lineChart>").replace(
                "</scatterChart>", "</lineChart>"
            ),
            "kind",
        ),
        (lambda t: t.replace("<majorTickMark", AXIS_FORMAT + "<majorTickMark", 1), "format"),
        (
            lambda t: t.replace(
                "<crossAx", '<dispUnits><builtInUnit val="thousands"/></dispUnits><crossAx', 1
            ),
            "units",
        ),
    ],
    ids=["title", "name", "axis-title", "trendline", "kind", "axis-format", "axis-units"],
)
def test_a_chart_that_says_something_else(xor, edit, reason):
    assert reason in faults(rewritten(xor, CHART, edit))["chart 1 on Summary"]


@pytest.mark.parametrize(
    "edit, reason",
    [
        (lambda t: t.replace("<row>16</row>", "<row>3</row>", 1), "moved"),
        (
            lambda t: (
                t.replace("<oneCellAnchor>", "<twoCellAnchor>", 1)
                .replace("</oneCellAnchor>", "</twoCellAnchor>", 1)
                .replace(
                    "</from>",
                    "</from><to><col>5</col><colOff>0</colOff><row>2</row><rowOff>0</rowOff></to>",
                    1,
                )
            ),
            "stretched",
        ),
    ],
    ids=["moved", "stretched-up"],
)
def test_a_chart_moved_over_the_cells(xor, edit, reason):
    assert reason in faults(rewritten(xor, DRAWING, edit))["chart 1 on Summary"]


def test_a_negative_anchor_offset_is_refused(xor):
    bad = rewritten(
        xor, DRAWING, lambda t: t.replace("<rowOff>0</rowOff>", "<rowOff>-900000</rowOff>", 1)
    )
    with pytest.raises(BookError, match="bad anchor"):
        check_file(bad)


def test_a_line_drawn_invisible(xor):
    invisible = "<spPr><a:ln><a:noFill/></a:ln></spPr><marker>"
    bad = rewritten(
        xor, CHART, lambda t: re.sub(r"<spPr>.*?</spPr><marker>", invisible, t, count=1, flags=re.S)
    )
    assert "invisible" in faults(bad)["chart 1 on Summary"]


def test_data_labels_shown(xor):
    labels = '<dLbls><showVal val="1"/></dLbls>'
    bad = rewritten(xor, CHART, lambda t: t.replace("<xVal>", labels + "<xVal>", 1))
    assert "labels" in faults(bad)["chart 1 on Summary"]


def test_a_chart_removed_or_added(xor):
    first = re.compile(r"<oneCellAnchor>.*?</oneCellAnchor>", re.S)
    removed = rewritten(xor, DRAWING, lambda t: first.sub("", t, count=1))
    assert faults(removed)["chart 2 on Summary"] == "chart missing"
    added = rewritten(
        xor, DRAWING, lambda t: t.replace("</wsDr>", first.search(t).group(0) + "</wsDr>")
    )
    assert faults(added)["chart 3 on Summary"] == "chart not planned"


SHAPE = (
    "<oneCellAnchor><from><col>1</col><colOff>0</colOff><row>3</row><rowOff>0</rowOff></from>"
    '<ext cx="900000" cy="200000"/><sp><nvSpPr><cNvPr id="9" name="Box"/><cNvSpPr txBox="1"/>'
    "</nvSpPr><spPr/><txBody><a:bodyPr/><a:p><a:r><a:t>0.0001</a:t></a:r></a:p></txBody></sp>"
    "<clientData/></oneCellAnchor>"
)


def test_a_text_box_over_the_cells_is_refused(xor):
    bad = rewritten(xor, DRAWING, lambda t: t.replace("</wsDr>", SHAPE + "</wsDr>"))
    with pytest.raises(BookError, match="shape or text box"):
        check_file(bad)


@pytest.mark.parametrize("sheet", [1, 4], ids=["Givens", "Summary"])
def test_comments_on_a_sheet_are_refused(xor, sheet):
    """On a sheet with no relationships yet (Givens) and on one with its drawing (Summary)."""
    rels = f"xl/worksheets/_rels/sheet{sheet}.xml.rels"
    comment = (
        '<Relationship Id="rId9" Target="/xl/comments1.xml" Type="http://schemas.openxml'
        'formats.org/officeDocument/2006/relationships/comments"/></Relationships>'
    )
    empty = '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    extra = {"xl/comments1.xml": "<comments/>"}
    if sheet == 1:
        extra[rels] = empty + comment
        bad = rewritten(xor, "xl/workbook.xml", lambda t: t + " ", extra)
    else:
        bad = rewritten(xor, rels, lambda t: t.replace("</Relationships>", comment), extra)
    with pytest.raises(BookError, match="comments"):
        check_file(bad)


@pytest.mark.slow
def test_a_chart_caching_too_many_points_is_refused(xor):
    """Points are kept to compare with the cells: past the budget the file is refused
    instead of filling the memory."""
    points = "".join(f'<pt idx="{i}"><v>0</v></pt>' for i in range(500_001))
    cache = f'<numCache><ptCount val="500001"/>{points}</numCache>'
    bad = rewritten(xor, CHART, lambda t: re.sub(r"<numCache>.*?</numCache>", cache, t, count=1))
    with pytest.raises(BookError, match="chart points"):
        check_file(bad)


@pytest.mark.parametrize(
    "edit, reason",
    [
        (lambda t: t.replace('name="Chart 1"', 'name="Chart 1" hidden="1"', 1), "hidden"),
        (lambda t: t.replace('cx="6480000" cy="3240000"', 'cx="10" cy="10"', 1), "shrunk"),
    ],
    ids=["hidden-frame", "zero-size"],
)
def test_a_chart_out_of_sight(xor, edit, reason):
    assert reason in faults(rewritten(xor, DRAWING, edit))["chart 1 on Summary"]


@pytest.mark.parametrize(
    "edit, words",
    [
        (lambda t: t.replace("<workbookPr", '<workbookPr showObjects="none"', 1), "showObjects"),
        (lambda t: t.replace('visibility="visible"', 'visibility="hidden"', 1), "window"),
    ],
    ids=["objects-hidden", "window-hidden"],
)
def test_a_workbook_that_hides_its_charts_or_itself(xor, edit, words):
    text = zipfile.ZipFile(xor).read("xl/workbook.xml").decode()
    if "<workbookPr" not in text or "<workbookView" not in text:
        pytest.fail("the writer's workbook part has no workbookPr or workbookView to edit")
    with pytest.raises(BookError, match=words):
        check_file(rewritten(xor, "xl/workbook.xml", edit))


@pytest.mark.parametrize(
    "edit",
    [
        lambda t: t.replace(
            "<smooth", '<dPt><idx val="0"/><spPr><a:ln><a:noFill/></a:ln></spPr></dPt><smooth', 1
        ),
        lambda t: re.sub(
            r'(<a:srgbClr val="C00000") ?/>', r'\1><a:alpha val="0"/></a:srgbClr>', t, count=1
        ),
    ],
    ids=["points-without-line", "see-through-line"],
)
def test_a_line_hidden_point_by_point_or_see_through(xor, edit):
    assert "dPt, alpha" in faults(rewritten(xor, CHART, edit))["chart 1 on Summary"]


def test_every_generated_line_caches_its_numbers_for_previews(tmp_path):
    """Previews draw a chart from its cache: each line caches every point, and the caches
    are the cells' numbers (check compares them)."""
    spec = resolve(load_template("xor"), Overrides(epochs=3, lr_sweep=(0.1, 0.5))).spec
    path = tmp_path / "x.xlsx"
    generate(spec, path)
    lines = [
        series
        for placed in read_drawings(path).values()
        for item in placed
        for series in item.chart.series
    ]
    assert len(lines) == 4  # L̄, L, and one per learning rate
    for series in lines:
        for data in series.data.values():
            assert data.count == len(data.points) == spec.updates
    assert check_file(path).ok
