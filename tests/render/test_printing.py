"""Page setup, read back from the saved file with openpyxl: paper, orientation, fit, print
areas, repeated rows, header and footer, and the wrapping text columns of the step sheets.

Workbooks are built the way ``generate`` will build them once wired: ``plan``,
``build_workbook``, the Network and training sheets, then ``apply_page_setup``.
"""

from __future__ import annotations

import openpyxl
import pytest

from worksheet.errors import WorksheetError
from worksheet.model.template import Overrides, load_template, resolve
from worksheet.render.book import build_workbook
from worksheet.render.network import add_network_sheet
from worksheet.render.page_measure import column_mm
from worksheet.render.page_setup import (
    TABLE_ROWS,
    apply_page_setup,
    wrapped_lines,
)
from worksheet.render.training_book import add_training
from worksheet.sheets.layout import plan
from worksheet.sheets.network import NETWORK

A4, LETTER = 9, 1  # paperSize codes of the file format


def build(tmp_path, template="classic", paper="a4", student=None, **overrides):
    spec = resolve(load_template(template), Overrides(**overrides)).spec
    book = build_workbook(plan(spec))
    add_network_sheet(book, spec)
    add_training(book, spec)
    apply_page_setup(book, paper=paper, title=spec.title, student=student)
    path = tmp_path / "p.xlsx"
    book.save(path)
    return openpyxl.load_workbook(path)


# (sheet, orientation, fit to pages wide, print area, repeated rows, repeated columns)
CLASSIC = [
    ("Givens", "portrait", 1, "$A$1:$D$", "$1:$3", None),  # D: its table (and its legend)
    ("Step", "portrait", 1, "$A$1:$H$", "$1:$3", None),  # H: the numerical gradients
    (NETWORK, None, 1, None, None, None),
]
STEPS_222 = [
    ("Givens", "portrait", 1, "$A$1:$D$", "$1:$3", None),
    ("Step", "portrait", 1, "$A$1:$H$", "$1:$3", None),
    ("Step 2", "portrait", 1, "$A$1:$H$", "$1:$3", None),
    (NETWORK, None, 1, None, None, None),
]
XOR_SHORT = [  # 30 epochs of 4 examples: 120 updates, cut to the first TABLE_ROWS
    ("Step", "portrait", 1, "$A$1:$H$", "$1:$3", None),
    # from row 2: row 1's description, wider than the repeated columns A:B, would print cut on
    # every page after the first; the page header carries it whole
    ("Training", "landscape", 3, f"$A$2:$AI${3 + TABLE_ROWS}", "$2:$3", "$A:$B"),
]


def test_a_table_prints_its_description_in_the_header_not_cut_in_row_1(tmp_path):
    sheet = build(tmp_path, "xor", epochs=30)["Training"]
    assert sheet.print_area.split("!")[1].startswith("$A$2")
    assert sheet.oddHeader.center.text.replace("&&", "&") == sheet["A1"].value[:200]


@pytest.mark.parametrize(
    "template, overrides, expected",
    [
        ("classic", {}, CLASSIC),
        ("classic", {"layers": (2, 2, 2), "steps": 2}, STEPS_222),
        ("xor", {"epochs": 30}, XOR_SHORT),
    ],
)
def test_sheet_setup(tmp_path, template, overrides, expected):
    book = build(tmp_path, template, **overrides)
    for name, orientation, wide, area, rows, cols in expected:
        sheet = book[name]
        setup = sheet.page_setup
        if orientation is not None:
            assert setup.orientation == orientation, name
        if name == "Training":  # pages across set by breaks (``table_pages``), not a fit
            assert len(sheet.col_breaks.brk) + 1 == wide, name
            assert not sheet.sheet_properties.pageSetUpPr.fitToPage, name
        else:
            assert setup.fitToWidth == wide, name
            assert sheet.sheet_properties.pageSetUpPr.fitToPage, name
        if area is not None:
            assert area in sheet.print_area, (name, sheet.print_area)
        assert sheet.print_title_rows == rows, name
        assert sheet.print_title_cols == cols, name


def test_every_sheet_gets_paper_header_footer_and_gridlines(tmp_path):
    book = build(tmp_path, "xor", paper="letter", student="Ada & Co", epochs=2)
    assert set(book.sheetnames) >= {"Givens", "Step", NETWORK, "Summary", "Training"}
    for sheet in book.worksheets:
        assert sheet.page_setup.paperSize == LETTER, sheet.title
        assert sheet.oddHeader.center.text.startswith("XOR")  # a table's: its description
        assert sheet.oddHeader.left.text == "&A"  # the sheet's name
        assert sheet.oddHeader.right.text == "Student: Ada && Co"  # '&' escaped
        assert sheet.oddFooter.center.text == "Page &P of &N"
        pictures = (NETWORK, "Summary")  # a drawing, charts: no grid of empty boxes behind
        assert sheet.print_options.gridLines == (sheet.title not in pictures), sheet.title
        assert sheet.page_margins.left == pytest.approx(0.4)


def test_no_student_no_student_header_and_a4_by_default(tmp_path):
    book = build(tmp_path)
    for sheet in book.worksheets:
        assert sheet.page_setup.paperSize == A4
        assert not sheet.oddHeader.right.text


def test_applying_twice_changes_nothing(tmp_path):
    spec = resolve(load_template("xor"), Overrides(epochs=30)).spec
    book = build_workbook(plan(spec))
    add_network_sheet(book, spec)
    add_training(book, spec)
    apply_page_setup(book, title=spec.title)
    once = [_setup(sheet) for sheet in book.worksheets]
    apply_page_setup(book, title=spec.title)
    assert [_setup(sheet) for sheet in book.worksheets] == once


def _setup(sheet) -> tuple:
    widths = tuple(d.width for _, d in sorted(sheet.column_dimensions.items()))
    heights = tuple(d.height for _, d in sorted(sheet.row_dimensions.items()))
    setup = sheet.page_setup
    return (
        sheet.print_area,
        setup.orientation,
        setup.fitToWidth,
        setup.fitToHeight,
        setup.scale,
        tuple(b.id for b in sheet.col_breaks.brk),
        tuple(cell.value for cell in sheet[2]),
        widths,
        heights,
    )


def test_unknown_paper_is_refused():
    book = openpyxl.Workbook()
    with pytest.raises(WorksheetError, match="unknown paper 'a3'"):
        apply_page_setup(book, paper="a3")


def test_long_training_prints_its_first_rows_with_a_note(tmp_path):
    book = build(tmp_path, "xor", epochs=30)  # 120 updates and the end row
    training = book["Training"]
    assert 50 <= training.page_setup.scale <= 100  # the printed rows fit one page down
    assert training.oddFooter.left.text == (
        f"Printed: the first {TABLE_ROWS} rows of 121 (all are in the workbook)"
    )


def test_short_training_prints_whole(tmp_path):
    book = build(tmp_path, "xor", epochs=2)  # 8 updates
    training = book["Training"]
    assert training.print_area.endswith(f"${training.max_row}")
    assert not training.oddFooter.left.text


def test_sweep_sheets_are_cut_too(tmp_path):
    book = build(tmp_path, "xor", epochs=30, lr_sweep=(0.5, 1.0))
    for name in ("Sweep", "Run 1", "Run 2"):
        assert "first" in book[name].oddFooter.left.text, name
        first = 9 if name == "Sweep" else 4  # the first row under the frozen header
        assert book[name].print_area.endswith(f"${first - 1 + TABLE_ROWS}"), name


def test_print_areas_already_set_are_kept(tmp_path):
    """writer.py excludes the nudge columns right of the step table: they stay excluded."""
    book = build(tmp_path, "classic", gradcheck=False)
    assert book["Step"].print_area.endswith(f"$F${book['Step'].max_row}")


def test_step_text_columns_wrap_and_rows_grow(tmp_path):
    step = build(tmp_path, "mazur")["Step"]
    widths = {c: step.column_dimensions[c].width for c in "ABCDEFGH"}
    assert sum(widths.values()) < 150  # about 70 % on a portrait page, not 45 %
    # "blame reaching hidden neuron 1: the sum over the neurons it feeds": three lines
    row = next(c.row for c in step["B"] if str(c.value).endswith("the neurons it feeds"))
    assert step.cell(row, 2).alignment.wrap_text
    assert step.row_dimensions[row].height >= 40
    value = step.cell(row, 4)
    assert value.data_type == "f" and not value.alignment.wrap_text
    assert value.alignment.vertical == "top"  # level with the wrapped text


@pytest.mark.parametrize(
    "text, width, kind, lines",
    [
        ("total loss", 26, "text", 1),
        ("weighted sum into hidden neuron 1", 26, "text", 2),  # 33 characters, 30 a line
        ("blame reaching hidden neuron 1: sum over the neurons it feeds", 26, "text", 3),
        ("=w_1*x_1+w_2*x_2+b_1", 26, "code", 1),  # 20 characters; 21 a line in code
        ("=w_1_new*x_1+w_2_new*x_2+b_1_new", 26, "code", 2),
        ("defined name", 15, "heading", 2),  # 11 a line in a bold serif
        ("formula (as text)", 26, "heading", 1),
        ("", 10, "text", 1),
    ],
)
def test_wrapped_lines(text, width, kind, lines):
    assert wrapped_lines(text, width, kind) == lines


def test_page_setup_follows_the_kind_each_sheet_was_made_as(tmp_path):
    """Kinds are recorded when sheets are made, never read from titles: a Training table
    renamed before page setup still prints as a table, and a Step sheet as a step."""
    spec = resolve(load_template("and"), Overrides(epochs=3)).spec
    book = build_workbook(plan(spec))
    add_training(book, spec)
    book["Training"].title = "Step 7"
    book["Step"].title = "Training"
    apply_page_setup(book)
    assert book["Step 7"].page_setup.orientation == "landscape"
    assert book["Training"].page_setup.orientation == "portrait"


def test_column_mm():
    # Excel: a column of width w is 7w + 5 pixels at 96 dpi; 8.43 is the 64-pixel default
    assert column_mm(8.43) == pytest.approx(64 * 25.4 / 96, abs=0.05)


def test_column_widths_set_in_styles_take_effect(tmp_path):
    """Widths come from one table (``styles.COLUMN_WIDTHS``): page setup does not undo them."""
    from worksheet.render import styles
    from worksheet.sheets.cells import column_letter
    from worksheet.sheets.layout import CHECK_COLUMNS, GIVEN_COLUMNS, STEP_COLUMNS

    book = build(tmp_path, "mazur")
    step, givens = book["Step"], book["Givens"]
    for col, key in enumerate((*STEP_COLUMNS, *CHECK_COLUMNS), 1):
        assert step.column_dimensions[column_letter(col)].width == styles.COLUMN_WIDTHS[key], key
    for col, key in enumerate(GIVEN_COLUMNS, 1):
        assert givens.column_dimensions[column_letter(col)].width == styles.GIVEN_WIDTHS[key], key


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_a_summary_prints_one_page_wide_with_no_chart_cut_across_pages(tmp_path, paper):
    """At a fixed scale (manual breaks are ignored on a sheet fitted to pages), one page
    wide even where LibreOffice's fallback font widens the columns, with a break before a
    chart that would not fit below what comes before it."""
    from worksheet.render.page_measure import chart_spans, height_mm, printable, width_mm
    from worksheet.render.page_setup import WIDE_FONT

    summary = build(tmp_path, "xor", paper=paper, epochs=30)["Summary"]
    setup = summary.page_setup
    assert not summary.sheet_properties.pageSetUpPr.fitToPage
    across, down = printable(paper, setup.orientation)
    scale = setup.scale / 100
    assert WIDE_FONT * width_mm(summary, 1, summary.max_column) * scale <= across
    breaks = sorted(b.id for b in summary.row_breaks.brk)
    for top, _, _, _, high in chart_spans(summary):
        page_top = max([0, *[height_mm(summary, b) for b in breaks if b < top]])
        start = height_mm(summary, top - 1)
        while start - page_top >= down / scale:
            page_top += down / scale
        assert start + high - page_top <= down / scale, (top, breaks)
