"""Property: for random small networks trained with an optimizer, mini-batches and a softmax
output or not, the workbook (Step and Training sheets) passes ``check``."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from worksheet.errors import SpecError
from worksheet.model.spec import Example, NetworkSpec
from worksheet.render.generate import generate
from worksheet.verify.check import check_file

pytestmark = pytest.mark.slow

two_decimals = st.integers(-150, 150).map(lambda v: v / 100)


@st.composite
def specs(draw) -> NetworkSpec:
    softmax = draw(st.booleans())
    n_out = draw(st.integers(2, 4)) if softmax else draw(st.integers(1, 3))
    layers = (draw(st.integers(1, 3)), draw(st.integers(1, 3)), n_out)
    weights = tuple(
        tuple(tuple(draw(two_decimals) for _ in range(i)) for _ in range(o))
        for i, o in zip(layers, layers[1:])
    )
    biases = tuple(tuple(draw(two_decimals) for _ in range(o)) for o in layers[1:])
    examples = []
    for _ in range(draw(st.integers(1, 4))):
        inputs = tuple(draw(two_decimals) for _ in range(layers[0]))
        if softmax:
            hot = draw(st.integers(0, n_out - 1))
            targets = tuple(float(j == hot) for j in range(n_out))
        else:
            targets = tuple(draw(st.integers(0, 100)) / 100 for _ in range(n_out))
        examples.append(Example(inputs, targets))
    return NetworkSpec(
        layers, weights, biases, tuple(examples),
        loss="ce" if softmax else draw(st.sampled_from(["half-sse", "mse", "bce"])),
        learning_rate=draw(st.sampled_from([0.01, 0.1, 0.5])),
        activations=(draw(st.sampled_from(["sigmoid", "tanh", "relu"])),
                     "softmax" if softmax else "sigmoid"),
        steps=draw(st.integers(1, 3)),
        epochs=draw(st.integers(0, 4)),
        batch_size=draw(st.integers(1, len(examples))),
        optimizer=draw(st.sampled_from(["sgd", "momentum", "rmsprop", "adam"])),
        beta1=draw(st.sampled_from([0.0, 0.5, 0.9])),
        beta2=draw(st.sampled_from([0.9, 0.999])),
    )  # fmt: skip


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(spec=specs())
def test_trained_workbooks_check(spec):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "p.xlsx"
        try:
            generate(spec, path)
        except SpecError:  # a network a spreadsheet cannot compute is refused, not written
            return
        report = check_file(path)
        assert report.ok, (spec, report.mismatches)
