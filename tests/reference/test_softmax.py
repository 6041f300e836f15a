"""A softmax output layer with cross-entropy: a step against numpy written here, the δ cells
against ŷ − y, the overflow-safe exponentials, the gradient check and bad combinations."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import run

from worksheet.errors import SpecError
from worksheet.evaluator import evaluate, read_book
from worksheet.model.spec import Example, NetworkSpec
from worksheet.model.template import Overrides, load_template, resolve
from worksheet.render.generate import generate
from worksheet.verify.check import check_file

W1 = ((0.1, -0.3), (0.4, 0.2), (-0.5, 0.6))
W2 = ((0.3, -0.2, 0.5), (-0.4, 0.1, 0.2), (0.25, 0.35, -0.15))
B1, B2 = (0.1, -0.1, 0.05), (0.2, -0.3, 0.1)


def three_class(**settings) -> NetworkSpec:
    base = {
        "layers": (2, 3, 3),
        "weights": (W1, W2),
        "biases": (B1, B2),
        "examples": (Example((0.5, -0.8), (0.0, 1.0, 0.0)),),
        "activations": ("tanh", "softmax"),
        "loss": "ce",
        "learning_rate": 0.5,
    }
    return NetworkSpec(**{**base, **settings})


def by_hand(x, y):
    """Forward and δ of the 2-3-3 tanh-softmax network, from the textbook formulas."""
    h = np.tanh(np.array(W1) @ x + B1)
    z = np.array(W2) @ h + B2
    p = np.exp(z) / np.exp(z).sum()
    loss = -(y * np.log(p)).sum()
    delta2 = p - y
    delta1 = (np.array(W2).T @ delta2) * (1 - h**2)
    return z, p, loss, delta2, np.outer(delta1, x)


def test_a_softmax_step_matches_numpy_and_its_deltas_equal_yhat_minus_y(tmp_path):
    spec = three_class()
    generate(spec, tmp_path / "s.xlsx")
    book = read_book(tmp_path / "s.xlsx")
    values = evaluate(book)

    def cell(name):
        return values[book.name_ref(name)]

    x, y = np.array([0.5, -0.8]), np.array([0.0, 1.0, 0.0])
    z, p, loss, delta2, grad_w1 = by_hand(x, y)
    got_p = [cell(f"yhat_{j}") for j in (1, 2, 3)]
    np.testing.assert_allclose(got_p, p, rtol=1e-12)
    assert cell("L_total") == pytest.approx(loss, rel=1e-12)
    assert cell("z_max") == pytest.approx(max(z), rel=1e-15)
    for j, k in enumerate((4, 5, 6)):  # the output neurons are 4, 5, 6
        assert cell(f"delta_{k}") == pytest.approx(delta2[j], rel=1e-9, abs=1e-15)
        assert cell(f"delta_{k}_shortcut") == pytest.approx(got_p[j] - y[j], abs=1e-15)
    assert cell("dL_dw_1") == pytest.approx(grad_w1[0, 0], rel=1e-9)
    assert abs(cell("dL_dw_7_reldiff")) < 1e-6  # the gradient check covers softmax
    assert check_file(tmp_path / "s.xlsx").ok


def test_huge_weighted_sums_do_not_overflow(tmp_path):
    """z near 800: EXP(800) is #NUM!, EXP(z − z_max) is not."""
    spec = NetworkSpec(
        layers=(1, 2),
        weights=(((800.0,), (790.0,)),),
        biases=((0.0, 0.0),),
        examples=(Example((1.0,), (1.0, 0.0)),),
        activations=("softmax",),
        loss="ce",
        gradcheck=False,
    )
    generate(spec, tmp_path / "big.xlsx")
    report = check_file(tmp_path / "big.xlsx")
    assert report.ok, report.mismatches


@pytest.mark.parametrize(
    ("settings", "fragment"),
    [
        ({"loss": "half-sse"}, "cross-entropy \\(ce\\) and a softmax output layer go together"),
        ({"activations": ("tanh", "sigmoid")}, "go together"),
        (
            {"layers": (2, 3, 1), "weights": (W1, (W2[0],)), "biases": (B1, (0.1,)),
             "examples": (Example((0.5, -0.8), (1.0,)),)},
            "softmax needs 2 to 4 outputs, got 1",
        ),
        ({"examples": (Example((0.5, -0.8), (0.0, 1.5, -0.5)),)}, "targets in \\[0, 1\\]"),
    ],
)  # fmt: skip
def test_bad_softmax_combinations(settings, fragment):
    with pytest.raises(SpecError, match=fragment):
        three_class(**settings)


def test_targets_must_be_a_distribution():
    data = {**load_template("classic"), "layers": [2, 2, 3], "activations": ["tanh", "softmax"],
            "loss": "ce"}  # fmt: skip
    data.pop("weights", None), data.pop("biases", None)
    bad = Overrides(inputs=(0.1, 0.2), targets=(0.5, 0.4, 0.4))
    with pytest.raises(SpecError, match="one-hot targets or probabilities summing to 1"):
        resolve(data, bad)
    assert resolve(data, Overrides(inputs=(0.1, 0.2), targets=(0.2, 0.3, 0.5))).spec.loss == "ce"


def test_a_student_copy_blanks_the_softmax_cells(in_tmp):
    made = run("generate", "--layers", "2,3", "--activations", "softmax", "--loss", "ce",
               "--targets", "0,0,1", "--student", "--blank", "forward,backward")  # fmt: skip
    assert made.exit_code == 0, made.output
    graded = run("grade", "output/backprop-student.xlsx", "--key", "output/backprop-key.xlsx")
    assert "exp_z_1" in graded.output or "z_max" in graded.output
    assert "blank" in graded.output
