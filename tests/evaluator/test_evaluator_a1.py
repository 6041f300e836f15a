"""Address arithmetic and the text-level reference work behind shared formulas and copies."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl.formula.translate import Translator

from worksheet.evaluator import a1
from worksheet.evaluator.shared import SharedFormulas, regex_sees_all_refs


@pytest.mark.parametrize(
    ("letters", "index"), [("A", 1), ("Z", 26), ("AA", 27), ("AZ", 52), ("XFD", 16384)]
)
def test_columns(letters: str, index: int) -> None:
    assert a1.col_index(letters) == index
    assert a1.col_letters(index) == letters


@given(st.integers(1, a1.MAX_COL))
def test_column_round_trip(index: int) -> None:
    assert a1.col_index(a1.col_letters(index)) == index


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("A1", (1, 1, False, False)),
        ("$B$3", (3, 2, True, True)),
        ("C$4", (4, 3, True, False)),
        ("$D5", (5, 4, False, True)),
        ("xfd1048576", (1048576, 16384, False, False)),
        ("XFE1", None),  # beyond the last column: a name, not a cell
        ("A1048577", None),
        ("A0", None),
        ("W_1", None),
        ("AAAA1", None),
    ],
)
def test_parse_cell(text: str, parsed: tuple | None) -> None:
    assert a1.parse_cell(text) == parsed


@pytest.mark.parametrize(
    ("text", "d_row", "d_col", "moved"),
    [
        ("A1*2+$A$1", 1, 0, "A2*2+$A$1"),
        ("A$1+$A1", 2, 3, "D$1+$A3"),
        ('SUM(A1:B2)&"A1"', 1, 1, 'SUM(B2:C3)&"A1"'),
        ("'Sheet 1'!A1+Sheet2!B2", 1, 0, "'Sheet 1'!A2+Sheet2!B3"),
        ("LOG10(A1)+w_1+E5*1E5", 1, 0, "LOG10(A2)+w_1+E6*1E5"),
        ("A1", -1, 0, "#REF!"),
    ],
)
def test_translate(text: str, d_row: int, d_col: int, moved: str) -> None:
    assert a1.translate(text, d_row, d_col) == moved


refs = st.builds(
    lambda c_abs, col, r_abs, row: (
        f"{'$' if c_abs else ''}{a1.col_letters(col)}{'$' if r_abs else ''}{row}"
    ),
    st.booleans(),
    st.integers(1, 60),
    st.booleans(),
    st.integers(1, 60),
)
atoms = st.one_of(
    refs,
    st.builds(lambda a, b: f"{a}:{b}", refs, refs),
    st.builds(lambda r: f"Data!{r}", refs),
    st.sampled_from(['"A1"', "w_1", "0.5", "1E5", "LOG10(2)", "TRUE"]),
)
formulas = st.lists(atoms, min_size=1, max_size=5).map(lambda parts: "+".join(parts))


@settings(max_examples=300, deadline=None)
@given(formulas, st.integers(0, 30), st.integers(0, 30))
def test_translate_agrees_with_openpyxl(text: str, d_row: int, d_col: int) -> None:
    origin, target = "BZ100", a1.cell_name(100 + d_row, a1.col_index("BZ") + d_col)
    expected = Translator("=" + text, origin).translate_formula(target)[1:]
    assert regex_sees_all_refs(text)
    assert a1.translate(text, d_row, d_col) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("=A1*0.5+B$2", (True, False, False, False)),  # A1's row, then 0, 5, and the absolute 2
        ('="A1"&A1', (False, True)),
        ("=LOG10(A12)", (False, True)),
        ("=Sheet2!C3", (False, True)),
    ],
)
def test_relative_rows(text: str, expected: tuple) -> None:
    assert a1.relative_rows(text) == expected


def test_skeleton_blanks_digits() -> None:
    assert a1.skeleton("=A12*0.5") == "=A\x00*\x00.\x00"


@pytest.mark.parametrize(("text", "ok"), [("A1+B2", True), ("SUM(A:A)", False), ("1:3", False)])
def test_regex_sees_all_refs(text: str, ok: bool) -> None:
    assert regex_sees_all_refs(text) is ok


@settings(max_examples=300, deadline=None)
@given(formulas, st.integers(0, 2000), st.integers(0, 3))
def test_shared_followers_match_translation(text: str, d_row: int, d_col: int) -> None:
    """Filling down takes a shortcut (patching row numbers); it must equal a full translation."""
    shared = SharedFormulas()
    assert shared.resolve("0", text, 70, 5) == text
    moved = shared.resolve("0", "", 70 + d_row, 5 + d_col)
    assert moved == a1.translate(text, d_row, d_col)


def test_shared_follower_pushed_off_the_sheet_gets_ref_error() -> None:
    shared = SharedFormulas()
    shared.resolve("0", "A1048576+$B$1", 2, 3)
    assert shared.resolve("0", "", 3, 3) == "#REF!+$B$1"
