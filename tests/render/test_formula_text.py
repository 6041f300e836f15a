"""The formula column breaks between terms, never inside a name (issue 13 item 1): spaces
around each binary + and − and after each comma, and the column as wide as the longest
piece left unbroken."""

from __future__ import annotations

import pytest

from worksheet.model.template import Overrides, load_template, resolve
from worksheet.render.formula_text import formula_text, unbroken_width
from worksheet.render.generate import build
from worksheet.render.page_setup import CHARS_PER_UNIT
from worksheet.sheets.cells import column_letter
from worksheet.sheets.layout import plan


@pytest.mark.parametrize(
    "formula, shown",
    [
        ("=w_1_new*x_1+w_2_new*x_2+b_1_new", "=w_1_new*x_1 + w_2_new*x_2 + b_1_new"),
        ("=b_1-eta*dL_db_1", "=b_1 - eta*dL_db_1"),
        ("=1/(1+EXP(-z_1))", "=1/(1 + EXP(-z_1))"),  # a sign stays with its operand
        ("=-(y_1*LN(yhat_1))", "=-(y_1*LN(yhat_1))"),
        ("=ABS(a-b)/MAX(ABS(a),ABS(b),1E-300)", "=ABS(a - b)/MAX(ABS(a), ABS(b), 1E-300)"),
        ("=2E+5-x_1", "=2E+5 - x_1"),  # an exponent's sign is no term's
        ('=IF(x_1="a-b",1,2)', '=IF(x_1 = "a-b", 1, 2)'.replace(" = ", "=")),  # text kept
        ("=ROUND(w_1*x_1+b_1,4)", "=ROUND(w_1*x_1 + b_1, 4)"),
    ],
)
def test_terms_are_spaced(formula, shown):
    assert formula_text(formula) == shown


def test_a_product_too_long_for_a_line_is_spaced_too():
    assert (
        formula_text("=dL_dyhat_1_s2*dyhat_dz_3_s2+b", 21) == "=dL_dyhat_1_s2 * dyhat_dz_3_s2 + b"
    )
    assert formula_text("=w_1*x_1+b", 21) == "=w_1*x_1 + b"


def test_the_width_holds_the_longest_piece():
    assert unbroken_width(["=a + b"], 26, 0.85) == 26
    longest = "=dL_dyhat_1*dyhat_dz_3"  # 22 characters: 27.06 units
    assert unbroken_width([f"{longest} + b"], 26, 0.85) == 28


@pytest.mark.parametrize(
    "template, overrides",
    [
        ("mazur", Overrides()),
        ("classic", Overrides(layers=(2, 3, 3, 2))),
        ("three-class", Overrides()),
        ("classic", Overrides(optimizer="adam", steps=2)),  # no Training table: fast
        ("two-hidden", Overrides(round_digits=4)),
    ],
)
def test_no_name_is_broken_on_any_step_sheet(template, overrides):
    """Each piece between spaces fits one line of its column, so a line can only end
    between terms; and the column shows the formula itself."""
    spec = resolve(load_template(template), overrides).spec
    book, _ = build(spec)
    for layout in plan(spec).steps:
        sheet, col = book[layout.name], layout.col("formula")
        per_line = int(sheet.column_dimensions[column_letter(col)].width * CHARS_PER_UNIT["code"])
        for row, item in layout.lines:
            text = sheet.cell(row, col).value
            assert text.replace(" ", "") == item.formula.replace(" ", "")
            assert max(len(word) for word in text.split()) < per_line, (layout.name, text)
