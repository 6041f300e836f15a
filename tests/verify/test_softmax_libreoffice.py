"""LibreOffice Calc recalculates softmax Step sheets (with the gradient check) and must agree
with numpy to 1e-9, for each hidden activation and optimizer."""

from __future__ import annotations

import pytest
from test_optimizer_libreoffice import recalculated_agrees

from worksheet.model.template import Overrides, load_template, resolve

pytestmark = pytest.mark.libreoffice

SOFTMAX = {"loss": "ce", "inputs": (0.3, -0.6)}
CASES = [
    Overrides(layers=(2, 3, 3), activations=("tanh", "softmax"), targets=(0, 1, 0), **SOFTMAX),
    Overrides(layers=(2, 2, 2), activations=("sigmoid", "softmax"), targets=(0.3, 0.7), steps=3,
              **SOFTMAX),
    Overrides(layers=(2, 4, 4), activations=("relu", "softmax"), targets=(0, 0, 0, 1),
              optimizer="adam", steps=2, **SOFTMAX),
]  # fmt: skip


@pytest.mark.parametrize("overrides", CASES)
def test_libreoffice_agrees_on_softmax_steps(tmp_path, overrides):
    recalculated_agrees(tmp_path, resolve(load_template("classic"), overrides).spec)
