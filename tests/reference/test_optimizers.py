"""Momentum, RMSProp and Adam: the numpy reference against a re-implementation written here
from the papers (scalar loops, PyTorch's order of operations), and the Step sheets checked."""

from __future__ import annotations

import math

import numpy as np
import pytest
from conftest import run

from worksheet.errors import SpecError
from worksheet.model.spec import Example, NetworkSpec
from worksheet.model.topology import Topology
from worksheet.reference.step import trace_steps
from worksheet.render.generate import generate
from worksheet.sheets.step_rows import step_rows
from worksheet.verify.check import check_file

HYPER = {"beta1": 0.8, "beta2": 0.95, "eps_opt": 1e-6}


def mazur(**settings) -> NetworkSpec:
    return NetworkSpec(
        layers=(2, 2, 2),
        weights=(((0.15, 0.2), (0.25, 0.3)), ((0.4, 0.45), (0.5, 0.55))),
        biases=((0.35, 0.35), (0.6, 0.6)),
        examples=(Example((0.05, 0.1), (0.01, 0.99)), Example((0.9, 0.2), (0.7, 0.2))),
        **settings,
    )


def by_hand(kind: str, params: list[float], grads: list[list[float]], eta: float, h: dict):
    """Each scalar parameter through ``len(grads)`` steps, one loop per parameter."""
    out = []
    for i, p in enumerate(params):
        v = s = m = 0.0
        for t, g in enumerate((step[i] for step in grads), 1):
            if kind == "momentum":
                v = h["beta1"] * v + g
                p -= eta * v
            elif kind == "rmsprop":
                s = h["beta2"] * s + (1 - h["beta2"]) * g * g
                p -= eta * g / (math.sqrt(s) + h["eps_opt"])
            else:
                m = h["beta1"] * m + (1 - h["beta1"]) * g
                v = h["beta2"] * v + (1 - h["beta2"]) * g * g
                m_hat, v_hat = m / (1 - h["beta1"] ** t), v / (1 - h["beta2"] ** t)
                p -= eta * m_hat / (math.sqrt(v_hat) + h["eps_opt"])
        out.append(p)
    return out


def flat(arrays) -> list[float]:
    return [float(v) for a in arrays for v in np.ravel(a)]


@pytest.mark.parametrize("kind", ["momentum", "rmsprop", "adam"])
def test_steps_chain_the_state_as_written_by_hand(kind):
    spec = mazur(optimizer=kind, steps=6, learning_rate=0.3, **HYPER)
    traces = trace_steps(spec)
    grads = [flat(t.nabla_w + t.nabla_b) for t in traces]
    start = flat(traces[0].weights + traces[0].biases)
    want = by_hand(kind, start, grads, 0.3, HYPER)
    got = flat(traces[-1].new_weights + traces[-1].new_biases)
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-15)
    assert [t.moves.state.t for t in traces] == [1, 2, 3, 4, 5, 6]


def test_defaults_follow_the_optimizer():
    assert (mazur(optimizer="adam").beta1, mazur(optimizer="adam").beta2) == (0.9, 0.999)
    assert mazur(optimizer="rmsprop").beta2 == 0.9 and mazur().eps_opt == 1e-8


@pytest.mark.parametrize(
    ("settings", "fragment"),
    [
        ({"optimizer": "adagrad"}, "optimizer = adagrad: unknown optimizer"),
        ({"optimizer": "adam", "beta1": 1.0}, r"beta1 = 1: β₁, a decay factor, must be in \[0, 1\)"),
        ({"optimizer": "adam", "beta2": -0.1}, r"beta2 = -0.1: β₂, a decay factor, must be in \[0, 1\)"),
        ({"optimizer": "adam", "eps_opt": -1e-8}, "eps_opt = -1e-8: the optimizer's ε must be greater than 0"),
        ({"optimizer": "momentum", "round_digits": 4, "gradcheck": False}, "round = 4: the momentum sheets are not rounded"),
    ],
)
def test_bad_optimizer_settings(settings, fragment):
    with pytest.raises(SpecError, match=fragment):
        mazur(**settings)


def test_adam_rows_state_the_rule():
    rows = {r.symbol.name: r for r in step_rows(Topology((2, 1, 1)), "half-sse", optimizer="adam")}
    assert rows["t_adam_new"].formula == "=t_adam+1"
    assert rows["m_w_1_new"].formula == "=beta_1*m_w_1+(1-beta_1)*dL_dw_1"
    assert rows["v_w_1_new"].formula == "=beta_2*v_w_1+(1-beta_2)*dL_dw_1^2"
    assert rows["mhat_w_1"].formula == "=m_w_1_new/(1-beta_1^t_adam_new)"
    assert rows["w_1_new"].formula == "=w_1-eta*mhat_w_1/(SQRT(vhat_w_1)+eps_opt)"
    assert rows["w_1_new"].maths == "w₁′ = w₁ − η·m̂(w₁) / (√v̂(w₁) + ε)"


MATRIX = [
    (kind, activations, loss)
    for kind in ("momentum", "rmsprop", "adam")
    for activations, loss in ((("sigmoid", "sigmoid"), "half-sse"), (("tanh", "linear"), "mse"),
                              (("relu", "sigmoid"), "bce"))
]  # fmt: skip


@pytest.mark.slow
@pytest.mark.parametrize(("kind", "activations", "loss"), MATRIX)
def test_step_sheets_check(tmp_path, kind, activations, loss):
    spec = mazur(optimizer=kind, activations=activations, loss=loss, steps=3, **HYPER)
    generate(spec, tmp_path / "book.xlsx")
    report = check_file(tmp_path / "book.xlsx")
    assert report.ok, report.mismatches


def test_frozen_biases_keep_no_state(tmp_path):
    spec = mazur(optimizer="adam", update_biases=False, steps=2)
    rows = [r.symbol.name for r in step_rows(Topology((2, 2, 2)), "half-sse", None, False, None,
                                               "adam")]  # fmt: skip
    assert "m_w_1_new" in rows and not any(name.startswith("m_b") for name in rows)
    generate(spec, tmp_path / "book.xlsx")
    assert check_file(tmp_path / "book.xlsx").ok


def test_a_student_copy_blanks_the_optimizer_update(in_tmp):
    made = run("generate", "mazur", "--optimizer", "adam", "--student", "--blank", "update")
    assert made.exit_code == 0, made.output
    graded = run("grade", "output/backprop-student.xlsx", "--key", "output/backprop-key.xlsx")
    assert "m_w_1_new" in graded.output and "t_adam_new" in graded.output


@pytest.mark.parametrize(
    "options",
    [
        ("--compare-optimizers", "sgd,adam"),
        ("--optimizer", "rmsprop", "--batch-size", "2"),
    ],
)
def test_student_copies_of_trained_workbooks_check(in_tmp, options):
    """A handout drops the training sheets: what they needed must not break its key."""
    made = run("generate", "xor", "--epochs", "3", *options, "--student")
    assert made.exit_code == 0, made.output
    checked = run("check", "output/backprop-key.xlsx")
    assert checked.exit_code == 0, checked.output
