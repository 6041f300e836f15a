"""A proof that cannot be fooled: wrong workbooks, built by editing generated ones as an
adversarial user would, are never passed; legitimate rewrites still are.

Each attack edits a freshly generated workbook with openpyxl (formulas, names, sheet state),
saves it, and runs ``check_file``: a wrong file must give mismatches (or be refused), and the
cell at fault must be among those named.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from openpyxl.workbook.defined_name import DefinedName

from worksheet.model.template import Overrides, load_template, resolve
from worksheet.render.generate import generate
from worksheet.verify.check import check_file


def made(tmp_path: Path, template: str, **overrides) -> Path:
    path = tmp_path / f"{template}.xlsx"
    generate(resolve(load_template(template), Overrides(**overrides)).spec, path)
    return path


def edited(path: Path, edit) -> Path:
    book = openpyxl.load_workbook(path)
    edit(book)
    out = path.with_name("edited-" + path.name)
    book.save(out)
    return out


def cell_of(book, name: str, scope: str | None = None) -> tuple[str, str]:
    names = book.defined_names if scope is None else book[scope].defined_names
    sheet, ref = next(names[name].destinations)
    return sheet, ref.replace("$", "")


def set_formula(book, name: str, formula, scope: str | None = None) -> str:
    sheet, ref = cell_of(book, name, scope)
    book[sheet][ref] = formula
    return f"{sheet}!{ref}"


def assert_refused(path: Path, *cells: str) -> None:
    report = check_file(path)
    assert not report.ok
    for cell in cells:
        assert cell in report.mismatches, (cell, list(report.mismatches)[:8])


# --- names instead of what is shown -------------------------------------------------------


def test_visible_formulas_replaced_while_names_point_at_a_hidden_copy(tmp_path):
    """Every Step value shows 0.5; the names lead to a very hidden sheet with the real ones."""
    path = made(tmp_path, "classic")

    def attack(book):
        step = book["Step"]
        shadow = book.copy_worksheet(step)
        shadow.title = "Shadow"
        shadow.sheet_state = "veryHidden"
        for name, dn in list(book.defined_names.items()):
            sheet, ref = next(dn.destinations)
            if sheet == "Step":
                step[ref.replace("$", "")] = "=0.5"
                book.defined_names[name] = DefinedName(name, attr_text=f"Shadow!{ref}")

    report = check_file(edited(path, attack))
    assert not report.ok
    assert "Step!D5" in report.mismatches and "name z_1" in report.mismatches
    assert "sheet Shadow" in report.mismatches


@pytest.mark.parametrize("state", ["hidden", "veryHidden"])
def test_a_hidden_sheet_is_reported_even_when_it_feeds_nothing(tmp_path, state):
    path = made(tmp_path, "classic")

    def attack(book):
        book.create_sheet("Notes")["A1"] = 1.0
        book["Notes"].sheet_state = state

    assert_refused(edited(path, attack), "sheet Notes")


def test_a_checked_cell_hidden_under_a_merged_area(tmp_path):
    """C5:D5 merged: a person sees the maths text where z₁'s value should be."""
    path = made(tmp_path, "classic")
    hidden = []

    def attack(book):
        sheet, ref = cell_of(book, "z_1")
        book[sheet].merge_cells(f"C{ref[1:]}:{ref}")
        hidden.append(f"{sheet}!{ref}")

    assert_refused(edited(path, attack), *hidden)


def test_a_name_pointing_at_a_correct_copy_elsewhere(tmp_path):
    path = made(tmp_path, "mazur")

    shown = []

    def attack(book):
        sheet, ref = cell_of(book, "delta_2")
        shown.append(f"Step!{ref}")
        book["Step"]["K40"] = book["Step"][ref].value  # the right formula, out of sight
        book["Step"][ref] = "=0.25"
        book.defined_names["delta_2"] = DefinedName("delta_2", attr_text="Step!$K$40")

    report = check_file(edited(path, attack))
    assert not report.ok
    assert "name delta_2" in report.mismatches and shown[0] in report.mismatches


def test_a_given_moved_off_the_givens_sheet(tmp_path):
    """``w_1`` now names a cell on the Step sheet (never nudged); the formulas use 0.25."""
    path = made(tmp_path, "classic")

    def attack(book):
        sheet, ref = cell_of(book, "w_1")
        value = book[sheet][ref].value
        book["Step"]["K2"] = value
        book.defined_names["w_1"] = DefinedName("w_1", attr_text="Step!$K$2")

    assert_refused(edited(path, attack), "name w_1")


# --- sheets never nudged, literals for givens ---------------------------------------------


def test_training_first_row_with_the_starting_parameters_typed_in(tmp_path):
    path = made(tmp_path, "and", epochs=5)

    typed = []

    def attack(book):
        for cell in book["Training"][4]:
            if cell.value in ("=w_1", "=w_2", "=b_1"):  # the starting parameters
                cell.value = _given_value(book, cell.value)
                typed.append(cell.coordinate)

    report = check_file(edited(path, attack))
    assert not report.ok
    assert len(typed) == 3
    assert {f"Training!{c}" for c in typed} <= set(report.mismatches)


def _given_value(book, formula: str) -> float:
    """The number a formula like ``=w_1`` or ``=Givens!$C$9`` reads from the Givens sheet."""
    text = formula.lstrip("=")
    if "!" in text:
        return book["Givens"][text.split("!")[1].replace("$", "")].value
    sheet, ref = cell_of(book, text)
    return book[sheet][ref].value


def test_a_literal_standing_in_for_an_equal_given(tmp_path):
    """x₁ = 0.5 in classic: ``=w_1*0.5+...`` is right for these givens only."""
    path = made(tmp_path, "classic")
    cell = []

    def attack(book):
        cell.append(set_formula(book, "z_1", "=w_1*0.5+w_2*x_2+b_1"))

    assert_refused(edited(path, attack), *cell)


# --- equal givens stay equal under a uniform nudge -----------------------------------------


def test_mazur_b2_in_place_of_the_equal_b1(tmp_path):
    path = made(tmp_path, "mazur")
    cell = []

    def attack(book):
        sheet, ref = cell_of(book, "z_1")
        text = book[sheet][ref].value
        assert "b_1" in text
        cell.append(set_formula(book, "z_1", text.replace("b_1", "b_2")))

    assert_refused(edited(path, attack), *cell)


@pytest.mark.parametrize("template", ["and", "xor"])
def test_the_two_inputs_swapped_in_z1(tmp_path, template):
    path = made(tmp_path, template, epochs=0)
    cell = []

    def attack(book):
        sheet, ref = cell_of(book, "z_1")
        text = book[sheet][ref].value
        swapped = text.replace("x_1", "TMP").replace("x_2", "x_1").replace("TMP", "x_2")
        assert swapped != text
        cell.append(set_formula(book, "z_1", swapped))

    report = check_file(edited(path, attack))
    assert not report.ok


def test_an_emptied_gradient_check(tmp_path):
    """The numerical gradient typed as the analytic one, the relative difference as 0."""
    path = made(tmp_path, "classic", gradcheck=True)
    cells = []

    def attack(book):
        cells.append(set_formula(book, "dL_dw_1_numeric", "=dL_dw_1"))
        cells.append(set_formula(book, "dL_dw_1_reldiff", "=0"))

    assert_refused(edited(path, attack), *cells)


def test_a_gradient_check_restated_instead_of_computed(tmp_path):
    """``=dL_dw_1+0*eps`` reads the planned givens and agrees with the central difference
    to its own tolerance; it still never computed one."""
    path = made(tmp_path, "classic", gradcheck=True)
    cells = []

    def attack(book):
        cells.append(set_formula(book, "dL_dw_1_numeric", "=dL_dw_1+0*eps"))
        cells.append(set_formula(book, "dL_dw_1_reldiff", "=0*dL_dw_1_numeric"))

    assert_refused(edited(path, attack), *cells)


def test_an_extra_sheet_or_formula_outside_the_layout(tmp_path):
    """A look-alike "Step " sheet with other numbers, and a formula typed beside the table:
    a person sees them, so they are faults whatever they compute."""
    path = made(tmp_path, "classic")

    def attack(book):
        book.copy_worksheet(book["Step"]).title = "Step "
        book["Step"]["K7"] = "=w_1*2"

    assert_refused(edited(path, attack), "sheet Step ", "Step!K7")


def test_a_formula_reading_a_number_typed_beside_the_table(tmp_path):
    path = made(tmp_path, "classic")
    cell = []

    def attack(book):
        sheet, ref = cell_of(book, "x_1")
        book["Step"]["K3"] = book[sheet][ref].value
        cell.append(set_formula(book, "z_1", "=w_1*Step!K3+w_2*x_2+b_1"))

    assert_refused(edited(path, attack), *cell)


def test_a_dependence_added_with_no_effect_on_the_value(tmp_path):
    """``+0*b_2``: the right value, but z₁ does not depend on b₂."""
    path = made(tmp_path, "mazur")
    cell = []

    def attack(book):
        sheet, ref = cell_of(book, "z_1")
        cell.append(set_formula(book, "z_1", book[sheet][ref].value + "+0*b_2"))

    assert_refused(edited(path, attack), *cell)


def test_a_formula_right_only_near_the_givens(tmp_path):
    """Right at x₁ = 0.5 and within 0.1 % of it, wrong elsewhere: every check moves each
    given by at least 0.5 %, in a direction and amount drawn afresh."""
    path = made(tmp_path, "classic")
    cell = []

    def attack(book):
        sheet, ref = cell_of(book, "z_1")
        trick = "+IF(ABS(x_1-0.5)<0.0005,0,1)"
        cell.append(set_formula(book, "z_1", book[sheet][ref].value + trick))

    for _ in range(3):  # whatever the draw
        assert_refused(edited(path, attack), *cell[:1])


def test_givens_describing_a_far_larger_workbook_are_refused_at_once(tmp_path):
    """Epochs 3 -> 20,000 in a small file: refused from the counts, before numpy trains."""
    from worksheet.errors import BookError

    path = made(tmp_path, "and", epochs=3)

    def attack(book):
        sheet, ref = cell_of(book, "training_epochs")
        book[sheet][ref] = "4000"  # 16,000 updates, within what generate allows

    with pytest.raises(BookError, match="givens describe"):
        check_file(edited(path, attack))


@pytest.mark.parametrize("given", ["training_epochs", "round_digits"])
def test_a_whole_number_given_spelled_with_a_superscript_digit(tmp_path, given):
    """ "²" passes str.isdigit but is no number: one line, exit 2, never a traceback."""
    from worksheet.errors import BookError

    path = made(tmp_path, "and", epochs=3, round_digits=4)

    def attack(book):
        sheet, ref = cell_of(book, given)
        book[sheet][ref] = "²"

    with pytest.raises(BookError, match=given):
        check_file(edited(path, attack))


# --- constructs spreadsheets compute differently from our evaluator ---------------------


@pytest.mark.parametrize(
    "extra",
    [
        "+IF(TRUE=1,0.1,0)",  # LibreOffice: TRUE is 1; Excel and we: a boolean is no number
        "+ISNUMBER(TRUE)*0.1",
        "+0.1*0^0",  # 1 in LibreOffice, #NUM! in Excel
        "+0.1*INT(0.3/0.1)-0.2",  # floating-point corners of typed numbers
        '+"$0.1"*1-0.1',  # text turned into a number
        '+SUM(z_1,"0")*0',
        "+IFERROR(0+$Z$1:$Z$100,0)",  # implicit intersection in LibreOffice
        "+SUMPRODUCT(1*$Z$1:$Z$3)",
    ],
)
def test_constructs_engines_compute_differently_are_refused(tmp_path, extra):
    path = made(tmp_path, "classic")
    cell = []

    def attack(book):
        sheet, ref = cell_of(book, "h_1")
        cell.append(set_formula(book, "h_1", book[sheet][ref].value + extra))

    assert_refused(edited(path, attack), *cell)


# --- legitimate rewrites still pass --------------------------------------------------------


@pytest.mark.parametrize(
    "name, rewrite",
    [
        ("h_1", lambda f: "=EXP(z_1)/(1+EXP(z_1))"),  # another spelling of the sigmoid
        ("z_1", lambda f: "=b_1+x_2*w_2+x_1*w_1"),  # commuted operands
        ("z_1", lambda f: "=Givens!$C$9*Givens!$C$5+w_2*x_2+b_1"),  # addresses for names
    ],
)
def test_legitimate_rewrites_pass(tmp_path, name, rewrite):
    path = made(tmp_path, "classic")

    def edit(book):
        sheet, ref = cell_of(book, name)
        book[sheet][ref] = rewrite(book[sheet][ref].value)

    out = edited(path, edit)
    if name == "z_1" and "Givens!" in rewrite(""):
        book = openpyxl.load_workbook(out)
        w1, x1 = cell_of(book, "w_1")[1], cell_of(book, "x_1")[1]
        edit2 = f"=Givens!${w1[0]}${w1[1:]}*Givens!${x1[0]}${x1[1:]}+w_2*x_2+b_1"
        book["Step"][cell_of(book, "z_1")[1]] = edit2
        book.save(out)
    report = check_file(out)
    assert report.ok, list(report.mismatches.items())[:3]


def test_an_intermediate_used_instead_of_its_expansion(tmp_path):
    """δ₂ written out from its factors' formulas, or ∂L/∂w read through δ: same givens."""
    path = made(tmp_path, "classic")

    def edit(book):
        set_formula(book, "delta_2", "=(yhat_1-y_1)*yhat_1*(1-yhat_1)")

    assert check_file(edited(path, edit)).ok
