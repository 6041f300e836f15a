"""The CLI: exit codes, messages and the files produced (click's CliRunner)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from conftest import run

README = Path(__file__).resolve().parents[2] / "README.md"
USAGE = README.parent / "docs" / "usage.md"  # every option of every command: tests/test_docs.py


def test_generate_default_then_check(in_tmp):
    result = run("generate")
    assert result.exit_code == 0, result.output
    out = in_tmp / "output" / "backprop.xlsx"
    assert out.is_file()
    assert "Wrote output/backprop.xlsx" in result.output
    checked = run("check", str(out))
    assert checked.exit_code == 0, checked.output
    assert "OK" in checked.output


def test_generate_2_2_2_bce_then_check(in_tmp):
    result = run("generate", "--layers", "2,2,2", "--loss", "bce", "-o", "output/x.xlsx")
    assert result.exit_code == 0, result.output
    assert run("check", "output/x.xlsx").exit_code == 0


@pytest.mark.parametrize("template", ["classic", "mazur", "two-hidden", "deep-bce"])
def test_every_template_generates_and_checks(in_tmp, template):
    assert run("generate", template, "-o", f"{template}.xlsx").exit_code == 0
    result = run("check", "--json", f"{template}.xlsx")
    assert result.exit_code == 0, result.output
    verdict = json.loads(result.output)
    assert verdict["ok"] and verdict["mismatches"] == []
    assert verdict["compared"] == verdict["formulas"] > 0


def test_existing_output_is_kept_without_force(in_tmp):
    assert run("generate", "-o", "a.xlsx").exit_code == 0
    before = (in_tmp / "a.xlsx").read_bytes()
    result = run("generate", "--seed", "3", "-o", "a.xlsx")
    assert result.exit_code == 2
    assert "already exists" in result.output and "--force" in result.output
    assert (in_tmp / "a.xlsx").read_bytes() == before
    assert run("generate", "--seed", "3", "-o", "a.xlsx", "--force").exit_code == 0
    assert (in_tmp / "a.xlsx").read_bytes() != before


def test_check_passes_after_a_person_edits_a_given(in_tmp):
    run("generate", "-o", "a.xlsx")
    book = openpyxl.load_workbook("a.xlsx")
    sheet, cell = book.defined_names["w_1"].attr_text.split("!")
    book[sheet][cell.replace("$", "")] = 0.9
    book.save("a.xlsx")
    result = run("check", "a.xlsx")
    assert result.exit_code == 0, result.output


def test_check_reports_a_wrong_formula_by_cell(in_tmp):
    run("generate", "-o", "a.xlsx")
    book = openpyxl.load_workbook("a.xlsx")
    ref = book.defined_names["delta_2"].attr_text.split("!")[1].replace("$", "")
    book["Step"][ref] = "=dL_dyhat_1+dyhat_dz_2"
    book.save("a.xlsx")
    result = run("check", "a.xlsx")
    assert result.exit_code == 1
    assert f"Step!{ref}" in result.output and "delta_2" in result.output
    verdict = json.loads(run("check", "--json", "a.xlsx").output)
    assert verdict["ok"] is False
    assert verdict["mismatches"][0]["cell"] == f"Step!{ref}"
    # Only delta_2 is wrong on its own; everything downstream inherits the error.
    assert [m["carried"] for m in verdict["mismatches"]] == [False] + [True] * (
        len(verdict["mismatches"]) - 1
    )
    assert "wrong only because of the cells above" in result.output


def test_check_flags_a_typed_in_number(in_tmp):
    run("generate", "-o", "a.xlsx")
    book = openpyxl.load_workbook("a.xlsx")
    ref = book.defined_names["z_1"].attr_text.split("!")[1].replace("$", "")
    book["Step"][ref] = 0.5
    book.save("a.xlsx")
    result = run("check", "a.xlsx")
    assert result.exit_code == 1 and "not a formula" in result.output


def test_overflowing_weights_are_refused(in_tmp):
    Path("big.toml").write_text(
        "layers = [1, 1]\nweights = [[[-800.0]]]\nbiases = [[0.0]]\n"
        "[[examples]]\ninputs = [1.0]\ntargets = [1.0]\n"
    )
    result = run("generate", "big.toml", "-o", "big.xlsx")
    assert result.exit_code == 2 and "z_1" in result.output and "EXP" in result.output
    assert not Path("big.xlsx").exists()


def test_check_refuses_a_workbook_that_is_not_ours(in_tmp):
    book = openpyxl.Workbook()
    book.active["A1"] = "=1+1"
    book.save("other.xlsx")
    result = run("check", "other.xlsx")
    assert result.exit_code == 2 and "not a backprop worksheet" in result.output


def test_templates_lists_the_shipped_ones():
    result = run("templates")
    assert result.exit_code == 0
    for name in ("classic", "mazur", "two-hidden", "deep-bce"):
        assert name in result.output


@pytest.mark.parametrize("command", ["generate", "check", "templates", "grade", "batch", "pdf"])
def test_every_command_has_help_and_is_in_the_usage_page(command):
    result = run(command, "--help")
    assert result.exit_code == 0 and "Usage" in result.output
    assert f"worksheet {command}" in USAGE.read_text()


def test_version_and_module_entry_point():
    from worksheet import __version__

    assert __version__ in run("--version").output
    done = subprocess.run(
        [sys.executable, "-m", "worksheet", "--version"], capture_output=True, text=True
    )
    assert done.returncode == 0 and __version__ in done.stdout


@pytest.mark.parametrize("weight", [40.0, 34.0, -40.0])
def test_bce_with_a_saturated_sigmoid_is_refused(in_tmp, weight):
    """σ(40) is exactly 1.0 in double precision; σ(34) is 1 − 1.7e-15, and LibreOffice
    rounds 1 − ŷ to 0 when the two agree to 15 digits: both would take LN(0)."""
    Path("sat.toml").write_text(
        f'layers = [1, 1]\nloss = "bce"\nweights = [[[{weight}]]]\nbiases = [[0.0]]\n'
        "[[examples]]\ninputs = [1.0]\ntargets = [1.0]\n"
    )
    result = run("generate", "sat.toml", "-o", "sat.xlsx")
    assert result.exit_code == 2
    assert "yhat_1 = " in result.output and "LN(0)" in result.output
    assert not Path("sat.xlsx").exists()


def _edit_step(path: str, name: str, formula: str, out: str) -> str:
    book = openpyxl.load_workbook(path)
    ref = book.defined_names[name].attr_text.split("!")[1].replace("$", "")
    book["Step"][ref] = formula
    book.save(out)
    return ref


def test_check_catches_a_formula_that_ignores_a_given(in_tmp):
    """=delta_1*0.5 has the right value while x_1 is 0.5, but does not follow x_1."""
    run("generate", "-o", "a.xlsx")
    ref = _edit_step("a.xlsx", "dL_dw_1", "=delta_1*0.5", "b.xlsx")
    result = run("check", "b.xlsx")
    assert result.exit_code == 1
    # (the far draws find it first, or else the nudged givens)
    assert f"Step!{ref}  dL_dw_1  " in result.output
    assert "does not follow its givens" in result.output or "moved far" in result.output


def test_check_refuses_an_unsupported_function_naming_the_cell(in_tmp):
    run("generate", "-o", "a.xlsx")
    ref = _edit_step("a.xlsx", "h_1", "=SIGMOID(z_1)", "b.xlsx")
    result = run("check", "b.xlsx")
    assert result.exit_code == 2 and len(result.output.strip().splitlines()) == 1
    assert f"Step!{ref}" in result.output and "unsupported function SIGMOID" in result.output
    answer = run("check", "--json", "b.xlsx")
    assert answer.exit_code == 2
    verdict = json.loads(answer.output)
    assert verdict["ok"] is False and "SIGMOID" in verdict["error"]


def test_check_reports_an_error_value_outside_the_table(in_tmp):
    run("generate", "-o", "a.xlsx")
    book = openpyxl.load_workbook("a.xlsx")
    book["Step"]["H60"] = "=1/0"
    book.save("b.xlsx")
    result = run("check", "b.xlsx")
    assert result.exit_code == 1 and "Step!H60" in result.output and "#DIV/0!" in result.output


def test_check_refuses_givens_that_overflow(in_tmp):
    run("generate", "-o", "a.xlsx")
    book = openpyxl.load_workbook("a.xlsx")
    sheet, cell = book.defined_names["w_1"].attr_text.split("!")
    book[sheet][cell.replace("$", "")] = -2000
    book.save("b.xlsx")
    result = run("check", "b.xlsx")
    assert result.exit_code == 2 and "overflows" in result.output


@pytest.mark.parametrize(
    "args",
    [
        ["--steps", "3"],
        ["--activations", "tanh,sigmoid", "--steps", "2"],
        ["--layers", "2,3,1", "--activations", "relu,linear", "--loss", "mse"],
        ["--no-bias-update"],
        ["--no-gradcheck"],
        ["mazur", "--steps", "2", "--lr", "0.1"],
        ["--round", "4"],
        ["deep-bce", "--round", "3", "--steps", "2"],
    ],
)
def test_generate_options_then_check(in_tmp, args):
    assert run("generate", *args, "-o", "a.xlsx").exit_code == 0
    verdict = json.loads(run("check", "--json", "a.xlsx").output)
    assert verdict["ok"], verdict["mismatches"][:3]
    assert verdict["compared"] == verdict["formulas"]


def test_frozen_biases_stay(in_tmp):
    run("generate", "--no-bias-update", "-o", "a.xlsx")
    book = openpyxl.load_workbook("a.xlsx")
    ref = book.defined_names["b_1_new"].attr_text.split("!")[1].replace("$", "")
    assert book["Step"][ref].value == "=b_1"


def test_steps_start_from_the_previous_update(in_tmp):
    run("generate", "--steps", "3", "-o", "a.xlsx")
    book = openpyxl.load_workbook("a.xlsx")
    assert book.sheetnames[:4] == ["Givens", "Step", "Step 2", "Step 3"]
    ref = book.defined_names["w_1_s3"].attr_text.split("!")[1].replace("$", "")
    assert book["Step 3"][ref].value == "=w_1_new_s2"  # names are workbook-wide


def test_layers_override_drops_examples_that_no_longer_fit(in_tmp):
    Path("t.toml").write_text(
        "layers = [2, 1, 1]\n[[examples]]\ninputs = [1.0, 0.0]\ntargets = [1.0]\n"
        "[[examples]]\ninputs = [0.0, 1.0]\ntargets = [0.0]\n"
    )
    result = run("generate", "t.toml", "--layers", "3,1,1", "-o", "a.xlsx")
    assert result.exit_code == 0 and "left out" in result.output


def test_round_writes_every_quantity_rounded(in_tmp):
    """A calculator to 4 decimals gives exactly the sheet's numbers."""
    run("generate", "--round", "4", "-o", "a.xlsx")
    book = openpyxl.load_workbook("a.xlsx")
    step = book["Step"]
    formulas = [c.value for c in step["D"] if isinstance(c.value, str) and c.value.startswith("=")]
    assert formulas and all(f.startswith("=ROUND(") and f.endswith(",4)") for f in formulas)


def test_bare_command_prints_the_help():
    result = run()
    assert result.exit_code == 0 and "Commands:" in result.output and "Error" not in result.output
