"""The numpy reference against hand-worked and published numbers, and finite differences."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from worksheet.reference.step import forward, loss_terms, trace_spec, train_step

HAND = 1e-12


def test_hand_worked_2_1_1(workbook_spec):
    t = trace_spec(workbook_spec)
    # z1 = 0.15*0.5 + 0.20*0.3 + 0.35 = 0.485
    assert t.zs[0][0] == pytest.approx(0.485, abs=HAND)
    # h1 = 1/(1+e^-0.485) = 0.6189278548
    assert t.activations[1][0] == pytest.approx(0.6189278548001903, abs=HAND)
    # z2 = 0.40*h1 + 0.60 = 0.8475711419; yhat = 0.7000573860
    assert t.zs[1][0] == pytest.approx(0.8475711419200761, abs=HAND)
    assert t.activations[2][0] == pytest.approx(0.70005738598504, abs=HAND)
    # L = 0.5*(1 - 0.70005738598504)^2 = 0.0449827859
    assert t.loss == pytest.approx(0.04498278585106365, abs=HAND)
    # delta2 = (yhat - y) * yhat(1 - yhat) = -0.0629810630
    assert t.deltas[1][0] == pytest.approx(-0.06298106295444092, abs=HAND)
    # delta1 = delta2 * w3 * h1(1 - h1) = -0.0059417888
    assert t.deltas[0][0] == pytest.approx(-0.005941788799306677, abs=HAND)
    # dL/dw3 = delta2 * h1; w3' = 0.40 - 0.5 * dL/dw3 = 0.4194903671
    assert t.nabla_w[1][0, 0] == pytest.approx(-0.038980734187427854, abs=HAND)
    assert t.new_weights[1][0, 0] == pytest.approx(0.41949036709371396, abs=HAND)
    # dL/dw1 = delta1 * x1, dL/dw2 = delta1 * x2
    assert t.nabla_w[0][0, 0] == pytest.approx(-0.0029708943996533386, abs=HAND)
    assert t.nabla_w[0][0, 1] == pytest.approx(-0.0017825366397920032, abs=HAND)
    assert t.new_loss < t.loss


def test_mazur_published_numbers(mazur_spec):
    """Matt Mazur, 'A Step by Step Backpropagation Example' (numbers as published)."""
    t = trace_spec(mazur_spec)
    published = 1e-8
    assert t.activations[1] == pytest.approx([0.593269992, 0.596884378], abs=published)
    assert t.activations[2] == pytest.approx([0.75136507, 0.772928465], abs=published)
    assert t.loss == pytest.approx(0.298371109, abs=published)
    assert t.new_weights[1].ravel() == pytest.approx(
        [0.35891648, 0.408666186, 0.511301270, 0.561370121], abs=published
    )
    assert t.new_weights[0].ravel() == pytest.approx(
        [0.149780716, 0.19956143, 0.24975114, 0.29950229], abs=published
    )
    # the blame reaching h1 along each path, then its sum: dE_o1/dout_h1, dE_o2/dout_h1
    assert t.dL_da_paths[0][0] == pytest.approx([0.055399425, -0.019049119], abs=published)
    assert t.dL_da[0][0] == pytest.approx(0.036350306, abs=published)


def test_mazur_step_sheet_shows_each_path_of_the_blame(tmp_path):
    """The Step sheet has a cell for each path's share (δ·w) before the sum, with his
    numbers: dE_o1/dout_h1 = 0.055399425, dE_o2/dout_h1 = -0.019049119."""
    from worksheet.evaluator import evaluate, read_book
    from worksheet.model.template import load_template, resolve
    from worksheet.render.generate import generate

    path = tmp_path / "mazur.xlsx"
    generate(resolve(load_template("mazur")).spec, path)
    book = read_book(path)
    values = evaluate(book)
    shown = {n: values[book.name_ref(n)] for n in ("dL_dh_1_via_3", "dL_dh_1_via_4", "dL_dh_1")}
    assert shown == pytest.approx(
        {"dL_dh_1_via_3": 0.055399425, "dL_dh_1_via_4": -0.019049119, "dL_dh_1": 0.036350306},
        abs=1e-8,
    )
    assert book.cells[book.name_ref("dL_dh_1")].formula == "=dL_dh_1_via_3+dL_dh_1_via_4"


def _loss(weights, biases, x, y, kind):
    return loss_terms(kind, y, forward(weights, biases, x)[1][-1]).sum()


networks = st.integers(1, 3).flatmap(
    lambda depth: st.lists(st.integers(1, 3), min_size=depth + 1, max_size=depth + 1)
)


@settings(max_examples=60, deadline=None)
@given(
    layers=networks, seed=st.integers(0, 10_000), kind=st.sampled_from(["half-sse", "mse", "bce"])
)
def test_gradients_match_central_differences(layers, seed, kind):
    rng = np.random.default_rng(seed)
    weights = [rng.uniform(-1, 1, (o, i)) for i, o in zip(layers, layers[1:])]
    biases = [rng.uniform(-1, 1, o) for o in layers[1:]]
    x, y = rng.uniform(0, 1, layers[0]), rng.uniform(0, 1, layers[-1])
    t = train_step(weights, biases, x, y, 0.5, kind)
    eps = 1e-6
    for params, grads in ((weights, t.nabla_w), (biases, t.nabla_b)):
        for p, g in zip(params, grads):
            for idx in np.ndindex(p.shape):
                old = p[idx]
                p[idx] = old + eps
                up = _loss(weights, biases, x, y, kind)
                p[idx] = old - eps
                down = _loss(weights, biases, x, y, kind)
                p[idx] = old
                numeric = (up - down) / (2 * eps)
                assert g[idx] == pytest.approx(numeric, rel=1e-5, abs=1e-9)
