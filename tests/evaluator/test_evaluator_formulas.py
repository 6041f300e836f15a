"""Formulas evaluated from a saved file: Excel's precedence, coercions, errors and functions.

One workbook holds every formula of a table (written once per module), so each row of a table
is one cell; the expected values are Excel's (and LibreOffice's where they agree).
"""

from __future__ import annotations

import math

import openpyxl
import pytest
from openpyxl.workbook.defined_name import DefinedName

from worksheet.evaluator import CellRef, XLError, evaluate, read_book

DIV0, NUM, VALUE, NAME, NA = XLError.DIV0, XLError.NUM, XLError.VALUE, XLError.NAME, XLError.NA

PRECEDENCE = [
    ("=-2^2", 4.0),  # unary minus binds tighter than ^
    ("=-(2^2)", -4.0),
    ("=2^3^2", 64.0),  # ^ is left-associative: (2^3)^2
    ("=2^-1", 0.5),
    ("=1+2*3", 7.0),
    ("=(1+2)*3", 9.0),
    ("=10%", 0.1),
    ("=2^200%", 4.0),  # % before ^: 2^(2)
    ("=50%*4", 2.0),
    ("=2*-1", -2.0),
    ("=1- -2", 3.0),
    ("=+3", 3.0),
    ("=--3", 3.0),
    ("=8/2/2", 2.0),
    ("=1-2-3", -4.0),
    ("=1+2&3", "33"),  # & below +
    ("=1+2=3", True),  # comparison lowest
    ("=1<2=TRUE", True),
    ("=3-1>1", True),
]

VALUES = [
    ('="a"&1', "a1"),
    ('="a""b"', 'a"b'),
    ('="x"&0.1', "x0.1"),
    ('=1/3&""', "0.333333333333333"),  # 15 significant digits, as General
    ('=2/1&""', "2"),
    ('=TRUE&"!"', "TRUE!"),
    ('="2"+1', 3.0),  # numeric text is coerced in arithmetic
    ('=" 2 "*2', 4.0),
    ('="50%"*2', 1.0),
    ('="a"+1', VALUE),
    ("=TRUE+TRUE", 2.0),
    ("=Data!A9+1", 1.0),  # blank cell is 0 in arithmetic
    ('=Data!A9&"x"', "x"),  # and "" in &
    ("=Data!A9", 0.0),  # a formula showing a blank cell shows 0
    ("=Data!A9=0", True),
    ('=Data!A9=""', True),
    ('="a"="A"', True),  # text compares case-insensitively
    ('="b">"a"', True),
    ('=1<"a"', True),  # numbers < text < booleans
    ('="z"<TRUE', True),
    ('=1="1"', False),
    ("=TRUE>1", True),
    ("=1/0", DIV0),
    ("=1/0+Data!A2", DIV0),
    ('="a"+1/0', DIV0),  # an error operand wins over a failed coercion
    ('="a"+NA()', NA),
    ("=(1/0)+#N/A", DIV0),
    ("=#N/A+(1/0)", NA),
    ("=#REF!", XLError.REF),
    ("=0^0", NUM),
    ("=0^-1", DIV0),
    ("=(-8)^(1/3)", -2.0),  # odd roots of negatives exist
    ("=(-32)^0.2", -2.0),
    ("=(-8)^(2/3)", NUM),
    ("=(-8)^0.5", NUM),
    ("=(-2)^3", -8.0),
    ("=10^400", NUM),
    ("=1E308*10", NUM),
    ("=-Data!A4", -2.0),
    ('=-"x"', VALUE),
    ("=Data!A1:A3", VALUE),  # a range where one value is needed
    ("=Data!A2", 1.0),
    ("=Data!$A$2", 1.0),
    ("='My data'!B2", 10.0),
    ("=Data!A5", "text"),
    ("=Data!A6", True),
    ("=Data!A7", DIV0),
    ("=Data!A8", "=w_1"),  # text that looks like a formula stays text
    ("=unknown_name+1", NAME),
    ("=data!A2", 1.0),  # sheet names are case-insensitive
    ("=0.1+0.2=0.3", True),  # numbers compare to about 15 significant digits
    ("=0.3<0.1+0.2", False),
    ("=0.1+0.2-0.3", 0.0),  # a last + or - that only leaves rounding noise gives 0...
    ("=1*(0.5-0.4-0.1)", -2.7755575615628914e-17),  # ...but not an inner one (Excel's rule)
]

FUNCTIONS = [
    ("=SUM(1,2,3)", 6.0),
    ("=SUM(Data!A1:A6)", 3.0),  # text and booleans in ranges are skipped
    ("=SUM(Data!A5,1)", 1.0),  # a single-cell reference is a range too
    ('=SUM("2",TRUE,1)', 4.0),  # typed arguments are coerced
    ('=SUM("x",1)', VALUE),
    ("=SUM(Data!A1:A7)", DIV0),  # errors in ranges propagate
    ("=SUM(Data!A1:B2)", 31.0),
    ("=PRODUCT(2,3)", 6.0),
    ("=PRODUCT(Data!A5:A6)", 0.0),  # nothing numeric: 0, not 1
    ("=AVERAGE(Data!A1:A6)", 1.5),
    ("=AVERAGE(Data!A5:A6)", DIV0),
    ("=MIN(Data!A1:A6)", 1.0),  # blanks are skipped, not 0
    ("=MAX(Data!A1:A6)", 2.0),
    ("=MAX(Data!A5:A6)", 0.0),
    ("=COUNT(Data!A1:A8)", 2.0),  # errors are not counted, nor propagated
    ('=COUNT(1,"2","x",TRUE)', 3.0),
    ("=ABS(-2)", 2.0),
    ("=EXP(1)", math.e),
    ("=EXP(709)", math.exp(709)),
    ("=EXP(710)", NUM),
    ("=LN(0)", NUM),
    ("=LN(-1)", NUM),
    ("=LN(EXP(2))", 2.0),
    ("=LOG10(1000)", 3.0),
    ("=LOG10(0)", NUM),
    ("=LOG(8,2)", 3.0),
    ("=LOG(100)", 2.0),
    ("=LOG(8,1)", DIV0),
    ("=SQRT(16)", 4.0),
    ("=SQRT(-1)", NUM),
    ("=POWER(2,10)", 1024.0),
    ("=POWER(0,0)", NUM),
    ("=ROUND(2.5,0)", 3.0),  # halves go away from zero
    ("=ROUND(-2.5,0)", -3.0),
    ("=ROUND(0.125,2)", 0.13),
    ("=ROUND(1.005,2)", 1.01),  # 1.005 is 1.00499999... in binary; Excel still gives 1.01
    ("=ROUND(2.675,2)", 2.68),
    ("=ROUND(1234.5678,-2)", 1200.0),
    ("=ROUND(-0.5,0)", -1.0),
    ("=ROUND(1.23456,3.9)", 1.235),  # digits are truncated
    ("=ROUNDUP(1.21,1)", 1.3),
    ("=ROUNDUP(-1.21,1)", -1.3),
    ("=ROUNDDOWN(1.29,1)", 1.2),
    ("=ROUNDDOWN(-1.29,1)", -1.2),
    ("=ROUND(123,10)", 123.0),
    ("=TANH(0)", 0.0),
    ("=TANH(1)", math.tanh(1)),
    ("=SIGN(-3)", -1.0),
    ("=SIGN(0)", 0.0),
    ("=MOD(7,3)", 1.0),
    ("=MOD(-7,3)", 2.0),  # the sign of the divisor
    ("=MOD(7,-3)", -2.0),
    ("=MOD(1,0)", DIV0),
    ("=INT(-2.5)", -3.0),
    ("=INT(2.9)", 2.0),
    ("=PI()", math.pi),
    ('=IF(1>0,"yes","no")', "yes"),
    ('=IF(0,"yes")', False),
    ("=IF(TRUE,1,1/0)", 1.0),  # only the chosen branch is evaluated
    ("=IF(FALSE,1/0,2)", 2.0),
    ("=IF(1/0,1,2)", DIV0),
    ('=IF("x",1,2)', VALUE),
    ("=IF(TRUE,,1)", 0.0),  # an empty branch shows 0
    ("=AND(TRUE,1)", True),
    ("=AND(TRUE,0)", False),
    ("=AND(Data!A5:A6)", True),  # text skipped in ranges
    ("=AND(Data!A9)", VALUE),  # nothing logical at all
    ("=OR(FALSE,0,1)", True),
    ("=OR(1/0,TRUE)", DIV0),
    ("=NOT(0)", True),
    ('=NOT("x")', VALUE),
    ("=ISERROR(1/0)", True),
    ("=ISERROR(1)", False),
    ("=ISERROR(Data!A7)", True),
    ("=IFERROR(1/0,7)", 7.0),
    ("=IFERROR(3,1/0)", 3.0),
    ("=ISNA(NA())", True),
    ("=ISNUMBER(Data!A2)", True),
    ("=ISNUMBER(Data!A5)", False),
    ("=SUMSQ(Data!A1:A3)", 1.0),
    ("=SUMPRODUCT(Data!A1:A3,Data!B1:B3)", 20.0),  # blank*10 + 1*20 + blank*blank
    ("=SUMPRODUCT(Data!A1:A3,Data!B1:B2)", VALUE),
    ("=sum(1,2)", 3.0),  # function names are case-insensitive
]


def _data_sheets(wb: openpyxl.Workbook) -> None:
    """Data!A1:A9 is blank, 1, blank, 2, "text", TRUE, =1/0, "=w_1" (text), blank;
    Data!B1:B2 is 10, 20; 'My data'!B2 is 10.
    """
    data = wb.create_sheet("Data")
    data["A2"], data["A4"], data["A5"], data["A6"] = 1, 2, "text", True
    data["A7"] = "=1/0"
    data["A8"] = "=w_1"
    data["A8"].data_type = "s"
    data["B1"], data["B2"] = 10, 20
    wb.create_sheet("My data")["B2"] = 10


TABLES = {"precedence": PRECEDENCE, "values": VALUES, "functions": FUNCTIONS}


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, int], object]:
    """Every table formula in one saved workbook, evaluated once: (table, row) -> value."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    _data_sheets(wb)
    for table, rows in TABLES.items():
        ws = wb.create_sheet(table)
        for i, (formula, _) in enumerate(rows, start=1):
            ws.cell(i, 1, formula)
    path = tmp_path_factory.mktemp("formulas") / "formulas.xlsx"
    wb.save(path)
    values = evaluate(read_book(path))
    return {(ref.sheet, ref.row): v for ref, v in values.items() if ref.col == 1}


def _check(got: object, expected: object) -> None:
    if isinstance(expected, float) and not isinstance(expected, bool):
        assert type(got) is float and got == pytest.approx(expected, rel=1e-15, abs=0)
    else:
        assert type(got) is type(expected) and got == expected


@pytest.mark.parametrize(
    ("i", "formula", "expected"), [(i, f, e) for i, (f, e) in enumerate(PRECEDENCE, 1)]
)
def test_precedence(results, i: int, formula: str, expected: object) -> None:
    _check(results[("precedence", i)], expected)


@pytest.mark.parametrize(
    ("i", "formula", "expected"), [(i, f, e) for i, (f, e) in enumerate(VALUES, 1)]
)
def test_values_and_coercion(results, i: int, formula: str, expected: object) -> None:
    _check(results[("values", i)], expected)


@pytest.mark.parametrize(
    ("i", "formula", "expected"), [(i, f, e) for i, (f, e) in enumerate(FUNCTIONS, 1)]
)
def test_functions(results, i: int, formula: str, expected: object) -> None:
    _check(results[("functions", i)], expected)


def _names_book(path) -> None:
    """Givens!C4 = 0.5 named eta for the book; on sheet Local, eta is shadowed by Givens!C5."""
    wb = openpyxl.Workbook()
    step = wb.active
    step.title = "Step"
    givens = wb.create_sheet("Givens")
    local = wb.create_sheet("Local")
    givens["C4"], givens["C5"], givens["C6"], givens["C7"] = 0.5, 0.25, 3, 4
    wb.defined_names["eta"] = DefinedName("eta", attr_text="Givens!$C$4")
    wb.defined_names["pair"] = DefinedName("pair", attr_text="Givens!$C$6:$C$7")
    wb.defined_names["half"] = DefinedName("half", attr_text="0.5")
    local.defined_names["eta"] = DefinedName("eta", attr_text="Givens!$C$5")
    step["A1"], step["A2"], step["A3"] = "=eta*2", "=SUM(pair)", "=ETA+half"
    step["A4"] = "=Local!eta"  # a sheet-qualified name reaches the sheet's own
    local["A1"], local["A2"] = "=eta*2", "=SUM(pair)*eta"
    wb.save(path)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (("Step", 1, 1), 1.0),  # workbook-scoped eta = 0.5
        (("Step", 2, 1), 7.0),  # a name for a range
        (("Step", 3, 1), 1.0),  # names are case-insensitive; a name for a constant
        (("Step", 4, 1), 0.25),
        (("Local", 1, 1), 0.5),  # the sheet-scoped eta = 0.25 shadows the book's on its sheet
        (("Local", 2, 1), 1.75),
    ],
)
def test_defined_names(tmp_path, cell: tuple[str, int, int], expected: float) -> None:
    path = tmp_path / "names.xlsx"
    _names_book(path)
    book = read_book(path)
    assert evaluate(book)[CellRef(*cell)] == expected
    assert book.name_ref("ETA") == CellRef("Givens", 4, 3)
    assert book.name_ref("eta", "Local") == CellRef("Givens", 5, 3)
    assert book.name_ref("pair") is None and book.name_ref("half") is None
    assert book.name_ref("nope") is None


def test_relative_references_follow_the_copy(tmp_path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "S"
    for r in range(1, 6):
        ws.cell(r, 1, r)
        ws.cell(r, 2, f"=A{r}*$A$1+A$5")  # relative, absolute, mixed
    wb.save(tmp_path / "rel.xlsx")
    values = evaluate(read_book(tmp_path / "rel.xlsx"))
    assert [values[CellRef("S", r, 2)] for r in range(1, 6)] == [r * 1.0 + 5 for r in range(1, 6)]
