"""Where Excel and LibreOffice compute one formula differently: noted, and computed both ways."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run
from test_evaluator_engine import book_of

from worksheet.evaluator import CellRef, dialect
from worksheet.evaluator.dialect import LIBREOFFICE
from worksheet.evaluator.engine import Evaluation

A1 = CellRef("Step", 1, 1)


@pytest.mark.parametrize(
    ("formula", "excel", "libreoffice"),
    [
        # 0.075000000000000011 - 0.075: noise Excel keeps inside a formula
        ("=0.75*0.1+-0.25*0.3+0", 1.3877787807814457e-17, 0.0),
        ("=(0.75*0.1-0.25*0.3)*2", 2.7755575615628914e-17, 0.0),
        # 0.49999999999999994 shows as 0.5 to 15 digits: Excel rounds that, LibreOffice the double
        ("=ROUND(0.49999999999999994,0)", 1.0, 0.0),
        # LibreOffice's SUM adds with compensation and cancels: 4 in order, 0 there
        ("=SUM(1E16,3,-1E16)", 4.0, 0.0),
        ("=AVERAGE(1E16,3,-1E16)", 4.0 / 3, 0.0),
        # and floors MOD's quotient rounded to 15 digits (2.9999999999999996 is 3)
        ("=MOD(0.3,0.1)", 0.09999999999999998, 0.0),
    ],
)
def test_noted_and_computed_both_ways(formula, excel, libreoffice):
    book = book_of({"A1": formula})
    dialect.forget()
    assert Evaluation(book).run()[A1] == excel
    assert dialect.noted()
    assert Evaluation(book, LIBREOFFICE).run()[A1] == libreoffice


@pytest.mark.parametrize(
    "formula",
    [
        "=0.1+0.2-0.3",
        "=0.5*0.5+0.25",
        "=ROUND(2.5,0)",
        "=ROUND(2.675,2)",
        "=1-1",
        "=SUM(0.1,0.2,0.3)",  # an ulp apart at most: the same number to both
        "=MOD(7,4)",
    ],
)
def test_what_both_compute_alike_is_not_noted(formula):
    """The last operation cancels in both; exact zeros and true ties are no noise."""
    book = book_of({"A1": formula})
    dialect.forget()
    value = Evaluation(book).run()[A1]
    assert not dialect.noted()
    assert Evaluation(book, LIBREOFFICE).run()[A1] == pytest.approx(value, rel=1e-15)


TEMPLATE = """title = "{title}"
layers = [2, 1, 1]
loss = "half-sse"
activations = ["{activation}", "sigmoid"]
learning_rate = 0.5
weights = [[[{w1}, {w2}]], [[0.5]]]
biases = [[{b1}], [0.1]]
{extra}
[[examples]]
inputs = [0.1, 0.3]
targets = [1.0]
"""


@pytest.mark.parametrize(
    ("activation", "w1", "w2", "b1", "extra"),
    [
        ("relu", 0.75, -0.25, 0.0, ""),  # z₁ = 0 on paper, 1.4e-17 in IEEE: ReLU′ 1 or 0
        ("sigmoid", -1.5, 1.5, 0.2, "round = 0"),  # z₁ = 0.5 on paper: ROUND gives 1 or 0
    ],
    ids=["relu-at-its-kink", "round-tie"],
)
def test_a_workbook_the_two_compute_apart_is_refused(tmp_path: Path, activation, w1, w2, b1, extra):
    template = tmp_path / "kink.toml"
    template.write_text(
        TEMPLATE.format(title="At a kink", activation=activation, w1=w1, w2=w2, b1=b1, extra=extra)
    )
    made = run("generate", str(template), "-o", str(tmp_path / "kink.xlsx"))
    assert made.exit_code == 0, made.output
    result = run("check", str(tmp_path / "kink.xlsx"))
    assert result.exit_code == 2, result.output
    assert "Excel and LibreOffice compute Step!D" in result.output


def test_a_gradient_check_of_a_zero_gradient_is_not_refused(tmp_path: Path):
    """A numerical gradient of a gradient that is 0 is cancellation noise in both: its
    relative difference reads 1 in Excel and 0 in LibreOffice, both within the slack the
    check holds those cells to (a case property testing found)."""
    template = tmp_path / "flat.toml"
    template.write_text(
        'title = "Flat"\nlayers = [1, 2, 2]\nloss = "ce"\nlearning_rate = 0.01\n'
        'activations = ["tanh", "softmax"]\n'
        "weights = [[[0.0], [0.0]], [[0.0, 0.01], [0.0, 0.01]]]\n"
        "biases = [[0.0, 0.0], [0.5, 0.02]]\n"
        "[[examples]]\ninputs = [0.0]\ntargets = [0.0, 1.0]\n"
    )
    made = run("generate", str(template), "-o", str(tmp_path / "flat.xlsx"))
    assert made.exit_code == 0, made.output
    dialect.forget()
    result = run("check", str(tmp_path / "flat.xlsx"))
    assert result.exit_code == 0, result.output
    assert dialect.noted()  # the noise is there: it is judged, not missed


def test_a_negative_base_to_a_tiny_power_is_an_error_not_a_crash():
    """(w-2)^EXP(-713): 1/y is infinite, no odd root; #NUM!, as Excel shows."""
    book = book_of({"A1": "=(0.25-2)^EXP(-713)"})
    assert str(Evaluation(book).run()[A1]) == "#NUM!"


def test_a_last_operation_cancelled_is_counted_and_kept_in_ieee_arithmetic():
    """Spreadsheets make =0.1+0.2-0.3 exactly 0; numpy (IEEE) keeps 5.55e-17."""
    book = book_of({"A1": "=0.1+0.2-0.3"})
    dialect.forget()
    assert Evaluation(book).run()[A1] == 0.0
    assert dialect.cancelled() == 1
    assert Evaluation(book, dialect.IEEE).run()[A1] == 0.1 + 0.2 - 0.3 != 0


def test_a_workbook_spreadsheets_and_numpy_compute_apart_is_refused(tmp_path: Path):
    """An honest 2-4-1 ReLU network (the engine sweep's seed 288) whose z₄ = −0.24 − 0.43 +
    0.67 is 0 in every spreadsheet and 1.1e-16 in numpy: its ReLU slope 0 or 1, and every
    later cell of neuron 4 apart.  It was a MISMATCH (exit 1) of a file generate wrote."""
    path = tmp_path / "c288.xlsx"
    args = ["--layers", "2,4,1", "--activations", "relu,sigmoid", "--inputs", "1,1"]
    made = run("generate", "classic", *args, "--seed", "288", "-o", str(path))
    assert made.exit_code == 0, made.output
    # generate checks such a small book as it writes it, and says what check will say
    assert "note: check will refuse this workbook: a sum that is 0 on paper" in made.stderr
    result = run("check", str(path))
    assert result.exit_code == 2, result.output
    assert "0 on paper is 0 in a spreadsheet and rounding noise in numpy" in result.output


def test_generate_checks_only_what_could_be_ambiguous(tmp_path: Path):
    """A sigmoid network has no slope that jumps: generate does not check it (speed)."""
    made = run("generate", "-o", str(tmp_path / "plain.xlsx"))
    assert made.exit_code == 0 and "note: check will refuse" not in made.stderr
    made = run("generate", "--activations", "relu,sigmoid", "-o", str(tmp_path / "relu.xlsx"))
    assert made.exit_code == 0 and "note: check will refuse" not in made.stderr


@pytest.mark.parametrize("arithmetic", ["excel", "libreoffice", "ieee"])
@pytest.mark.parametrize(
    "formula", ["=SUM(1E308,1E308)", "=AVERAGE(1E308,1E308,-1E308)", "=MOD(1E308,1E-308)"]
)
def test_sums_and_remainders_beyond_a_double_are_errors_in_every_arithmetic(formula, arithmetic):
    """LibreOffice's compensated sum overflowed inside math.fsum: an error value, no crash."""
    value = Evaluation(book_of({"A1": formula}), arithmetic).run()[A1]
    assert isinstance(value, float) or str(value) == "#NUM!"
