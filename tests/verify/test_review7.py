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
from worksheet.model.template import load_template, resolve
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
