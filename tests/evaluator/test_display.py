"""What a person sees must be what the reader reads: constructs that change what a spreadsheet
shows or computes, while every formula stays right, are refused with one line.

Each case edits one part of a generated workbook (template classic: Givens is sheet1.xml,
Step sheet2.xml; the first Step value uses number format 164, ``0.000000``, in font 0).
Reproductions of the review that found them: /tmp/review/a01, a02, a05, a10, a11.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from worksheet.errors import BookError
from worksheet.evaluator import read_book

STEP = "xl/worksheets/sheet2.xml"
STYLES = "xl/styles.xml"
WORKBOOK = "xl/workbook.xml"
FIRST_FORMULA = r'<c r="([A-Z]+[0-9]+)"([^>]*)><f>'


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    from worksheet.model.template import load_template, resolve
    from worksheet.render.generate import generate

    path = tmp_path_factory.mktemp("display") / "classic.xlsx"
    generate(resolve(load_template("classic")).spec, path)
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def edited(tmp_path: Path, parts: dict[str, bytes], part: str, pattern: str, new: str) -> Path:
    """The workbook with the first match of ``pattern`` in ``part`` replaced by ``new``."""
    text, n = re.subn(pattern, new, parts[part].decode(), count=1)
    assert n == 1, (part, pattern)
    path = tmp_path / "edited.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, text.encode() if name == part else data)
    return path


def refusal(path: Path) -> str:
    with pytest.raises(BookError) as info:
        read_book(path)
    message = str(info.value)
    assert "\n" not in message and message.startswith(f"{path}: ")
    return message.removeprefix(f"{path}: ")


CF = (
    '<conditionalFormatting sqref="D5"><cfRule type="expression" dxfId="0" priority="1">'
    "<formula>TRUE</formula></cfRule></conditionalFormatting>"
)
X14 = (
    '<extLst><ext uri="{78C0D931-6437-407d-A8EE-F0AAD7539E65}" xmlns:x14='
    '"http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"><x14:conditionalFormattings>'
    "</x14:conditionalFormattings></ext></extLst>"
)
DV = '<dataValidations count="1"><dataValidation sqref="D5" type="whole"/></dataValidations>'
SHOWN = "is not supported (it changes what is shown)"
COMPUTED = "is not supported (it changes what is computed)"


@pytest.mark.parametrize(
    ("part", "pattern", "new", "message"),
    [
        # 1. array formulas (one cell too: the cell computes in array context) and data tables
        (STEP, FIRST_FORMULA, r'<c r="\1"\2><f t="array" ref="\1">', "array formulas are not"),
        (STEP, FIRST_FORMULA, r'<c r="\1"\2><f t="array">', "array formulas are not supported"),
        (STEP, FIRST_FORMULA, r'<c r="\1"\2><f t="dataTable" ref="\1">', "data table formulas"),
        # 2. calculation settings
        (
            WORKBOOK,
            "<calcPr ",
            '<calcPr fullPrecision="0" ',
            f"precision as shown (fullPrecision) {COMPUTED}",
        ),
        (WORKBOOK, "<calcPr ", '<calcPr fullPrecision="false" ', "precision as shown"),
        (
            WORKBOOK,
            "<calcPr ",
            '<calcPr iterate="1" ',
            f"iterative calculation (iterate) {COMPUTED}",
        ),
        (WORKBOOK, "<calcPr ", '<calcPr iterate="true" ', "iterative calculation"),
        (WORKBOOK, "<calcPr ", '<calcPr calcMode="manual" ', "calculation mode 'manual'"),
        # 3. conditional formatting and data validation, also inside an extension
        (STEP, "</sheetData>", "</sheetData>" + CF, f"sheet Step: conditional formatting {SHOWN}"),
        (STEP, "</worksheet>", X14 + "</worksheet>", "sheet Step: conditional formatting"),
        (STEP, "</sheetData>", "</sheetData>" + DV, f"sheet Step: data validation {SHOWN}"),
        (
            STEP,
            "</worksheet>",
            '<tableParts count="1"><tablePart id="rId9"/></tableParts></worksheet>',
            "sheet Step: a table",
        ),
        # 4. hidden, collapsed or nearly invisible rows and columns
        (
            STEP,
            '<col width="14.5" ',
            '<col hidden="1" width="14.5" ',
            "sheet Step: hiding columns 4-4",
        ),
        (
            STEP,
            '<col width="14.5" ',
            '<col width="0" ',
            "a width of almost nothing for columns 4-4",
        ),
        (STEP, '<col width="14.5" ', '<col collapsed="1" width="14.5" ', "a collapsed outline"),
        (STEP, '<row r="5"', '<row r="5" hidden="1"', f"sheet Step: hiding row 5 {SHOWN}"),
        (STEP, '<row r="5"', '<row r="5" hidden="true"', "sheet Step: hiding row 5"),
        (STEP, '<row r="6" ht="29"', '<row r="6" ht="0"', "a height of almost nothing for row 6"),
        (STEP, '<row r="6"', '<row r="6" collapsed="1"', "a collapsed outline at row 6"),
        (STEP, "<sheetFormatPr ", '<sheetFormatPr zeroHeight="1" ', "rows hidden by default"),
        (STEP, "<sheetView ", '<sheetView showZeros="0" ', "shows zeros as blank"),
    ],
)
def test_what_would_show_or_compute_otherwise_is_refused(
    tmp_path: Path,
    generated: dict[str, bytes],
    part: str,
    pattern: str,
    new: str,
    message: str,
) -> None:
    assert message in refusal(edited(tmp_path, generated, part, pattern, new))


VALUE_FORMAT = 'formatCode="0.000000"'  # the first Step value's (6 significant figures)


@pytest.mark.parametrize(
    ("code", "shown"),
    [
        ("0.0000000000;0.0000000000", "'0.0000000000;0.0000000000'"),  # no minus sign
        ("&quot;0.5000000000&quot;", "'\"0.5000000000\"'"),  # a literal in place of the value
        (";;;", "';;;'"),  # nothing at all
        ("[Red]0.00", "'[Red]0.00'"),
        ("[&lt;0]0.00;0.00", "'[<0]0.00;0.00'"),
        ("0%", "'0%'"),
        ("0.0000000000\\ ", "'0.0000000000\\\\ '"),
        ("0.0000000000_)", "'0.0000000000_)'"),
        ("0.0000000000000000", "'0.0000000000000000'"),  # 16 decimals: past Excel's 15 digits
    ],
)
def test_number_formats_that_could_hide_a_value_are_refused(
    tmp_path: Path, generated: dict[str, bytes], code: str, shown: str
) -> None:
    path = edited(tmp_path, generated, STYLES, VALUE_FORMAT, f'formatCode="{code}"')
    message = refusal(path)
    assert re.fullmatch(
        rf"Step!D\d+: number format .* could show another value \(style \d+ of {STYLES}\)", message
    )
    assert shown in message


@pytest.mark.parametrize(
    "code", ["General", "GENERAL", "0", "0.0", "0.000000000000000", "0.000000E+00", "0E+00", "@"]
)
def test_plain_number_formats_are_read(
    tmp_path: Path, generated: dict[str, bytes], code: str
) -> None:
    path = edited(tmp_path, generated, STYLES, VALUE_FORMAT, f'formatCode="{code}"')
    assert read_book(path).cells


def test_a_built_in_format_other_than_the_plain_ones_is_refused(
    tmp_path: Path, generated: dict[str, bytes]
) -> None:
    path = edited(tmp_path, generated, STYLES, r'<xf numFmtId="164"', '<xf numFmtId="10"')
    assert "number format '10' is not one the generator writes" in refusal(path)


@pytest.mark.parametrize(
    "colour",
    [
        '<color rgb="FFFFFFFF" />',  # white
        '<color rgb="00FAFAFA" />',  # as good as white
        '<color theme="0" />',  # the theme's background colour, white
        '<color theme="1" tint="0.9" />',  # the text colour lightened to near white
        '<color rgb="00DDEBF7" />',  # the colour of the formula cells' fill
    ],
)
def test_a_font_that_does_not_show_is_refused(
    tmp_path: Path, generated: dict[str, bytes], colour: str
) -> None:
    path = edited(tmp_path, generated, STYLES, '<color theme="1" />', colour)
    assert "text too close in colour to its fill could hide the value" in refusal(path)


@pytest.mark.parametrize(
    "dark",
    [
        '<a:srgbClr val="FFFFFF"/>',
        '<a:sysClr val="window" lastClr="000000"/>',
        '<a:srgbClr val="000000"><a:lumMod val="5000"/></a:srgbClr>',  # not read: refused
    ],
)
def test_a_theme_whose_text_colour_is_white_is_refused(
    tmp_path: Path, generated: dict[str, bytes], dark: str
) -> None:
    """The text is theme colour 1, dark 1 of the theme's scheme: a theme can make it white."""
    theme = "xl/theme/theme1.xml"
    path = edited(tmp_path, generated, theme, r"(?s)<a:dk1>.*?</a:dk1>", f"<a:dk1>{dark}</a:dk1>")
    assert "text too close in colour to its fill could hide the value" in refusal(path)


def test_a_format_defined_twice_or_a_second_list_is_refused(
    tmp_path: Path, generated: dict[str, bytes]
) -> None:
    """Which of two definitions an application takes is its own choice: neither is read."""
    twice = '<numFmt numFmtId="164" formatCode="0.0;0.0" /><numFmt numFmtId="164" '
    path = edited(tmp_path, generated, STYLES, '<numFmt numFmtId="164" ', twice)
    assert refusal(path) == "xl/styles.xml: number format '164' defined twice"
    path = edited(tmp_path, generated, STYLES, "<fonts ", '<fonts count="0"></fonts><fonts ')
    assert refusal(path) == "xl/styles.xml: more than one <fonts>"


def test_a_tiny_font_is_refused(tmp_path: Path, generated: dict[str, bytes]) -> None:
    path = edited(tmp_path, generated, STYLES, '<sz val="11" />', '<sz val="1" />')
    assert "a font of '1' points could hide the value" in refusal(path)


def test_a_cell_style_not_in_the_file_is_refused(
    tmp_path: Path, generated: dict[str, bytes]
) -> None:
    path = edited(tmp_path, generated, STEP, FIRST_FORMULA, r'<c r="\1" s="999"><f>')
    assert refusal(path).endswith(": a cell style not in the file")


@pytest.mark.parametrize(
    ("part", "pattern", "new"),
    [
        # what LibreOffice writes for our files
        (
            WORKBOOK,
            "<calcPr [^>]*/>",
            '<calcPr iterateCount="100" refMode="A1" iterate="false" iterateDelta="0.0001"/>',
        ),
        (WORKBOOK, "<calcPr ", '<calcPr fullPrecision="1" calcMode="auto" '),
        (STEP, '<row r="5"', '<row r="5" hidden="false" collapsed="false" outlineLevel="0"'),
        (STEP, '<col width="14.5" ', '<col hidden="false" collapsed="false" width="14.5" '),
        (STEP, "<sheetFormatPr ", '<sheetFormatPr zeroHeight="false" '),
        (STEP, "<sheetView ", '<sheetView showZeros="true" '),
        (STYLES, '<color theme="1" />', '<color rgb="FF000000" />'),
    ],
)
def test_what_libreoffice_writes_is_read(
    tmp_path: Path, generated: dict[str, bytes], part: str, pattern: str, new: str
) -> None:
    assert read_book(edited(tmp_path, generated, part, pattern, new)).cells


def test_merged_areas_are_on_the_book(tmp_path: Path, generated: dict[str, bytes]) -> None:
    """Each sheet's merged areas as (top, left, bottom, right): the check decides which cells
    a merge may cover, since the cells under one show nothing."""
    path = edited(
        tmp_path, generated, STEP, "</mergeCells>", '<mergeCell ref="C5:D6" /></mergeCells>'
    )
    book = read_book(path)
    assert set(book.merged) == {"Givens", "Step", "Network"}
    assert (5, 3, 6, 4) in book.merged["Step"]
    assert all(
        top <= bottom and left <= right for top, left, bottom, right in book.merged["Givens"]
    )
    bad = edited(
        tmp_path, generated, STEP, "</mergeCells>", '<mergeCell ref="D6:C5" /></mergeCells>'
    )
    assert refusal(bad) == "sheet Step: bad merged area 'D6:C5'"
