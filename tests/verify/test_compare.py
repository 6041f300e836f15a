"""The vectorised comparison judges exactly as ``agree`` does, pair by pair.

``compare`` hands pairs of floats to numpy and only the disagreeing ones back to the scalar
rule; this table holds the corners where the two could part: NaN, infinities, values near
zero (the absolute floor), the relative tolerance at its edge, a numerical gradient's slack,
and values that are not floats at all (errors, text, booleans, integers, blanks).
"""

from __future__ import annotations

import math

import pytest

from worksheet.evaluator import Book, Cell, CellRef, XLError
from worksheet.verify.compare import agree, compare, difference

NAN, INF = math.nan, math.inf
PAIRS = [
    (1.0, 1.0, 0.0),
    (1.0, 1.0 + 1e-9, 0.0),  # at the relative tolerance
    (1.0, 1.0 + 3e-9, 0.0),
    (1e-13, 0.0, 0.0),  # under the absolute floor
    (1e-11, 0.0, 0.0),
    (0.5, 0.5001, 1e-3),  # inside a numerical gradient's slack
    (0.5, 0.6, 1e-3),
    (NAN, NAN, 0.0),
    (1.0, NAN, 0.0),
    (INF, INF, 0.0),
    (INF, -INF, 0.0),
    (-0.0, 0.0, 0.0),
    (1e308, -1e308, 0.0),  # the difference overflows
    (2.0, XLError.DIV0, 0.0),
    (2.0, "2", 0.0),
    (1.0, True, 0.0),
    (3.0, 3, 0.0),
    (3.0, None, 0.0),
]


def _book(pairs) -> tuple[Book, dict, dict]:
    cells, values, expected = {}, {}, {}
    for row, (want, got, slack) in enumerate(pairs, 1):
        ref = CellRef("Step", row, 4)
        cells[ref] = Cell(f"=A{row}", got if isinstance(got, float) else None)
        values[ref] = got
        expected[ref] = (f"q_{row}", want, slack)
    return Book("t.xlsx", ["Step"], cells), values, expected


def test_the_vectorised_verdicts_are_agree_s() -> None:
    book, values, expected = _book(PAIRS)
    report = compare(book, values, expected)
    wrong = {
        str(ref)
        for ref, (_, want, slack) in expected.items()
        if not agree(want, values[ref], slack)
    }
    assert {label for label, m in report.mismatches.items() if m.reason == "differs"} == wrong
    assert len(wrong) == 12 and len(wrong) < len(PAIRS)  # both verdicts exercised
    gaps = [
        difference(want, values[ref])
        for ref, (_, want, slack) in expected.items()
        if str(ref) not in wrong and not slack
    ] + [
        difference(want, values[ref]) for ref, (_, want, _) in expected.items() if str(ref) in wrong
    ]
    assert report.largest_difference == max(g for g in gaps if g is not None and g == g)


@pytest.mark.parametrize("stored", [1.0 + 1e-8, NAN, 1.0])
def test_a_stored_value_is_judged_by_agree_too(stored: float) -> None:
    ref = CellRef("Step", 1, 4)
    book = Book("t.xlsx", ["Step"], {ref: Cell("=A1", stored)})
    report = compare(book, {ref: 1.0}, {ref: ("q", 1.0, 0.0)})
    assert ("Step!D1" in report.mismatches) == (not agree(1.0, stored))
    assert report.cached_compared == 1


@pytest.mark.parametrize("odd", [None, XLError.DIV0, "text"])
def test_a_table_column_is_judged_as_cell_by_cell(odd) -> None:
    """A long table's column is handed to numpy whole when every value is a number, else
    judged cell by cell: both ways give ``agree``'s verdicts, and a stored value is held to
    the computed one either way."""
    from worksheet.verify.expected import Column, Expected

    floats = [(w, g) for w, g, slack in PAIRS if type(w) is float and type(g) is float]
    for got_odd in (False, True):
        cells, values = {}, {}
        for row, (_, got) in enumerate(floats, 1):
            ref = CellRef("Training", row, 4)
            value = odd if got_odd and row == 1 else got
            stored = 2.0 if row == 2 else value  # one stored value wrong
            cells[ref] = Cell(f"=A{row}", stored if type(stored) is float else None)
            values[ref] = value
        expected = Expected()
        expected.add_column(Column("Training", 4, 1, "q", [w for w, _ in floats]))
        report = compare(Book("t.xlsx", ["Training"], cells), values, expected)
        wrong = {
            f"Training!D{row}"
            for row, (want, _) in enumerate(floats, 1)
            if not agree(want, values[CellRef("Training", row, 4)])
        }
        differs = {label for label, m in report.mismatches.items() if m.reason == "differs"}
        assert differs == wrong and len(wrong) >= 5
        stale = {label for label, m in report.mismatches.items() if m.reason != "differs"}
        held = {  # a stored value is judged by agree too: -inf stored for -inf is no agreement
            f"Training!D{row}"
            for row, cell in enumerate(cells.values(), 1)
            if cell.value is not None and not agree(values[CellRef("Training", row, 4)], cell.value)
        }
        assert "Training!D2" in held and stale == held - wrong
        assert report.compared == len(floats)


def test_a_table_cell_under_a_merged_area_is_hidden_whatever_the_area() -> None:
    """A table column is tried against each merged area by its rows (a column of 10,000
    rows is not listed cell by cell): the cells under an area but not its top-left one."""
    from worksheet.verify.conformance import covered_faults
    from worksheet.verify.expected import Column, Expected

    expected = Expected()
    expected.add_column(Column("Training", 3, 5, "w_1", [0.1] * 10, end=(16, 0.2)))
    book = Book("t.xlsx", ["Training"], {})
    book.merged["Training"] = [(7, 2, 8, 3), (1, 1, 1_048_576, 1), (16, 3, 16, 5)]
    assert set(covered_faults(book, expected)) == {"Training!C7", "Training!C8"}
    book.merged["Training"] = [(6, 3, 1_048_576, 16_384)]  # from C6 over the whole rest
    hidden = set(covered_faults(book, expected))
    assert hidden == {f"Training!C{row}" for row in (*range(7, 15), 16)}
