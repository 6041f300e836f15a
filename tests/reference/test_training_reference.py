"""The training reference (numpy) and the Training table's formula text, without a workbook."""

from __future__ import annotations

import numpy as np
import pytest

from worksheet.errors import SpecError
from worksheet.model.spec import Example, NetworkSpec
from worksheet.reference.step import train_step
from worksheet.reference.training import assert_trainable, train
from worksheet.sheets.training_table import FIRST_ROW, table

XOR = tuple(Example((a, b), (float(a != b),)) for a in (0.0, 1.0) for b in (0.0, 1.0))


def tiny(**settings) -> NetworkSpec:
    """2-1-1 on two examples: small enough to read every formula."""
    examples = (Example((0.5, 0.3), (1.0,)), Example((0.1, 0.9), (0.0,)))
    return NetworkSpec(
        layers=(2, 1, 1),
        weights=(((0.15, 0.20),), ((0.40,),)),
        biases=((0.35,), (0.60,)),
        **{"examples": examples, "epochs": 2, **settings},
    )


def test_stochastic_rows_chain_train_step():
    spec = tiny(epochs=3)
    run = train(spec)
    assert len(run.updates) == 6
    weights, biases = spec.weights, spec.biases
    for u, row in enumerate(run.updates):
        example = spec.examples[u % 2]  # row u (0-based) trains on example u mod N
        step = train_step(weights, biases, example.inputs, example.targets, 0.5, "half-sse")
        assert row.loss == step.loss
        np.testing.assert_array_equal(row.weights[0], step.weights[0])
        weights, biases = step.new_weights, step.new_biases
    np.testing.assert_array_equal(run.final[0][1], weights[1])


def test_batch_applies_the_mean_gradient():
    spec = tiny(batch=True)
    run = train(spec)
    assert len(run.updates) == 2  # one per epoch
    first = run.updates[0]
    steps = [
        train_step(spec.weights, spec.biases, e.inputs, e.targets, 0.5, "half-sse")
        for e in spec.examples
    ]
    mean_w = (steps[0].nabla_w[0] + steps[1].nabla_w[0]) / 2
    np.testing.assert_allclose(first.nabla_w[0], mean_w, rtol=1e-15)
    assert first.loss == pytest.approx((steps[0].loss + steps[1].loss) / 2, rel=1e-15)
    np.testing.assert_allclose(run.updates[1].weights[0], steps[0].weights[0] - 0.5 * mean_w)


def test_one_example_batch_is_stochastic():
    one = (Example((0.5, 0.3), (1.0,)),)
    stochastic = train(tiny(examples=one, epochs=5))
    batch = train(tiny(examples=one, epochs=5, batch=True))
    np.testing.assert_allclose(stochastic.final[0][0], batch.final[0][0], rtol=1e-15)


def test_frozen_biases_stay():
    run = train(tiny(update_biases=False, epochs=4))
    assert run.final[1][0][0] == 0.35 and run.final[1][1][0] == 0.60
    assert run.final[0][0][0, 0] != 0.15  # the weights still learn


def test_overflow_is_refused_naming_the_update():
    spec = NetworkSpec(
        layers=(1, 1),
        weights=(((1.0,),),),
        biases=((0.0,),),
        examples=(Example((-800.0,), (1.0,)),),  # z = -800: EXP(800) overflows
        epochs=1,
    )
    with pytest.raises(SpecError, match="update 1: .*EXP overflows"):
        assert_trainable(spec, train(spec))


def _broken(run, u: int, slot: int, fault: str):
    """``run`` with trace ``slot`` of update ``u`` (1-based) given ``fault``."""
    from dataclasses import replace

    row = run.updates[u - 1]
    trace = row.traces[slot]
    if fault == "exp":  # a weighted sum of -800 into a sigmoid
        trace = replace(trace, zs=[np.full_like(trace.zs[0], -800.0), *trace.zs[1:]])
    elif fault == "bce":  # a prediction of exactly 1
        trace = replace(trace, activations=[*trace.activations[:-1], np.ones(1)])
    elif fault == "loss":
        trace = replace(trace, loss=float("nan"))
    else:  # an infinite delta in the first layer
        trace = replace(trace, deltas=[np.full_like(trace.deltas[0], np.inf), *trace.deltas[1:]])
    traces = [*row.traces[:slot], trace, *row.traces[slot + 1 :]]
    updates = list(run.updates)
    updates[u - 1] = replace(row, traces=traces)
    return replace(run, updates=updates)


@pytest.mark.parametrize("fault", ["exp", "bce", "loss", "delta"])
@pytest.mark.parametrize("batch, u, slot", [(False, 1, 0), (False, 7, 0), (True, 3, 1)])
def test_the_refusal_names_the_first_update_the_one_by_one_scan_names(
    monkeypatch, fault, batch, u, slot
):
    """``assert_trainable`` tests every trace at once first: it must refuse as the scan of
    each row in turn (its second part, from the first row) does, naming the same update."""
    from worksheet.reference import training

    spec = tiny(examples=XOR, epochs=8, batch=batch, loss="bce" if fault == "bce" else "half-sse")
    run = _broken(_broken(train(spec), u, slot, fault), u + 1, 0, "exp")
    with pytest.raises(SpecError) as fast:
        assert_trainable(spec, run)
    assert fast.value.args[0].startswith(f"update {u}: ")
    monkeypatch.setattr(training, "_first_suspect", lambda spec, run: 0)
    with pytest.raises(SpecError) as scanned:
        assert_trainable(spec, run)
    assert fast.value.args[0] == scanned.value.args[0]


# The first two rows of the 2-1-1 table, by hand: columns A update, B example, C-D inputs,
# E target, F-H weights, I-J biases, K z1, L h1, M z2, N yhat1, O L1, P L, Q the epoch mean,
# R delta2 (output first: the backward pass), S delta1, T-V dL/dw, W-X dL/db.
FIRST_ROWS = [
    ("A", "=1", "=A4+1"),
    ("B", "=MOD(A4-1,2)+1", "=MOD(A5-1,2)+1"),
    ("C", "=x_1", "=x_1_ex2"),
    ("E", "=y_1", "=y_1_ex2"),
    ("F", "=w_1", "=F4-eta*T4"),
    ("I", "=b_1", "=I4-eta*W4"),
    ("K", "=F4*C4+G4*D4+I4", "=F5*C5+G5*D5+I5"),
    ("L", "=1/(1+EXP(-K4))", "=1/(1+EXP(-K5))"),
    ("M", "=H4*L4+J4", "=H5*L5+J5"),
    ("O", "=0.5*(E4-N4)^2", "=0.5*(E5-N5)^2"),
    ("P", "=O4", "=O5"),
    ("Q", "=(P4)/1", "=(P4+P5)/2"),
    ("R", "=(N4-E4)*(N4*(1-N4))", "=(N5-E5)*(N5*(1-N5))"),
    ("S", "=(R4*H4)*(L4*(1-L4))", "=(R5*H5)*(L5*(1-L5))"),
    ("T", "=S4*C4", "=S5*C5"),
    ("V", "=R4*L4", "=R5*L5"),
    ("X", "=R4", "=R5"),
]


@pytest.mark.parametrize("letter, first, second", FIRST_ROWS)
def test_table_formulas_by_hand(letter, first, second):
    spec = tiny()
    rows = list(table(spec).rows())
    col = ord(letter) - ord("A")
    assert (rows[0][col], rows[1][col]) == (first, second)


def test_epoch_mean_averages_the_last_epoch_of_losses():
    spec = tiny(examples=XOR, epochs=2)  # 4 examples: windows of 1, 2, 3, then 4 rows
    t = table(spec)
    col = t.col(("Lbar",)) - 1
    means = [row[col] for row in t.rows()]
    assert means[:5] == [
        "=(P4)/1",
        "=(P4+P5)/2",
        "=(P4+P5+P6)/3",
        "=(P4+P5+P6+P7)/4",
        "=(P5+P6+P7+P8)/4",
    ]
    assert t.smooth == ("Lbar",) and table(tiny(batch=True)).smooth == ("L",)


def test_frozen_bias_column_copies_the_row_above():
    rows = list(table(tiny(update_biases=False)).rows())
    assert rows[1][8] == "=I4"


def test_sweep_run_updates_with_its_own_rate():
    rows = list(table(tiny(), "eta_run2").rows())
    assert rows[1][5] == "=F4-eta_run2*T4"


def test_end_row_holds_only_the_parameters():
    t = table(tiny())
    assert t.end_row == FIRST_ROW + 4
    end = t.end()
    assert end[0] == "end" and end[5] == "=F7-eta*T7"
    assert [c for c in end[1:] if c is not None] == end[5:10]


@pytest.mark.parametrize(
    "kinds, a_formula, slope",
    [
        (("tanh", "sigmoid"), "=TANH(K4)", "(1-L4^2)"),
        (("relu", "sigmoid"), "=MAX(0,K4)", "(IF(K4>0,1,0))"),
    ],
)
def test_hidden_activations_use_the_step_sheet_formulas(kinds, a_formula, slope):
    rows = list(table(tiny(activations=kinds)).rows())
    assert rows[0][11] == a_formula
    assert rows[0][18].endswith("*" + slope)  # S: the hidden neuron's delta


def test_batch_columns_average_over_the_examples():
    t = table(tiny(batch=True))
    head = [c.symbol.text for c in t.columns]
    assert head[:6] == ["update", "w₁", "w₂", "w₃", "b₁", "b₂"]
    assert "z₁⁽²⁾" in head and "δ₂⁽¹⁾" in head
    row = dict(zip(head, next(iter(t.rows()))))
    assert row["z₁⁽²⁾"] == "=B4*x_1_ex2+C4*x_2_ex2+E4"
    assert row["L"].endswith(")/2") and row["∂L/∂b₁"].endswith(")/2")
