"""Property: for random small networks, the workbook as evaluated equals numpy."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from worksheet.model.spec import Example, NetworkSpec
from worksheet.render.generate import generate
from worksheet.verify.check import check_file

pytestmark = pytest.mark.slow

two_decimals = st.integers(-150, 150).map(lambda v: v / 100)


@st.composite
def specs(draw) -> NetworkSpec:
    hidden = draw(st.lists(st.integers(1, 4), min_size=0, max_size=3))
    layers = (draw(st.integers(1, 4)), *hidden, draw(st.integers(1, 4)))
    weights = tuple(
        tuple(tuple(draw(two_decimals) for _ in range(i)) for _ in range(o))
        for i, o in zip(layers, layers[1:])
    )
    biases = tuple(tuple(draw(two_decimals) for _ in range(o)) for o in layers[1:])
    loss = draw(st.sampled_from(["half-sse", "mse", "bce"]))
    inputs = tuple(draw(two_decimals) for _ in range(layers[0]))
    targets = tuple(draw(st.integers(0, 100)) / 100 for _ in range(layers[-1]))
    eta = draw(st.sampled_from([0.01, 0.1, 0.5, 1.0, 3.0]))
    return NetworkSpec(layers, weights, biases, (Example(inputs, targets),), loss, eta)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(spec=specs())
def test_evaluated_workbook_equals_numpy(spec):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "p.xlsx"
        generate(spec, path)
        report = check_file(path)
    assert report.ok, report.mismatches
    assert report.compared == report.formulas
