"""The training sheets, saved and read back by the project's evaluator, against numpy."""

from __future__ import annotations

import dataclasses
import re
import zipfile

import openpyxl
import pytest

from worksheet.evaluator import Cell, evaluate, read_book
from worksheet.model.spec import Example, NetworkSpec
from worksheet.model.template import load_template, resolve
from worksheet.model.topology import Topology
from worksheet.reference.training import predictions, train
from worksheet.render.book import build_workbook, save_atomic
from worksheet.render.page_setup import apply_page_setup
from worksheet.render.training_book import add_training
from worksheet.sheets.layout import plan
from worksheet.sheets.summary import Summary
from worksheet.sheets.training import rows_to_write
from worksheet.sheets.training_table import table
from worksheet.verify.compare import agree
from worksheet.verify.training_expected import expected_cells

XOR = tuple(Example((a, b), (float(a != b),)) for a in (0.0, 1.0) for b in (0.0, 1.0))
STEP_SHEETS = re.compile(r"^(Givens|Step( \d+)?)$")


def xor_spec(**settings) -> NetworkSpec:
    base = {
        "layers": (2, 2, 1),
        "weights": (((0.5, 0.4), (0.9, 1.0)), ((-1.2, 1.1),)),
        "biases": ((-0.8, 0.1), (0.3,)),
        "examples": XOR,
        "learning_rate": 1.0,
        "epochs": 3,
    }
    return NetworkSpec(**{**base, **settings})


def two_out(**settings) -> NetworkSpec:
    """2-2-2 on two examples, for losses that average over outputs."""
    examples = (Example((0.05, 0.1), (0.01, 0.99)), Example((0.9, 0.2), (0.7, 0.2)))
    base = {
        "layers": (2, 2, 2),
        "weights": (((0.15, 0.2), (0.25, 0.3)), ((0.4, 0.45), (0.5, 0.55))),
        "biases": ((0.35, 0.35), (0.6, 0.6)),
        "examples": examples,
        "epochs": 4,
    }
    return NetworkSpec(**{**base, **settings})


def three_class(**settings) -> NetworkSpec:
    """2-3-3 tanh-softmax with cross-entropy on three points, one per class."""
    examples = (
        Example((0.0, 1.0), (1.0, 0.0, 0.0)),
        Example((1.0, 0.0), (0.0, 1.0, 0.0)),
        Example((-1.0, -1.0), (0.0, 0.0, 1.0)),
    )
    base = {
        "layers": (2, 3, 3),
        "weights": (
            ((0.1, -0.3), (0.4, 0.2), (-0.5, 0.6)),
            ((0.3, -0.2, 0.5), (-0.4, 0.1, 0.2), (0.25, 0.35, -0.15)),
        ),
        "biases": ((0.1, -0.1, 0.05), (0.2, -0.3, 0.1)),
        "examples": examples,
        "activations": ("tanh", "softmax"),
        "loss": "ce",
        "epochs": 4,
    }
    return NetworkSpec(**{**base, **settings})


def save(tmp_path, spec: NetworkSpec, name: str = "book.xlsx"):
    book = build_workbook(plan(spec))
    count = add_training(book, spec)
    apply_page_setup(book, title=spec.title)  # rows as tall as their labels, as generate's
    path = tmp_path / name
    save_atomic(book, path, force=True)
    return path, count


def disagreements(values, expected) -> dict:
    return {
        label: (want, values.get(ref))
        for ref, (label, want, _) in expected.items()
        if not agree(want, values.get(ref))
    }


CASES = {
    "stochastic": xor_spec(),
    "batch": xor_spec(batch=True),
    "frozen biases": xor_spec(update_biases=False),
    "tanh hidden": xor_spec(activations=("tanh", "sigmoid")),
    "relu hidden, linear output": xor_spec(activations=("relu", "linear")),
    "mse, two outputs": two_out(loss="mse"),
    "bce, two outputs, batch": two_out(loss="bce", batch=True),
    "sweep": xor_spec(lr_sweep=(0.5, 2.0, 8.0)),
    "sweep, batch, frozen": xor_spec(lr_sweep=(0.1, 3.0), batch=True, update_biases=False),
    "mini-batch of 2": xor_spec(batch_size=2),
    "mini-batch of 3, wrapping round, sweep": xor_spec(batch_size=3, lr_sweep=(0.5, 2.0)),
    "mini-batch of 2 of 3, bce, two outputs": two_out(
        loss="bce", batch_size=2, examples=(*two_out().examples, Example((0.4, 0.6), (0.3, 0.5)))
    ),
    "softmax, three classes": three_class(),
    "softmax, mini-batches of 2, adam": three_class(batch_size=2, optimizer="adam"),
    "sweep with momentum, mini-batches": xor_spec(
        optimizer="momentum", batch_size=2, lr_sweep=(0.1, 0.5)
    ),
    "optimizers compared": xor_spec(compare_optimizers=("sgd", "momentum", "adam")),
    "optimizers compared, adam's own, mini-batches": xor_spec(
        optimizer="adam", batch_size=2, compare_optimizers=("rmsprop", "adam")
    ),
    "one example, no hidden layer": NetworkSpec(
        layers=(1, 1),
        weights=(((0.3,),),),
        biases=((0.1,),),
        examples=(Example((1.0,), (0.0,)),),
        epochs=5,
    ),  # fmt: skip
}


@pytest.mark.parametrize("spec", CASES.values(), ids=CASES.keys())
def test_every_training_formula_equals_numpy(tmp_path, spec):
    path, count = save(tmp_path, spec)
    book = read_book(path)
    values = evaluate(book)
    expected = expected_cells(spec)
    assert disagreements(values, expected) == {}
    ours = {ref for ref in values if not STEP_SHEETS.match(ref.sheet)}
    assert ours == set(expected)  # every formula written is checked, and nothing else
    assert count == len(expected)


def test_frozen_biases_keep_their_values(tmp_path):
    spec = xor_spec(update_biases=False, epochs=5)
    path, _ = save(tmp_path, spec)
    values = evaluate(read_book(path))
    t = table(spec)
    for k, given in enumerate((-0.8, 0.1, 0.3), 1):
        col = t.col(("b", k))
        column = [values[ref] for ref in values if ref.sheet == "Training" and ref.col == col]
        assert column == [given] * (spec.updates + 1)


def test_compared_runs_start_from_the_same_weights_and_one_is_the_main_run(tmp_path):
    spec = xor_spec(optimizer="adam", compare_optimizers=("sgd", "adam"))
    path, _ = save(tmp_path, spec)
    values = evaluate(read_book(path))

    def column(sheet, col):
        return [v for ref, v in sorted(values.items()) if ref.sheet == sheet and ref.col == col]

    t = table(spec)
    w1 = t.col(("w", 1))
    assert column("Run adam", w1) == column("Training", w1)  # the same run, written twice
    assert column("Run sgd", w1)[0] == column("Run adam", w1)[0] == 0.5
    assert column("Run sgd", w1)[-1] != column("Run adam", w1)[-1]
    with zipfile.ZipFile(path) as zf:
        charts = [n for n in zf.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n)]
    assert len(charts) == 3  # Summary: loss and epoch mean; Compare: one line per optimizer


def test_batch_has_one_loss_chart(tmp_path):
    path, _ = save(tmp_path, xor_spec(batch=True))
    with zipfile.ZipFile(path) as zf:
        charts = [n for n in zf.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n)]
    assert len(charts) == 1


@pytest.mark.parametrize(
    "spec",
    [
        xor_spec(epochs=300),
        xor_spec(epochs=130, lr_sweep=(1.0, 2.0)),
        xor_spec(epochs=130, optimizer="adam", batch_size=3),
        xor_spec(epochs=130, compare_optimizers=("sgd", "momentum", "adam")),
        xor_spec(epochs=130, optimizer="rmsprop", lr_sweep=(0.01, 0.1)),
    ],
)
def test_progress_counts_every_row(spec):
    told = []
    add_training(build_workbook(plan(spec)), spec, progress=told.append)
    assert sum(told) == rows_to_write(spec) and max(told) <= 500


def test_no_epochs_adds_nothing():
    spec = xor_spec(epochs=0)
    book = build_workbook(plan(spec))
    before = book.sheetnames
    assert add_training(book, spec) == 0
    assert book.sheetnames == before


def test_sheets_in_reading_order_and_the_summary_opens_first(tmp_path):
    path, _ = save(tmp_path, xor_spec(lr_sweep=(0.5, 2.0)))
    book = openpyxl.load_workbook(path)
    training = book.sheetnames[book.sheetnames.index("Summary") :]
    assert training == ["Summary", "Training", "Sweep", "Run 1", "Run 2"]
    assert book.active.title == "Summary"
    assert [ws.title for ws in book.worksheets if ws.sheet_view.tabSelected] == ["Summary"]


def test_charts_are_native_and_point_at_the_loss(tmp_path):
    spec = xor_spec(lr_sweep=(0.5, 2.0, 8.0))
    path, _ = save(tmp_path, spec)
    with zipfile.ZipFile(path) as zf:
        charts = sorted(n for n in zf.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n))
        xml = [zf.read(name).decode() for name in charts]
    assert len(xml) == 3  # the epoch mean's chart, each update's loss, the sweep
    for chart, key in zip(xml, [("Lbar",), ("L",)]):
        letter = chr(ord("A") + table(spec).col(key) - 1)
        assert f"'Training'!${letter}$4:${letter}${3 + spec.updates}</f>" in chart
        assert "'Training'!$A$4:$A$" in chart  # against the update number
        assert chart.count("<ser>") == 1 and "<scatterChart>" in chart
    assert xml[2].count("<ser>") == 3  # one line per learning rate
    assert "<f>Sweep!$D$8</f>" in xml[2]  # run 3's heading names its line


def test_editing_a_sweep_rate_recomputes_its_whole_run(tmp_path):
    spec = xor_spec(lr_sweep=(0.5, 2.0), epochs=4)
    path, _ = save(tmp_path, spec)
    book = read_book(path)
    ref = book.name_ref("eta_run2")
    book.cells[ref] = Cell(None, 3.0)
    values = evaluate(book)
    edited = expected_cells(dataclasses.replace(spec, lr_sweep=(0.5, 3.0)))
    assert disagreements(values, edited) == {}
    run2 = [ref for ref in edited if ref.sheet == "Run 2"]
    assert len(run2) > 100
    original = expected_cells(spec)
    assert any(not agree(original[r][1], values[r]) for r in run2)


def _predictions_after(path, spec: NetworkSpec) -> list[float]:
    """The trained network's prediction for each example, as the evaluated Summary says."""
    values = evaluate(read_book(path))
    out_k = list(Topology(spec.layers).neurons())[-1].k
    summary = Summary(spec, table(spec), "Training")
    cells = {item.key: item for item in summary.items}
    keys = [("a", out_k, e, "after") for e in range(1, len(spec.examples) + 1)]
    return [values[_ref(cells[key])] for key in keys], values


def _ref(item):
    from worksheet.evaluator import CellRef

    return CellRef("Summary", item.row, item.col)


@pytest.mark.slow
def test_shipped_xor_template_learns_in_the_workbook(tmp_path):
    spec = resolve(load_template("xor")).spec
    assert spec.layers == (2, 2, 1) and spec.updates <= 10_000
    path, _ = save(tmp_path, spec)
    predictions, values = _predictions_after(path, spec)
    targets = [e.targets[0] for e in spec.examples]
    assert all(abs(p - y) < 0.1 for p, y in zip(predictions, targets)), predictions
    assert disagreements(values, expected_cells(spec)) == {}


@pytest.mark.slow
def test_shipped_and_template_learns_in_the_workbook(tmp_path):
    spec = resolve(load_template("and")).spec
    path, _ = save(tmp_path, spec)
    predictions, values = _predictions_after(path, spec)
    assert disagreements(values, expected_cells(spec)) == {}
    targets = [e.targets[0] for e in spec.examples]
    assert all(abs(p - y) < 0.1 for p, y in zip(predictions, targets)), predictions


def test_shipped_or_template_learns_at_its_rate_and_sweeps_five():
    """Numpy only: the workbook of a sweep is checked above on a smaller one, and generating
    and checking every shipped template belongs to the CLI's tests."""
    spec = resolve(load_template("or")).spec
    assert len(spec.examples) == 4 and len(spec.lr_sweep) == 5
    final = predictions(spec, train(spec).final)
    outputs = [float(acts[-1][0]) for _, acts in final]
    targets = [e.targets[0] for e in spec.examples]
    assert all(abs(p - y) < 0.1 for p, y in zip(outputs, targets)), outputs
