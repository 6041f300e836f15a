"""LibreOffice Calc recalculates the training sheets and must agree with numpy to 1e-9.

Skipped when ``soffice`` is not installed; ``.ci/run`` installs it.
"""

from __future__ import annotations

import pytest
from test_training import save, three_class, two_out, xor_spec

from worksheet.evaluator import read_book
from worksheet.export.libreoffice import convert
from worksheet.verify.compare import agree
from worksheet.verify.training_expected import expected_cells

pytestmark = pytest.mark.libreoffice

CASES = {
    "stochastic with a sweep": xor_spec(epochs=25, lr_sweep=(0.5, 4.0)),
    "batch, tanh, frozen biases": xor_spec(
        epochs=40, batch=True, activations=("tanh", "sigmoid"), update_biases=False
    ),
    "bce, relu, two outputs": two_out(loss="bce", activations=("relu", "sigmoid"), epochs=30),
    "mini-batches of 3, tanh": xor_spec(epochs=20, batch_size=3, activations=("tanh", "sigmoid")),
    "softmax, three classes, momentum": three_class(epochs=30, optimizer="momentum"),
}


@pytest.mark.parametrize("spec", CASES.values(), ids=CASES.keys())
def test_libreoffice_recalculation_matches_numpy(tmp_path, spec):
    source, _ = save(tmp_path, spec)
    book = read_book(convert(source, tmp_path / "lo"))
    expected = expected_cells(spec)
    wrong = {
        label: (want, book.cells[ref].value if ref in book.cells else None)
        for ref, (label, want, _) in expected.items()
        if ref not in book.cells or not agree(want, book.cells[ref].value)
    }
    assert wrong == {}
