"""Whole-workbook evaluation: order, cycles, refusals, long chains and copies of one formula.

Most books here are built in memory (a ``Book`` is plain data), which keeps the tests fast;
the file round trip is covered by the other evaluator tests.
"""

from __future__ import annotations

import time

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from worksheet.errors import FormulaError
from worksheet.evaluator import Book, Cell, CellRef, XLError, evaluate, read_book
from worksheet.evaluator.a1 import parse_cell
from worksheet.evaluator.compiler import Compiler
from worksheet.evaluator.plans import Plans


def book_of(cells: dict[str, object], names: dict | None = None, sheets=("Step",)) -> Book:
    """A Book from {"Sheet!A1" or "A1": formula text or constant}."""
    book = Book(path="mem.xlsx", sheet_names=list(sheets), names=names or {})
    for address, content in cells.items():
        sheet, _, cell = address.rpartition("!")
        row, col, _, _ = parse_cell(cell)
        is_formula = isinstance(content, str) and content.startswith("=")
        book.cells[CellRef(sheet or sheets[0], row, col)] = (
            Cell(content, None) if is_formula else Cell(None, content)
        )
    return book


def value(book: Book, address: str) -> object:
    sheet, _, cell = address.rpartition("!")
    row, col, _, _ = parse_cell(cell)
    return evaluate(book)[CellRef(sheet or book.sheet_names[0], row, col)]


def test_cells_are_evaluated_after_their_inputs_whatever_the_order() -> None:
    book = book_of(
        {"A1": "=A2+1", "A2": "=A3*2", "A3": "=Other!B1", "Other!B1": 5.0}, sheets=("Step", "Other")
    )
    assert evaluate(book) == {
        CellRef("Step", 1, 1): 11.0,
        CellRef("Step", 2, 1): 10.0,
        CellRef("Step", 3, 1): 5.0,
    }


def test_ranges_wait_for_the_formulas_inside_them() -> None:
    book = book_of({"B1": "=SUM(A1:A3)", "A1": "=1", "A2": "=A1+1", "A3": "=A2+1"})
    assert value(book, "B1") == 6.0


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ({"D5": "=D6+1", "D6": "=D5*2"}, "circular reference: Step!D5 -> Step!D6 -> Step!D5"),
        ({"A1": "=A1+1"}, "circular reference: Step!A1 -> Step!A1"),
        ({"A1": "=SUM(A1:A3)"}, "circular reference: Step!A1 -> Step!A1"),
        (
            {f"A{r}": f"=A{r + 1}" for r in range(1, 20)} | {"A20": "=A1"},
            "circular reference: Step!A1 -> Step!A2 -> Step!A3 -> Step!A4 -> Step!A5 -> ... "
            "-> Step!A1",
        ),
    ],
)
def test_circular_references_are_named(cells: dict, message: str) -> None:
    with pytest.raises(FormulaError) as info:
        evaluate(book_of(cells))
    assert str(info.value) == message


@pytest.mark.parametrize(
    ("formula", "message"),
    [
        ('=INDIRECT("A1")', "Step!D12: unsupported function INDIRECT"),
        ("=OFFSET(A1,1,1)", "Step!D12: unsupported function OFFSET"),
        ("=RAND()", "Step!D12: unsupported function RAND"),
        ("=NOW()", "Step!D12: unsupported function NOW"),
        ('=1+WEBSERVICE("http://x")', "Step!D12: unsupported function WEBSERVICE"),
        ("=IF(TRUE,1,CALL(1))", "Step!D12: unsupported function CALL"),  # even untaken
        ("=_xlfn.STDEV.S(A1:A2)", "Step!D12: unsupported function _XLFN.STDEV.S"),
        ("=[1]Sheet1!A1", "Step!D12: reference to another workbook [1]Sheet1!A1"),
        ("='[other.xlsx]Sheet1'!A1", "Step!D12: reference to another workbook"),
        ("=Nowhere!A1", "Step!D12: reference to missing sheet Nowhere"),
        ("=SUM(Nowhere!A1:A2)", "Step!D12: reference to missing sheet Nowhere"),
        ("=Sheet1:Sheet2!A1", "Step!D12: 3-D references are not supported"),
        ("=SUM(A:A)", "Step!D12: unsupported reference A:A"),
        ("=A1 B1", "Step!D12: the intersection operator (space) is not supported"),
        ("={1,2}", "Step!D12: array constants are not supported"),
        ("=1+", "Step!D12: bad formula syntax"),
        ("=(1+2", "Step!D12: bad formula syntax"),
        ("=1+2)", "Step!D12: bad formula syntax"),
        ("=ROUND(1)", "Step!D12: ROUND takes 2 arguments, got 1"),
        ("=PI(1)", "Step!D12: PI takes 0 arguments, got 1"),
        ("=IF()", "Step!D12: IF takes 2 to 3 arguments, got 0"),
        ("=rel*2", "Step!D12: defined name REL uses a relative reference (Step!A1)"),
        ("=loop", "Step!D12: defined name LOOP refers to itself"),
        ("=" + "(" * 2000 + "1" + ")" * 2000, "Step!D12: formula nested too deeply"),
    ],
)
def test_formulas_that_cannot_be_evaluated_are_refused(formula: str, message: str) -> None:
    names = {(None, "REL"): "Step!A1", (None, "LOOP"): "loop+1"}
    with pytest.raises(FormulaError) as info:
        evaluate(book_of({"D12": formula}, names=names))
    assert str(info.value).startswith(message)
    assert "\n" not in str(info.value)


def test_errors_are_values_not_exceptions() -> None:
    book = book_of({"A1": "=1/0", "A2": "=A1+1", "A3": "=IFERROR(A2,0)", "A4": "=nobody"})
    assert evaluate(book) == {
        CellRef("Step", 1, 1): XLError.DIV0,
        CellRef("Step", 2, 1): XLError.DIV0,
        CellRef("Step", 3, 1): 0.0,
        CellRef("Step", 4, 1): XLError.NAME,
    }


def test_a_copied_formula_is_parsed_once_and_keeps_its_offsets() -> None:
    cells = {f"A{r}": float(r) for r in range(1, 101)}
    cells |= {f"B{r}": f"=A{r}*2+$A$1+A$100" for r in range(1, 101)}
    book = book_of(cells)
    grid: dict = {}
    plans = Plans(Compiler(book, grid))
    for ref, cell in book.cells.items():
        if cell.formula:
            plans.get(ref, cell.formula)
    assert plans.parses == 1  # the first copy; the others share its shape
    values = evaluate(book)
    assert [values[CellRef("Step", r, 2)] for r in (1, 50, 100)] == [103.0, 201.0, 301.0]


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        # Same text, different hosts: the relative offset differs, so the values must too.
        ({"A1": 1.0, "A2": 2.0, "B1": "=A1", "B2": "=A1"}, {"B1": 1.0, "B2": 1.0}),
        # Same skeleton, digits inside a string are not references.
        ({"B1": '="A1"&1', "B2": '="A2"&1'}, {"B1": "A11", "B2": "A21"}),
        # LOG10 looks like a cell address; it is a function.
        (
            {"A1": 100.0, "A2": 1000.0, "B1": "=LOG10(A1)", "B2": "=LOG10(A2)"},
            {"B1": 2.0, "B2": 3.0},
        ),
        # A name containing digits is not shifted like a reference.
        ({"B1": "=w_1+1", "B2": "=w_2+1"}, {"B1": 11.0, "B2": 21.0}),
        # Numbers in the formula are literal.
        ({"A1": 1.0, "A2": 1.0, "B1": "=A1*1", "B2": "=A2*2"}, {"B1": 1.0, "B2": 2.0}),
    ],
)
def test_copies_are_not_confused(cells: dict, expected: dict) -> None:
    names = {(None, "W_1"): "Step!$Z$1", (None, "W_2"): "Step!$Z$2"}
    book = book_of(cells | {"Z1": 10.0, "Z2": 20.0}, names=names)
    values = evaluate(book)
    for address, want in expected.items():
        row = int(address[1:])
        assert values[CellRef("Step", row, 2)] == want


@pytest.mark.slow
def test_a_chain_of_200000_cells_needs_no_recursion(tmp_path) -> None:
    n = 200_000
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Step")
    ws.append([1.0])
    for r in range(2, n + 1):
        ws.append([f"=A{r - 1}+1"])
    wb.save(tmp_path / "chain.xlsx")
    start = time.perf_counter()
    values = evaluate(read_book(tmp_path / "chain.xlsx"))
    assert values[CellRef("Step", n, 1)] == float(n)
    assert len(values) == n - 1
    assert time.perf_counter() - start < 30  # seconds, generously: it takes about 3


def test_evaluation_does_not_touch_the_book() -> None:
    book = book_of({"A1": 2.0, "A2": "=A1*2"})
    before = dict(book.cells)
    evaluate(book)
    assert book.cells == before


arith = st.recursive(
    st.integers(-20, 20).map(float),
    lambda inner: st.tuples(st.sampled_from("+-*"), inner, inner),
    max_leaves=12,
)


def _render(tree) -> str:
    if isinstance(tree, float):
        return f"({tree:g})"
    op, left, right = tree
    return f"({_render(left)}{op}{_render(right)})"


def _compute(tree) -> float:
    if isinstance(tree, float):
        return tree
    op, left, right = tree
    a, b = _compute(left), _compute(right)
    return a + b if op == "+" else a - b if op == "-" else a * b


@settings(max_examples=200, deadline=None)
@given(arith)
def test_fully_parenthesised_arithmetic_matches_python(tree) -> None:
    book = book_of({"A1": "=" + _render(tree)})
    assert value(book, "A1") == _compute(tree)


def test_pinned_inputs_give_each_formula_its_own_value(tmp_path) -> None:
    """A cell reading a pinned cell sees the pinned value; the pinned cell keeps its own."""
    import openpyxl

    from worksheet.evaluator import CellRef, evaluate, read_book

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "S"
    sheet["A1"], sheet["A2"], sheet["A3"] = 2, "=A1*10", "=A2+1"
    book.save(tmp_path / "p.xlsx")
    read = read_book(tmp_path / "p.xlsx")
    a2, a3 = CellRef("S", 2, 1), CellRef("S", 3, 1)
    assert evaluate(read) == {a2: 20.0, a3: 21.0}
    assert evaluate(read, pinned={a2: 5.0}) == {a2: 20.0, a3: 6.0}


def test_a_formula_copied_across_columns_is_parsed_once() -> None:
    """A gradient check repeats one formula in a column per parameter: one shape."""
    cells = {f"{col}1": float(i) for i, col in enumerate("ABCDEF", 1)}
    cells |= {f"{col}2": f"={col}1*2+$A$1+{col}$1" for col in "ABCDEF"}
    book = book_of(cells)
    plans = Plans(Compiler(book, {}))
    for ref, cell in book.cells.items():
        if cell.formula:
            plans.get(ref, cell.formula)
    assert plans.parses == 1
    values = evaluate(book)
    got = [values[CellRef("Step", 2, c)] for c in range(1, 7)]
    assert got == [4.0, 7.0, 10.0, 13.0, 16.0, 19.0]


def test_same_shape_needs_same_relative_addresses() -> None:
    """An absolute address and a relative one are different shapes, even where they meet."""
    book = book_of({"A1": 1.0, "B1": 2.0, "A2": "=A1*2", "B2": "=$A1*2", "C1": 5.0, "C2": "=C1*2"})
    values = evaluate(book)
    assert [values[CellRef("Step", 2, c)] for c in (1, 2, 3)] == [2.0, 2.0, 10.0]


def test_a_runs_values_are_its_own_and_stale_after_the_next_run() -> None:
    """A run's values are read from the evaluation's grid: they are that run's (constants
    replaced, formula cells only), and reading them after another run raises instead of
    silently showing the new run's numbers."""
    from worksheet.evaluator.engine import Evaluation, StaleValues

    book = book_of({"A1": 2.0, "A2": "=A1*3", "A3": "=A2+1"})
    evaluation = Evaluation(book)
    first = evaluation.run()
    a2, a3 = CellRef("Step", 2, 1), CellRef("Step", 3, 1)
    assert dict(first.items()) == {a2: 6.0, a3: 7.0}
    assert CellRef("Step", 1, 1) not in first and first.get(CellRef("Step", 1, 1)) is None
    second = evaluation.run(constants={CellRef("Step", 1, 1): 5.0})
    assert second[a3] == 16.0
    with pytest.raises(StaleValues):
        first[a3]
    assert evaluation.run()[a3] == 7.0  # the file's own constant back


def test_a_book_with_values_moved_leaves_the_book_as_it_was() -> None:
    """``with_values``: the moved cells hold their new constants, every other cell is the
    book's own, and the book itself is unchanged (the nudged and far-drawn books of a check
    are overlays of the file's cells, not copies)."""
    book = book_of({"A1": 2.0, "A2": "=A1*3"})
    a1, a2 = CellRef("Step", 1, 1), CellRef("Step", 2, 1)
    moved = book.with_values({a1: 5.0})
    assert moved.cells[a1] == Cell(None, 5.0) and moved.cells[a2] is book.cells[a2]
    assert book.cells[a1] == Cell(None, 2.0) and len(moved.cells) == 2
    assert evaluate(moved)[a2] == 15.0 and evaluate(book)[a2] == 6.0
