"""The parser: Excel's precedence as tree shapes, references as offsets, and refused syntax."""

from __future__ import annotations

import pytest

from worksheet.errors import FormulaError
from worksheet.evaluator.nodes import (
    Binary,
    Bool,
    Call,
    CellNode,
    Error,
    Missing,
    NameNode,
    Number,
    Percent,
    RangeNode,
    Text,
    Unary,
)
from worksheet.evaluator.parser import parse
from worksheet.evaluator.tokens import split_sheet
from worksheet.evaluator.values import XLError


def n(x: float) -> Number:
    return Number(float(x))


def cell(row: int, col: int, sheet: str | None = None, absolute: bool = False) -> CellNode:
    return CellNode(sheet, row, col, absolute, absolute)


@pytest.mark.parametrize(
    ("text", "tree"),
    [
        ("=-2^2", Binary("^", Unary("-", n(2)), n(2))),
        ("=2^3^2", Binary("^", Binary("^", n(2), n(3)), n(2))),
        ("=2^-1", Binary("^", n(2), Unary("-", n(1)))),
        ("=1+2*3", Binary("+", n(1), Binary("*", n(2), n(3)))),
        ("=1-2-3", Binary("-", Binary("-", n(1), n(2)), n(3))),
        ("=10%", Percent(n(10))),
        ("=2^10%", Binary("^", n(2), Percent(n(10)))),
        ("=1&2=3", Binary("=", Binary("&", n(1), n(2)), n(3))),
        ("=1<>2", Binary("<>", n(1), n(2))),
        ("=-(1+2)", Unary("-", Binary("+", n(1), n(2)))),
        ('="a""b"', Text('a"b')),
        ("=TRUE", Bool(True)),
        ("=#N/A", Error(XLError.NA)),
        ("=IF(A1,,1)", Call("IF", (cell(0, 0), Missing(), n(1)))),
        ("=SUM()", Call("SUM", ())),
        ("=f(1,)", Call("F", (n(1), Missing()))),
        ("=w_1*x_1", Binary("*", NameNode(None, "W_1"), NameNode(None, "X_1"))),
        ("=Givens!eta", NameNode("Givens", "ETA")),
        ("=XFE1", NameNode(None, "XFE1")),  # past the last column: a name, not a cell
        ("=LOG10(B2)", Call("LOG10", (cell(1, 1),))),
    ],
)
def test_trees(text: str, tree: object) -> None:
    # The host is A1, so B2 is one row down and one column right.
    assert parse(text, 1, 1)[0] == tree


@pytest.mark.parametrize(
    ("text", "tree", "refs"),
    [
        ("=B3", cell(-2, -2), [(-2, -2, False, False)]),  # from D5: two up, two left
        ("=$B$3", cell(3, 2, absolute=True), [(3, 2, True, True)]),
        ("=B$3", CellNode(None, 3, -2, True, False), [(3, -2, True, False)]),
        (
            "='My ''data'''!$A$1:B6",
            RangeNode("My 'data'", cell(1, 1, absolute=True), cell(1, -2)),
            [(1, 1, True, True), (1, -2, False, False)],
        ),
        ("=Data!D5", cell(0, 0, sheet="Data"), [(0, 0, False, False)]),
        ("=#REF!+Data!#REF!", Binary("+", Error(XLError.REF), Error(XLError.REF)), []),
    ],
)
def test_references_are_offsets_from_the_host(text: str, tree: object, refs: list) -> None:
    assert parse(text, 5, 4) == (tree, refs)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A1", (None, "A1")),
        ("Sheet1!A1:B2", ("Sheet1", "A1:B2")),
        ("'My sheet'!$A$1", ("My sheet", "$A$1")),
        ("'It''s'!A1", ("It's", "A1")),
        ("'a!b'!C3", ("a!b", "C3")),
    ],
)
def test_split_sheet(text: str, expected: tuple) -> None:
    assert split_sheet(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("=", "X!A1: empty formula"),
        ("=1+", "X!A1: bad formula syntax (formula ends too early)"),
        ("=1 2", "X!A1: the intersection operator (space) is not supported"),
        ("=(1", "X!A1: bad formula syntax (formula ends too early)"),
        ("=#BOGUS!", "X!A1: bad formula syntax"),
        ("=SUM(1;2)", "X!A1: bad formula syntax"),
        ("=Table1[Col]", "X!A1: unsupported reference Table1[Col]"),
        ("=A1:B", "X!A1: unsupported reference A1:B"),
    ],
)
def test_syntax_errors_name_the_cell(text: str, message: str) -> None:
    with pytest.raises(FormulaError) as info:
        parse(text, 1, 1, "X!A1")
    assert str(info.value).startswith(message)


def test_spaces_around_operators_are_allowed() -> None:
    assert parse("= 1 + 2 * ( 3 ) ", 1, 1)[0] == Binary("+", n(1), Binary("*", n(2), n(3)))
