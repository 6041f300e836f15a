"""Reading .xlsx files: parts written by hand, as Excel and LibreOffice write them, and bad files.

openpyxl cannot write shared formulas, cached values or inline strings, so these tests build
the zip themselves from a few lines of XML per part.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest

from worksheet.errors import BookError
from worksheet.evaluator import Cell, CellRef, XLError, evaluate, read_book
from worksheet.evaluator import package as package_module

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WS_TYPE = f"{REL}/worksheet"


def sheet_xml(rows: str, prefix: str = "") -> str:
    """A worksheet part around ``<row>`` elements (with tags prefixed by ``prefix:`` if given)."""
    p = f"{prefix}:" if prefix else ""
    xmlns = f'xmlns:{prefix}="{MAIN}"' if prefix else f'xmlns="{MAIN}"'
    data = f"<{p}sheetData>{rows}</{p}sheetData>"
    return f'<?xml version="1.0"?><{p}worksheet {xmlns}>{data}</{p}worksheet>'


def write_xlsx(
    path: Path,
    sheets: dict[str, str],
    names: str = "",
    strings: list[str] | None = None,
    extra: dict[str, str] | None = None,
    absolute_targets: bool = False,
) -> Path:
    """Zip a minimal workbook: ``sheets`` maps sheet name to its worksheet XML."""
    entries, rels = [], []
    parts = {}
    for i, (name, xml) in enumerate(sheets.items(), start=1):
        entries.append(f'<sheet name="{name}" sheetId="{i}" r:id="rId{i}"/>')
        target = f"/xl/worksheets/sheet{i}.xml" if absolute_targets else f"worksheets/sheet{i}.xml"
        rels.append(f'<Relationship Id="rId{i}" Type="{WS_TYPE}" Target="{target}"/>')
        parts[f"xl/worksheets/sheet{i}.xml"] = xml
    parts["xl/workbook.xml"] = (
        f'<?xml version="1.0"?><workbook xmlns="{MAIN}" xmlns:r="{REL}">'
        f"<sheets>{''.join(entries)}</sheets>"
        f"{f'<definedNames>{names}</definedNames>' if names else ''}</workbook>"
    )
    if strings is not None:
        rels.append(
            f'<Relationship Id="rIdS" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
        )
        parts["xl/sharedStrings.xml"] = f'<sst xmlns="{MAIN}">{"".join(strings)}</sst>'
    parts["xl/_rels/workbook.xml.rels"] = (
        '<?xml version="1.0"?><Relationships xmlns='
        '"http://schemas.openxmlformats.org/package/2006/relationships">'
        f"{''.join(rels)}</Relationships>"
    )
    parts.update(extra or {})
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in parts.items():
            zf.writestr(name, text)
    return path


SHARED_DOWN = sheet_xml(
    '<row r="1"><c r="A1"><v>1</v></c><c r="B1"><v>2</v></c></row>'
    '<row r="2"><c r="A2"><v>3</v></c>'
    '<c r="B2"><f t="shared" ref="B2:B4" si="0">A2*2+$A$1+B1</f><v>9</v></c></row>'
    '<row r="3"><c r="A3"><v>5</v></c><c r="B3"><f t="shared" si="0"/><v>20</v></c></row>'
    '<row r="4"><c r="A4"><v>7</v></c><c r="B4"><f t="shared" si="0"/><v>35</v></c></row>'
    '<row r="5"><c r="C5"><f t="shared" ref="C5:E5" si="1">SUM(A$1:A1)&amp;"A1"</f></c>'
    '<c r="D5"><f t="shared" si="1"/></c><c r="E5"><f t="shared" si="1"/></c></row>'
)


def test_shared_formulas_are_moved_to_each_follower(tmp_path: Path) -> None:
    book = read_book(write_xlsx(tmp_path / "s.xlsx", {"S": SHARED_DOWN}))
    formulas = {str(ref): cell.formula for ref, cell in book.cells.items() if cell.formula}
    assert formulas == {
        "S!B2": "=A2*2+$A$1+B1",
        "S!B3": "=A3*2+$A$1+B2",
        "S!B4": "=A4*2+$A$1+B3",
        "S!C5": '=SUM(A$1:A1)&"A1"',  # the text "A1" is not a reference
        "S!D5": '=SUM(B$1:B1)&"A1"',
        "S!E5": '=SUM(C$1:C1)&"A1"',
    }
    values = evaluate(book)
    assert [values[CellRef("S", r, 2)] for r in (2, 3, 4)] == [9.0, 20.0, 35.0]
    assert book.cells[CellRef("S", 3, 2)].value == 20.0  # the cached value is kept


def test_shared_formula_with_whole_columns_falls_back_to_the_translator(tmp_path: Path) -> None:
    rows = (
        '<row r="1"><c r="B1"><f t="shared" ref="B1:C1" si="0">SUM(A:A)+A1</f></c>'
        '<c r="C1"><f t="shared" si="0"/></c></row>'
    )
    book = read_book(write_xlsx(tmp_path / "w.xlsx", {"S": sheet_xml(rows)}))
    assert book.cells[CellRef("S", 1, 3)].formula == "=SUM(B:B)+B1"


@pytest.mark.parametrize(
    ("cell_xml", "expected"),
    [
        ('<c r="A1" t="e"><v>#VALUE!</v></c>', Cell(None, XLError.VALUE)),
        ('<c r="A1" t="e"><f>1/0</f><v>#DIV/0!</v></c>', Cell("=1/0", XLError.DIV0)),
        ('<c r="A1" t="b"><v>1</v></c>', Cell(None, True)),
        ('<c r="A1" t="b"><f>1&gt;2</f><v>0</v></c>', Cell("=1>2", False)),
        ('<c r="A1"><v>2.5</v></c>', Cell(None, 2.5)),
        ('<c r="A1" t="n"><v>3</v></c>', Cell(None, 3.0)),
        ('<c r="A1"><f>1+2</f><v>3</v></c>', Cell("=1+2", 3.0)),
        ('<c r="A1"><f>1+2</f><v></v></c>', Cell("=1+2", None)),  # as openpyxl writes
        ('<c r="A1"><f>1+2</f></c>', Cell("=1+2", None)),
        ('<c r="A1" t="str"><f>"a"&amp;"b"</f><v>ab</v></c>', Cell('="a"&"b"', "ab")),
        ('<c r="A1" t="s"><v>1</v></c>', Cell(None, "=w_1*x_1")),  # text, not a formula
        ('<c r="A1" t="s"><v>0</v></c>', Cell(None, "bold plain")),  # rich text runs joined
        ('<c r="A1" t="s"><v>2</v></c>', Cell(None, "a\rb")),  # _x000D_ decoded
        ('<c r="A1" t="inlineStr"><is><t>inline</t></is></c>', Cell(None, "inline")),
        (
            '<c r="A1" t="inlineStr"><is><r><t>in</t></r><r><t>line</t></r></is></c>',
            Cell(None, "inline"),
        ),
        ('<c r="A1" t="str"><v>=not a formula</v></c>', Cell(None, "=not a formula")),
    ],
)
def test_cell_types_and_cached_values(tmp_path: Path, cell_xml: str, expected: Cell) -> None:
    strings = [
        "<si><r><t>bold</t></r><r><t xml:space='preserve'> plain</t></r><rPh><t>x</t></rPh></si>",
        "<si><t>=w_1*x_1</t></si>",
        "<si><t>a_x000D_b</t></si>",
    ]
    sheet = sheet_xml(f'<row r="1">{cell_xml}</row>')
    book = read_book(write_xlsx(tmp_path / "t.xlsx", {"S": sheet}, strings=strings))
    assert book.cells == {CellRef("S", 1, 1): expected}


def test_blank_styled_cells_are_not_stored(tmp_path: Path) -> None:
    sheet = sheet_xml('<row r="1"><c r="A1" s="3"/><c r="B1"><v>1</v></c></row>')
    book = read_book(write_xlsx(tmp_path / "b.xlsx", {"S": sheet}))
    assert list(book.cells) == [CellRef("S", 1, 2)]


def test_missing_r_attributes_follow_the_previous_cell(tmp_path: Path) -> None:
    rows = (
        '<row><c><v>1</v></c><c><v>2</v></c></row><row><c r="C2"><v>3</v></c><c><v>4</v></c></row>'
    )
    book = read_book(write_xlsx(tmp_path / "r.xlsx", {"S": sheet_xml(rows)}))
    assert {(ref.row, ref.col): c.value for ref, c in book.cells.items()} == {
        (1, 1): 1.0,
        (1, 2): 2.0,
        (2, 3): 3.0,
        (2, 4): 4.0,
    }


def test_prefixed_tags_and_absolute_targets(tmp_path: Path) -> None:
    rows = '<x:row r="1"><x:c r="A1"><x:v>2</x:v></x:c><x:c r="B1"><x:f>A1*3</x:f></x:c></x:row>'
    path = write_xlsx(tmp_path / "p.xlsx", {"S": sheet_xml(rows, "x")}, absolute_targets=True)
    assert evaluate(read_book(path)) == {CellRef("S", 1, 2): 6.0}


def test_defined_names_and_their_scopes(tmp_path: Path) -> None:
    names = (
        '<definedName name="_xlnm.Print_Area" localSheetId="0">One!$A$1:$B$2</definedName>'
        '<definedName name="_xlfn.IFNA" hidden="1">#NAME?</definedName>'
        '<definedName name="eta">Two!$A$1</definedName>'
        '<definedName name="eta" localSheetId="1">\'One\'!$B$1</definedName>'
        '<definedName name="Rel">One!B1</definedName>'
    )
    sheets = {"One": sheet_xml(""), "Two": sheet_xml("")}
    book = read_book(write_xlsx(tmp_path / "n.xlsx", sheets, names=names))
    assert book.sheet_names == ["One", "Two"]
    assert book.names == {
        (None, "ETA"): "Two!$A$1",
        ("Two", "ETA"): "'One'!$B$1",
        (None, "REL"): "One!B1",
    }
    assert book.name_ref("eta") == CellRef("Two", 1, 1)
    assert book.name_ref("Eta", "One") == CellRef("Two", 1, 1)  # no sheet-level eta on One
    assert book.name_ref("ETA", "Two") == CellRef("One", 1, 2)
    assert book.name_ref("rel") is None  # relative: not a fixed cell


def test_openpyxl_file_with_formula_text_column(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Step"
    ws["A1"] = "=1+1"
    ws["B1"] = "=1+1"
    ws["B1"].data_type = "s"  # shown as text, the way the workbook documents its formulas
    wb.save(tmp_path / "o.xlsx")
    book = read_book(tmp_path / "o.xlsx")
    assert book.cells[CellRef("Step", 1, 1)] == Cell("=1+1", None)
    assert book.cells[CellRef("Step", 1, 2)] == Cell(None, "=1+1")


def _zip(path: Path, parts: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, text in parts.items():
            zf.writestr(name, text)
    return path


BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t>'
    "</is></c></row></sheetData></worksheet>"
)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            lambda p: p.write_bytes(b"not a zip at all") and p,
            "b.xlsx: not an .xlsx workbook (not a zip file)",
        ),
        (
            lambda p: _zip(p, {"word/document.xml": "<x/>"}),
            "b.xlsx: not an .xlsx workbook (no xl/workbook.xml)",
        ),
        (
            lambda p: write_xlsx(p, {"S": sheet_xml("")}, extra={"xl/vbaProject.bin": "x"}),
            "b.xlsx: macro-enabled workbooks are refused (xl/vbaProject.bin present)",
        ),
        (
            lambda p: write_xlsx(p, {"S": f'<worksheet xmlns="{MAIN}"><sheetData>'}),
            "b.xlsx: malformed XML in xl/worksheets/sheet1.xml",
        ),
        (
            lambda p: write_xlsx(p, {"S": BILLION_LAUGHS}),
            "b.xlsx: refused XML in xl/worksheets/sheet1.xml (DTDs and entities are not allowed)",
        ),
        (
            lambda p: write_xlsx(
                p, {"S": sheet_xml(f'<row r="1"><c r="A1"><f>{"1+" * 4100}1</f></c></row>')}
            ),
            "b.xlsx: S!A1: formula longer than 8192 characters",
        ),
        (
            lambda p: write_xlsx(
                p, {"S": sheet_xml('<row r="1"><c r="A1"><f t="shared" si="3"/></c></row>')}
            ),
            "b.xlsx: S!A1: shared formula 3 has no master cell",
        ),
        (
            lambda p: write_xlsx(
                p, {"S": sheet_xml('<row r="1"><c r="A1" t="s"><v>7</v></c></row>')}, strings=[]
            ),
            "b.xlsx: S!A1: bad stored value '7' of type s",
        ),
        (
            lambda p: write_xlsx(p, {"S": sheet_xml('<row r="1"><c r="1A"><v>1</v></c></row>')}),
            "b.xlsx: bad cell address '1A' on sheet S",
        ),
        (
            lambda p: write_xlsx(
                p,
                {"S": sheet_xml("")},
                names='<definedName name="x" localSheetId="4">S!$A$1</definedName>',
            ),
            "b.xlsx: defined name x has a bad localSheetId 4",
        ),
    ],
)
def test_bad_files_are_refused_with_one_line(tmp_path: Path, make, message: str) -> None:
    path = tmp_path / "b.xlsx"
    make(path)
    with pytest.raises(BookError) as info:
        read_book(path)
    assert str(info.value).startswith(f"{tmp_path}/{message}")  # names the path as given
    assert "\n" not in str(info.value)


def test_missing_sheet_part(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "m.xlsx", {"S": sheet_xml("")})
    with zipfile.ZipFile(path) as zf:
        parts = {n: zf.read(n).decode() for n in zf.namelist() if "worksheets" not in n}
    _zip(path, parts)
    with pytest.raises(
        BookError, match=r"m.xlsx: missing part xl/worksheets/sheet1.xml \(sheet S\)"
    ):
        read_book(path)


def test_oversized_parts_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_xlsx(
        tmp_path / "big.xlsx", {"S": sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>')}
    )
    monkeypatch.setattr(package_module, "MAX_PART_BYTES", 100)
    with pytest.raises(BookError, match=r"big.xlsx: part xl/workbook.xml is too large"):
        read_book(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(BookError, match="nope.xlsx: cannot open"):
        read_book(tmp_path / "nope.xlsx")
