"""Wrong workbooks found by the seventh adversarial review, each now refused (exit 2) or
reported: formula text the evaluator read otherwise than a spreadsheet does (numbers Python's
float() reads and spreadsheets do not, a line feed inside a name, a function spelled with
a letter whose upper case is ASCII, a name qualified by a sheet that does not define it).
Legitimate spellings still pass.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_review_attacks import STEP, cell_named, edited, with_formula

from worksheet.errors import BookError
from worksheet.model.template import Overrides, load_template, resolve
from worksheet.render.generate import generate
from worksheet.verify.check import check_file

Z_1 = "w_1*x_1+w_2*x_2+b_1"


@pytest.fixture(scope="module")
def classic(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("review7") / "classic.xlsx"
    generate(resolve(load_template("classic")).spec, path)
    return path


def refused(path: Path) -> str:
    with pytest.raises(BookError) as caught:
        check_file(path)
    return str(caught.value)


# Each was OK (exit 0) before: the evaluator read z₁ right, LibreOffice 7.4 shows #NAME? or
# #VALUE! (the tab, which LibreOffice reads as 1, is refused as well: Excel was not run).
@pytest.mark.parametrize(
    "formula, words",
    [
        (Z_1 + "*\u0661", "a number spreadsheets do not read"),  # Arabic-Indic one
        (Z_1 + "*\uff11", "a number spreadsheets do not read"),  # full-width one
        (Z_1 + "*1_0/1_0", "a number spreadsheets do not read"),
        (Z_1 + "*1\u00a0", "a number spreadsheets do not read"),
        (Z_1 + "*1\t", "a number spreadsheets do not read"),
        (Z_1 + "+0*nan", "a number spreadsheets do not read"),
        (Z_1 + "+1/infinity", "a number spreadsheets do not read"),
        ("w_\n1*x_1+w_2*x_2+b_1", "a line break inside a name or number"),
        ("w_1*x_1+w_2*x_2+EXP\n(0)*b_1", "a line break inside a name or number"),
        ("w_1*x_1+w_2*x_2+\u017fum(b_1)", "unsupported function"),  # long s: "SUM" upper-cased
        ("Givens!w_1*x_1+w_2*x_2+b_1", "a name qualified by a sheet that has none"),
        ("Step!w_1*x_1+w_2*x_2+b_1", "a name qualified by a sheet that has none"),
    ],
    ids=[
        "arabic-digit",
        "full-width-digit",
        "underscore",
        "no-break-space",
        "tab",
        "nan",
        "infinity",
        "line-feed-in-name",
        "line-feed-before-parenthesis",
        "long-s",
        "givens-qualified-name",
        "step-qualified-name",
    ],
)
def test_formula_text_a_spreadsheet_reads_otherwise_is_refused(classic, formula, words):
    cell = cell_named(classic, "z_1")
    assert words in refused(with_formula(classic, STEP, cell, formula))


@pytest.mark.parametrize(
    "formula",
    [
        "w_1*x_1+w_2*x_2+GIVENS!$C$22",  # sheet names are case-insensitive
        "w_1*x_1+w_2*x_2+'Givens'!$C$22",
        "w_1*x_1\n+w_2*x_2\n+b_1",  # line feeds between operands
        "w_1*x_1+w_2*x_2+b_1*1.0E+0",
        "w_1*x_1+w_2*x_2+b_1*1.",
    ],
    ids=["upper-sheet", "quoted-sheet", "line-feeds", "exponent", "trailing-point"],
)
def test_spellings_spreadsheets_read_alike_pass(classic, formula):
    cell = cell_named(classic, "z_1")
    report = check_file(with_formula(classic, STEP, cell, formula))
    assert report.ok, report.mismatches


def test_a_sheet_scoped_name_qualified_by_its_sheet_still_reads(classic):
    """Step!w_1 where Step defines w_1 is what both spreadsheets read: not refused as a name
    (the extra name is the layout's business)."""
    edit = edited(
        classic,
        "xl/workbook.xml",
        lambda t: t.replace(
            "</definedNames>",
            '<definedName name="w_1" localSheetId="1">Givens!$C$18</definedName></definedNames>',
        ),
    )
    cell = cell_named(classic, "z_1")
    path = with_formula(edit, STEP, cell, "Step!w_1*x_1+w_2*x_2+b_1")
    try:
        report = check_file(path)
    except BookError as exc:
        assert "qualified by a sheet" not in str(exc)
    else:
        assert not report.ok  # a name the layout does not have


@pytest.mark.parametrize(
    "old, new",
    [
        ("<t>x₁</t>", "<t>x_x2081_</t>"),
        ("<t>=1/(1 + EXP(-z_1))</t>", "<t>_x003D_1/(1 + EXP(-z_1))</t>"),
    ],
    ids=["symbol", "formula-text"],
)
def test_text_escaping_a_character_that_needs_none_is_refused(classic, old, new):
    """``x_x2081_`` is x₁ to Excel and to the old reader, "x_x2081_" in LibreOffice 7.4
    (which decodes only what XML cannot hold: controls, surrogates, the underscore): the
    symbol and formula-text columns were proven as planned while LibreOffice showed others."""
    part = "xl/worksheets/sheet1.xml" if "x₁" in old else STEP
    path = edited(classic, part, lambda t: t.replace(old, new, 1))
    assert "which LibreOffice shows as written" in refused(path)


@pytest.mark.parametrize(
    "old, new",
    [
        ("<t>=w_1*x_1 + w_2*x_2 + b_1</t>", "<t>=w_1*x_1 + w_2*x_2\n\n\n\n\n\n\n\n+ b_1</t>"),
        ("<t>=w_1*x_1 + w_2*x_2 + b_1</t>", "<t>= w _ 1 * x _ 1 + w _ 2 * x _ 2 + b _ 1</t>"),
        ("<t>z₁ = w₁x₁ + w₂x₂ + b₁</t>", "<t>\n\n\n\n\n\n\n\nz₁ = w₁x₁ + w₂x₂ + b₁</t>"),
    ],
    ids=["line-feeds-hide-b1", "spaces-wrap-past-the-row", "maths-pushed-out-of-sight"],
)
def test_a_label_spaced_to_show_another_sum_is_reported(classic, old, new):
    """The formula text was compared without its white space, the maths stripped: line feeds
    before ``+ b_1`` left LibreOffice showing ``=w_1*x_1 + w_2*x_2`` in the two lines of its
    row (OK before); leading line feeds showed a wrapped maths cell as empty."""
    path = edited(classic, STEP, lambda t: t.replace(old, new, 1))
    report = check_file(path)
    assert not report.ok
    (fault,) = report.mismatches.values()
    assert "label differs from the plan" in fault.reason


def test_the_formula_text_is_compared_as_the_writer_spaces_it():
    """labels keeps the writer's line length (render loads openpyxl, which check must not)."""
    from worksheet.render.book import LINE
    from worksheet.verify import labels

    assert labels.LINE == LINE


@pytest.mark.parametrize(
    "old, new, words",
    [
        ("<t>yes</t>", '<t xml:space="preserve">no </t>', "must be one of yes, no"),
        ("<t>yes</t>", "<t>No</t>", "must be one of yes, no"),
        ("<t>2-1-1</t>", "<t>2-1-1 </t>", "must be sizes such as 2-1-1"),
    ],
    ids=["no-and-a-space", "capital-no", "layers-and-a-space"],
)
def test_a_setting_shown_otherwise_than_it_is_read_is_refused(classic, old, new, words):
    """Any bias_update but "no" was read as yes: a Givens sheet saying "No" (or "no " ,
    shown as no) beside Step sheets that update the biases was OK."""
    path = edited(classic, "xl/worksheets/sheet1.xml", lambda t: t.replace(old, new, 1))
    assert words in refused(path)


def test_a_training_mode_that_is_not_its_batch_size_is_refused(tmp_path):
    """ "stochastic" on the Givens sheet beside a batch size of 2: the tables average two."""
    path = tmp_path / "mini.xlsx"
    generate(resolve(load_template("xor"), Overrides(epochs=2, batch_size=2)).spec, path)
    assert check_file(path).ok
    bad = edited(
        path, "xl/worksheets/sheet1.xml", lambda t: t.replace(">mini-batch<", ">stochastic<")
    )
    assert "is not the batch size's" in refused(bad)


def test_the_inputs_swapped_on_the_network_sheet(classic):
    """x₁ and x₂ swapped on the Network sheet's boxes and edges: the drawing read x₁ = 0.3,
    as the Givens sheet did before its symbols were compared (OK before)."""
    swaps = [("<t>x₁</t>", "<t>X</t>"), ("<t>x₂</t>", "<t>x₁</t>"), ("<t>X</t>", "<t>x₂</t>")]
    swaps += [("w₁ from x₁", "w₁ from x₂")]

    def swapped(text: str) -> str:
        for old, new in swaps:
            text = text.replace(old, new)
        return text

    report = check_file(edited(classic, "xl/worksheets/sheet3.xml", swapped))
    assert {"Network!B5", "Network!B8", "Network!C6"} <= set(report.mismatches)
    assert "label differs" in report.mismatches["Network!B5"].reason


def test_two_columns_of_the_training_table_swapped_in_their_headings(tmp_path):
    """w₁ over w₂'s column and w₂ over w₁'s: the table read one weight's path as the other's
    (OK before: the headings were taken for words)."""
    path = tmp_path / "xor.xlsx"
    generate(resolve(load_template("xor"), Overrides(epochs=2)).spec, path)
    swaps = [("<t>w₁</t>", "<t>W</t>"), ("<t>w₂</t>", "<t>w₁</t>"), ("<t>W</t>", "<t>w₂</t>")]

    def swapped(text: str) -> str:
        for old, new in swaps:
            text = text.replace(old, new, 1)
        return text

    report = check_file(edited(path, "xl/worksheets/sheet5.xml", swapped))
    assert set(report.mismatches) == {"Training!F3", "Training!G3"}


def test_sparklines_are_refused(classic):
    """A chart in a cell (Excel 2010's sparklines, drawn by LibreOffice 7.4 too) can plot
    any cells under any label, where a chart's lines are held to the plan (OK before)."""
    ext = (
        '<extLst><ext uri="{05C60535-1F16-4fd2-B633-F4F36F0B64E0}" '
        'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
        '<x14:sparklineGroups xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main">'
        "<x14:sparklineGroup><x14:sparklines><x14:sparkline><xm:f>Step!D5:D8</xm:f>"
        "<xm:sqref>I5</xm:sqref></x14:sparkline></x14:sparklines></x14:sparklineGroup>"
        "</x14:sparklineGroups></ext></extLst></worksheet>"
    )
    path = edited(classic, STEP, lambda t: t.replace("</worksheet>", ext))
    assert "sparklines" in refused(path)


@pytest.mark.parametrize(
    ("options", "sheet", "row"),
    [
        (Overrides(epochs=2), "Summary", 11),  # x₁ and x₂ over each other's column
        (Overrides(epochs=2, lr_sweep=(0.1, 0.5)), "Sweep", None),  # run 1 and run 2
        (Overrides(epochs=2, compare_optimizers=("sgd", "adam")), "Compare", None),
    ],
)
def test_two_columns_of_the_summary_sweep_or_compare_swapped_in_their_labels(
    tmp_path, options, sheet, row
):
    """The symbol or run label over a column of the Summary, Sweep and Compare sheets is
    the plan's: swapped, one run's losses read as the other's (OK before: taken for words)."""
    import openpyxl

    from worksheet.sheets.sweep import RATE_ROW

    path = tmp_path / "xor.xlsx"
    generate(resolve(load_template("xor"), options).spec, path)
    book = openpyxl.load_workbook(path)
    row = row or RATE_ROW - 1
    cells = book[sheet][f"B{row}"], book[sheet][f"C{row}"]
    assert cells[0].value and cells[1].value and cells[0].value != cells[1].value
    cells[0].value, cells[1].value = cells[1].value, cells[0].value
    book.save(tmp_path / "swapped.xlsx")
    report = check_file(tmp_path / "swapped.xlsx")
    assert {f"{sheet}!B{row}", f"{sheet}!C{row}"} <= set(report.mismatches)
    assert "label differs" in report.mismatches[f"{sheet}!B{row}"].reason


@pytest.mark.parametrize("width", [17, 19])
def test_a_formula_text_cut_by_a_narrowed_column_and_a_lowered_row(classic, width):
    """Column E narrowed to 17 (or 19) and row 5 lowered to one line: LibreOffice 7.4 shows
    ``=w_1*x_1 + w_2*x_2`` (or ``... +``) of ``=w_1*x_1 + w_2*x_2 + b_1`` (OK before: the
    text read as planned)."""

    def cut(text: str) -> str:
        text = text.replace(
            '<col width="26" customWidth="1" min="5" max="5" />',
            f'<col width="{width}" customWidth="1" min="5" max="5" />',
        )
        return text.replace('<row r="5" ht="29" customHeight="1">', '<row r="5" ht="15">')

    report = check_file(edited(classic, STEP, cut))
    assert report.mismatches["Step!E5"].reason == "formula label cut: 2 lines where its row shows 1"


def test_a_formula_text_that_no_longer_wraps_is_cut_by_its_column(classic):
    """Its style's wrap turned off: a text wider than its column stops at the name beside it."""
    path = edited(
        classic, "xl/styles.xml", lambda t: t.replace('wrapText="1" indent="1"', 'indent="1"')
    )
    narrow = edited(
        path,
        STEP,
        lambda t: t.replace(
            '<col width="26" customWidth="1" min="5" max="5" />',
            '<col width="18" customWidth="1" min="5" max="5" />',
        ),
    )
    report = check_file(narrow)
    assert "it does not wrap" in report.mismatches["Step!E5"].reason


def test_the_labels_measure_lines_as_the_writer_does():
    """A label's room is judged by the writer's own measure (page_measure, which loads no
    openpyxl; it was a copy of page_setup's constants held equal here): a row the writer
    sized for a text's lines shows them all, one line less does not."""
    from worksheet.render import page_setup
    from worksheet.verify import labels

    text = "=w_1*x_1 + w_2*x_2 + w_3*x_3 + w_4*x_4 + b_1"
    for width, code in ((17, True), (26, True), (30, False)):
        kind = "code" if code else "text"
        need = page_setup.wrapped_lines(text, width, kind)
        height = page_setup.LINE_PT + page_setup.NEXT_LINE_PT * (need - 1)
        assert labels.lines(text, width, code, True) <= need
        assert labels.shown_lines(height) == need
        assert labels.shown_lines(height - page_setup.NEXT_LINE_PT) == need - 1


def test_a_number_typed_in_one_copy_of_a_column_is_judged_in_every_copy(tmp_path):
    """``+0.5-0.5`` in one Training row let ``+0.7-0.7`` in the next pass (formulas were
    parsed once per digits-blanked text, and 0.5 is a number any formula may type); the
    copies of one formula are now those compiled alike, typed numbers included."""
    import re

    path = tmp_path / "xor.xlsx"
    generate(resolve(load_template("xor"), Overrides(epochs=3)).spec, path)

    def typed(text: str) -> str:
        for cell, extra in (("F5", "+0.5-0.5"), ("F6", "+0.7-0.7")):
            found = re.search(rf'<c r="{cell}"[^>]*><f>([^<]*)</f>', text)
            text = text.replace(found[0], found[0].replace(found[1], found[1] + extra), 1)
        return text

    report = check_file(edited(path, "xl/worksheets/sheet5.xml", typed))
    assert set(report.mismatches) == {"Training!F6"}
    assert "types the number 0.7" in report.mismatches["Training!F6"].reason
