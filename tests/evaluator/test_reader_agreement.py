"""The reader reads what spreadsheet applications read, and refuses what they could read
differently; every part is bounded while it streams.

Where LibreOffice's reading was in doubt it was checked by converting the file to CSV with
``soffice --headless --convert-to csv``: a repeated cell or ``<v>`` keeps the last, a shared
formula's second master is ignored, a follower's own text is ignored, a master without
``ref`` gives nothing, a cell without ``r`` after one whose ``r`` strays from its row goes on
the row, ``<v>true</v>`` of a boolean is FALSE. Each of those is refused here. The hostile
versions, built from a generated workbook and run through the CLI, are in
tests/verify/test_hostile.py.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from test_evaluator_xlsx import MAIN, sheet_xml, write_xlsx

from worksheet.errors import BookError
from worksheet.evaluator import Cell, CellRef, read_book, xmlstream
from worksheet.evaluator import package as package_module


def one_row(cells: str) -> dict[str, str]:
    return {"S": sheet_xml(f'<row r="1">{cells}</row>')}


def refusal(path: Path) -> str:
    with pytest.raises(BookError) as info:
        read_book(path)
    message = str(info.value)
    assert "\n" not in message
    return message.removeprefix(f"{path}: ")


@pytest.mark.parametrize(
    ("sheets", "names", "message"),
    [
        (one_row('<c r="A1"><v>1</v></c><c r="A1"><v>2</v></c>'), "", "S!A1: a cell repeated"),
        (one_row('<c r="B1"><v>1</v></c><c r="A1"><v>2</v></c>'), "", "S!A1: a cell repeated"),
        (one_row('<c r="A2"><v>1</v></c>'), "", "S!A2: a cell of row 2 inside row 1"),
        (one_row('<c r="a1"><v>1</v></c>'), "", "bad cell address 'a1' on sheet S"),
        (one_row('<c r="A01"><v>1</v></c>'), "", "bad cell address 'A01' on sheet S"),
        (one_row('<c r="A1"><v>1</v><v>2</v></c>'), "", "S!A1: more than one <v> in one cell"),
        (one_row("<x><c><v>1</v></x>"), "", "sheet S: unexpected <x> in its cells"),
        (one_row('<c r="A1"><x/></c>'), "", "sheet S: <x> outside its place in the cells"),
        (one_row('<c r="A1" t="b"><v>true</v></c>'), "", "S!A1: bad stored value 'true'"),
        (one_row('<c r="A1"><v>infinity</v></c>'), "", "S!A1: bad stored value 'infinity'"),
        (one_row('<c r="A1" t="s"><v>1_0</v></c>'), "", "S!A1: bad stored value '1_0'"),
        (one_row('<c r="A1" t="x"><v>1</v></c>'), "", "S!A1: cell type 'x' is not supported"),
        (
            one_row('<c r="A1" t="str"><is><t>a</t></is></c>'),
            "",
            "S!A1: inline text (<is>) with a <v> or in a cell of type str",
        ),
        (
            one_row('<c r="A1" t="inlineStr"><is><t>a</t></is><v>b</v></c>'),
            "",
            "S!A1: inline text (<is>) with a <v> or in a cell of type inlineStr",
        ),
        (
            one_row('<c r="A1"><f t="shared" si="0">1</f></c><c r="B1"><f t="shared" si="0"/></c>'),
            "",
            "S!A1: shared formula 0 without a range starting at its cell",
        ),
        (
            one_row(
                '<c r="A1"><f t="shared" si="0" ref="A1:B1">1</f></c>'
                '<c r="C1"><f t="shared" si="0"/></c>'
            ),
            "",
            "S!C1: shared formula 0 used outside its range",
        ),
        (
            {"S": sheet_xml('<row r="2"><c r="A2"><v>1</v></c></row><row r="1"></row>')},
            "",
            "sheet S: row 1 after row 2",
        ),
        (
            {
                "S": sheet_xml("").replace(
                    "</worksheet>", '<extLst><c r="A1"><v>1</v></c></extLst></worksheet>'
                )
            },
            "",
            "sheet S: <c> outside its place in the cells",
        ),
        (
            {"S": sheet_xml(""), "s": sheet_xml("")},
            "",
            "sheet s repeats a sheet name or part",
        ),
        (
            {"S": sheet_xml("")},
            '<definedName name="eta">S!$A$1</definedName>'
            '<definedName name="ETA">S!$A$2</definedName>',
            "defined name ETA is defined twice in the workbook",
        ),
        (
            {"S": sheet_xml("")},
            '<definedName name="eta" localSheetId="0">S!$A$1</definedName>'
            '<definedName name="Eta" localSheetId="0">S!$A$2</definedName>',
            "defined name Eta is defined twice on sheet S",
        ),
        (
            {"S": sheet_xml("")},
            '<definedName name="R1C1">1</definedName>',
            "bad defined name 'R1C1'",
        ),
        ({"S": sheet_xml("")}, '<definedName name="a b">1</definedName>', "bad defined name 'a b'"),
        ({"a:b": sheet_xml("")}, "", "bad sheet name 'a:b'"),
        ({"'quoted'": sheet_xml("")}, "", "bad sheet name ''quoted''"),
    ],
)
def test_what_applications_could_read_differently_is_refused(
    tmp_path: Path, sheets: dict[str, str], names: str, message: str
) -> None:
    path = write_xlsx(tmp_path / "w.xlsx", sheets, names=names)
    assert refusal(path).startswith(message)


def test_names_before_sheets_are_refused(tmp_path: Path) -> None:
    """A name's localSheetId counts sheets: a reader streaming the part has none yet."""
    path = write_xlsx(
        tmp_path / "w.xlsx", {"S": sheet_xml("")}, names='<definedName name="a">1</definedName>'
    )
    with zipfile.ZipFile(path) as zf:
        parts = {name: zf.read(name) for name in zf.namelist()}
    book = parts["xl/workbook.xml"].decode()
    sheets = book[book.index("<sheets>") : book.index("</sheets>") + len("</sheets>")]
    parts["xl/workbook.xml"] = (
        book.replace(sheets, "").replace("</workbook>", sheets + "</workbook>").encode()
    )
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    assert refusal(path) == "xl/workbook.xml: <definedNames> before <sheets>"


def test_print_titles_repeated_by_libreoffice_are_not_read(tmp_path: Path) -> None:
    """LibreOffice writes ``_xlnm.Print_Titles`` twice for a sheet with row and column titles."""
    names = (
        '<definedName name="_xlnm.Print_Titles" localSheetId="0">S!$A:$B,S!$2:$3</definedName>'
        '<definedName name="_xlnm.Print_Titles" localSheetId="0">S!$2:$3,S!$A:$B</definedName>'
    )
    book = read_book(write_xlsx(tmp_path / "w.xlsx", {"S": sheet_xml("")}, names=names))
    assert book.names == {}


def test_zip_entries_differing_in_case_are_refused(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "w.xlsx", one_row('<c r="A1"><v>1</v></c>'))
    with zipfile.ZipFile(path, "a") as zf:
        zf.writestr(
            "XL/Worksheets/Sheet1.xml", sheet_xml('<row r="1"><c r="A1"><v>2</v></c></row>')
        )
    assert refusal(path) == (
        "zip entries xl/worksheets/sheet1.xml and XL/Worksheets/Sheet1.xml differ only in case"
    )


def test_hidden_and_very_hidden_sheets(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "w.xlsx", {"A": sheet_xml(""), "B": sheet_xml(""), "C": sheet_xml("")}
    )
    with zipfile.ZipFile(path) as zf:
        parts = {name: zf.read(name) for name in zf.namelist()}
    parts["xl/workbook.xml"] = (
        parts["xl/workbook.xml"]
        .replace(b'name="B"', b'name="B" state="hidden"')
        .replace(b'name="C"', b'name="C" state="veryHidden"')
    )
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    book = read_book(path)
    assert (book.sheet_names, book.hidden) == (["A", "B", "C"], frozenset({"B", "C"}))
    assert read_book(write_xlsx(tmp_path / "v.xlsx", {"A": sheet_xml("")})).hidden == frozenset()


@pytest.mark.parametrize(
    ("cell_xml", "expected"),
    [
        ('<c r="A1"><v> 12 </v></c>', Cell(None, 12.0)),  # LibreOffice reads 12 too
        ('<c r="A1"><v>-.5E+2</v></c>', Cell(None, -50.0)),
        ('<c r="A1" t="b"><v>0</v></c>', Cell(None, False)),
        ('<c r="A1" t="inlineStr"><is><t>_xD83D__xDE00_</t></is></c>', Cell(None, "\U0001f600")),
        ('<c r="A1" t="inlineStr"><is><t>_x005F_x0041_</t></is></c>', Cell(None, "_x0041_")),
        ('<c r="A1"><f>1+1</f><extLst><c r="B1"><v>1</v></c></extLst></c>', None),
    ],
)
def test_values_as_applications_write_them(
    tmp_path: Path, cell_xml: str, expected: Cell | None
) -> None:
    path = write_xlsx(tmp_path / "w.xlsx", one_row(cell_xml))
    if expected is None:
        assert refusal(path) == "sheet S: <c> outside its place in the cells"
    else:
        assert read_book(path).cells == {CellRef("S", 1, 1): expected}


def test_strict_and_prefixed_namespaces_read_alike(tmp_path: Path) -> None:
    strict = "http://purl.oclc.org/ooxml/spreadsheetml/main"
    xml = sheet_xml('<row r="1"><c r="A1"><v>2</v></c></row>').replace(MAIN, strict)
    assert read_book(write_xlsx(tmp_path / "s.xlsx", {"S": xml})).cells == {
        CellRef("S", 1, 1): Cell(None, 2.0)
    }


def test_nesting_is_bounded_in_every_part(tmp_path: Path) -> None:
    deep = "<a>" * 70 + "</a>" * 70
    ok = "<a>" * 60 + "</a>" * 60
    path = write_xlsx(
        tmp_path / "ok.xlsx", {"S": sheet_xml("").replace("<sheetData>", ok + "<sheetData>")}
    )
    assert read_book(path).cells == {}
    path = write_xlsx(
        tmp_path / "deep.xlsx", {"S": sheet_xml("").replace("<sheetData>", deep + "<sheetData>")}
    )
    assert (
        refusal(path)
        == "refused XML in xl/worksheets/sheet1.xml (elements nested more than 64 deep)"
    )


def test_elements_are_counted_across_parts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rows = "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>' for r in range(1, 11))
    path = write_xlsx(tmp_path / "w.xlsx", {"S": sheet_xml(rows), "T": sheet_xml(rows)})
    assert len(read_book(path).cells) == 20  # 2 x 31 elements in the sheets, a few elsewhere
    monkeypatch.setattr(package_module, "MAX_ELEMENTS", 60)
    monkeypatch.setattr(xmlstream, "MAX_ELEMENTS", 60)
    assert refusal(path).endswith("(more than 60 XML elements in the workbook's parts)")


def test_running_out_of_memory_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def exhausted(*_: object) -> None:
        raise MemoryError

    monkeypatch.setattr(xmlstream, "parse", exhausted)
    path = write_xlsx(tmp_path / "w.xlsx", {"S": sheet_xml("")})
    assert refusal(path) == "out of memory reading xl/workbook.xml"


@pytest.mark.parametrize("encoding", ["ISO-8859-1", "shift_jis", "utf-32", "x-nonsense"])
def test_only_utf8_and_utf16_are_read(tmp_path: Path, encoding: str) -> None:
    xml = sheet_xml("").replace(
        '<?xml version="1.0"?>', f'<?xml version="1.0" encoding="{encoding}"?>'
    )
    path = write_xlsx(tmp_path / "w.xlsx", {"S": xml})
    assert refusal(path) == (
        f"refused XML in xl/worksheets/sheet1.xml (unsupported encoding '{encoding}')"
    )


def test_utf16_parts_are_read(tmp_path: Path) -> None:
    xml = sheet_xml('<row r="1"><c r="A1" t="inlineStr"><is><t>\u00e9t\u00e9</t></is></c></row>')
    xml = xml.replace('<?xml version="1.0"?>', '<?xml version="1.0" encoding="UTF-16"?>')
    path = write_xlsx(tmp_path / "w.xlsx", {"S": "S"})
    with zipfile.ZipFile(path) as zf:
        parts = {name: zf.read(name) for name in zf.namelist()}
    parts["xl/worksheets/sheet1.xml"] = xml.encode("utf-16")
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    assert read_book(path).cells == {CellRef("S", 1, 1): Cell(None, "\u00e9t\u00e9")}


@pytest.mark.libreoffice
def test_a_workbook_resaved_by_libreoffice_reads_alike(tmp_path: Path) -> None:
    """LibreOffice rewrites every part (shared strings instead of inline text, its own
    attributes, print titles twice): the reader must see the same sheets, formulas and names,
    with a hidden sheet still hidden."""
    from worksheet.export.libreoffice import convert
    from worksheet.model.template import load_template, resolve
    from worksheet.render.generate import generate

    ours = tmp_path / "ours" / "w.xlsx"
    ours.parent.mkdir()
    generate(resolve(load_template("classic")).spec, ours)
    with zipfile.ZipFile(ours) as zf:
        parts = {name: zf.read(name) for name in zf.namelist()}
    parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(
        b'name="Network" sheetId="3" state="visible"', b'name="Network" sheetId="3" state="hidden"'
    )
    with zipfile.ZipFile(ours, "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    theirs = convert(ours, tmp_path / "lo")
    a, b = read_book(ours), read_book(theirs)
    assert a.hidden == b.hidden == frozenset({"Network"})
    assert (a.sheet_names, a.names) == (b.sheet_names, b.names)
    formulas = [{ref: c.formula for ref, c in book.cells.items() if c.formula} for book in (a, b)]
    assert formulas[0] == formulas[1] and len(formulas[0]) > 100
    # LibreOffice writes its own styles (GENERAL as a custom format, black as FF000000),
    # rows and columns with hidden="false", calcPr with iterate="false": all read alike
    assert {s: sorted(m) for s, m in a.merged.items()} == {
        s: sorted(m) for s, m in b.merged.items()
    }
    assert a.merged["Step"]
