"""LibreOffice Calc recalculates the optimizers' sheets and must agree with numpy to 1e-9:
a matrix of optimizer × activations × loss on the Step sheets, and Training runs."""

from __future__ import annotations

import pytest

from worksheet.evaluator import CellRef, read_book
from worksheet.export.libreoffice import convert
from worksheet.model.template import Overrides, load_template, resolve
from worksheet.model.topology import Topology
from worksheet.render.generate import generate
from worksheet.sheets.summary import SUMMARY, Summary
from worksheet.sheets.training import TRAINING
from worksheet.sheets.training_table import table
from worksheet.verify.check import check_file
from worksheet.verify.compare import agree
from worksheet.verify.expectations import expectations

pytestmark = pytest.mark.libreoffice

CASES = [
    ("mazur", Overrides(optimizer="momentum", steps=3, beta1=0.5)),
    ("mazur", Overrides(optimizer="rmsprop", steps=2, activations=("tanh", "linear"), loss="mse")),
    ("classic", Overrides(optimizer="adam", steps=3, activations=("relu", "sigmoid"), loss="bce")),
    ("two-hidden", Overrides(optimizer="adam", steps=2, update_biases=False, eps_opt=1e-3)),
    # the Training sheet, with the state columns after the gradients
    ("xor", Overrides(optimizer="momentum", epochs=30, beta1=0.8)),
    ("xor", Overrides(optimizer="rmsprop", epochs=25, batch=True, activations=("tanh", "sigmoid"))),
    ("xor", Overrides(optimizer="adam", epochs=40, batch_size=3, learning_rate=0.1)),
    ("xor", Overrides(epochs=20, compare_optimizers=("sgd", "momentum", "rmsprop", "adam"))),
    ("xor", Overrides(epochs=20, optimizer="adam", lr_sweep=(0.05, 0.2))),
    # β₁ᵗ = 0.5ᵗ is below the smallest double after 1,075 updates: POWER would be #NUM!
    ("xor", Overrides(optimizer="adam", epochs=300, beta1=0.5, learning_rate=0.05)),
]


def recalculated_agrees(tmp_path, spec) -> None:
    source = tmp_path / "in" / "book.xlsx"
    generate(spec, source)
    book = read_book(convert(source, tmp_path / "lo"))
    expected, _ = expectations(book, spec)
    assert len(expected) == sum(1 for cell in book.cells.values() if cell.formula)
    wrong = {
        name: (want, book.cells[ref].value)
        for ref, (name, want, slack) in expected.items()
        if not agree(want, book.cells[ref].value, slack)
    }
    assert wrong == {}
    report = check_file(tmp_path / "lo" / "book.xlsx")
    assert report.ok, report.mismatches


@pytest.mark.parametrize(("template", "overrides"), CASES)
def test_libreoffice_agrees_on_optimizer_steps(tmp_path, template, overrides):
    recalculated_agrees(tmp_path, resolve(load_template(template), overrides).spec)


def _after_predictions(book, spec) -> list[float]:
    """The Summary's predictions of every example after training, as the book holds them."""
    summary = Summary(spec, table(spec), TRAINING)
    output = Topology(spec.layers).layer_neurons(len(spec.layers) - 1)[0].k
    cells = {item.key: CellRef(SUMMARY, item.row, item.col) for item in summary.items}
    return [book.cells[cells[("a", output, e, "after")]].value
            for e in range(1, len(spec.examples) + 1)]  # fmt: skip


def test_xor_adam_learns_xor_in_libreoffice_in_the_stated_epochs(tmp_path):
    """Its description: within 0.1 of every target after 103 epochs."""
    spec = resolve(load_template("xor-adam"), Overrides(epochs=103)).spec
    recalculated_agrees(tmp_path, spec)
    book = read_book(tmp_path / "lo" / "book.xlsx")
    outputs = _after_predictions(book, spec)
    assert all(abs(o - e.targets[0]) < 0.1 for o, e in zip(outputs, spec.examples)), outputs


@pytest.mark.parametrize("template", ["xor-adam", "three-class"])
def test_the_new_templates_recalculate_in_libreoffice(tmp_path, template):
    recalculated_agrees(tmp_path, resolve(load_template(template)).spec)
