"""``rename``: the names of a formula respelled, never a function, a sheet or an address.

It joins pieces split once per formula (the gradient check respells 150,000 formulas on a
2-8-8-8-4 network over three steps); here it is held to the one regex substitution it
replaced, on a table of hand-picked formulas and on random ones.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from worksheet.sheets.gradient_check import _NAME, rename

MAPPING = {"w_1": "(w_1+epsilon)", "h_1": "h_1_s2", "x_1": "D12", "a.b": "Q3", "E": "e_1"}


def substituted(formula: str, mapping: dict[str, str]) -> str:
    """The substitution ``rename`` replaced."""
    return _NAME.sub(lambda m: mapping.get(m[1], m[1]), formula)


@pytest.mark.parametrize(
    "formula, expected",
    [
        ("=w_1*x_1+b_1", "=(w_1+epsilon)*D12+b_1"),
        ("=1/(1+EXP(-h_1))", "=1/(1+EXP(-h_1_s2))"),  # EXP is a function: kept
        ("=Givens!w_1+'Step 2'!h_1", "=Givens!w_1+'Step 2'!h_1"),  # after a sheet: kept
        ("=$A$1+x_1", "=$A$1+D12"),
        ("=1E-300+E", "=1E-300+e_1"),  # the exponent's E is part of a number
        ("=a.b*2", "=Q3*2"),
        ("=5", "=5"),
        ("", ""),
    ],
)
def test_rename(formula, expected):
    assert rename(formula, MAPPING) == expected == substituted(formula, MAPPING)


PIECES = st.sampled_from(
    ["w_1", "h_1", "x_1", "a.b", "E", "EXP(", "SUM(", "Givens!", "'S 2'!", "$A$1", "D4", "1E-3"]
    + list("+-*/^(),.!$'0123456789 _")
)


@given(st.lists(PIECES, max_size=12).map("".join))
def test_rename_is_the_substitution_it_replaced(body):
    for formula in (body, "=" + body):
        assert rename(formula, MAPPING) == substituted(formula, MAPPING)
