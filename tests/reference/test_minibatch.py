"""Mini-batches (``batch_size`` between 1 and the data set): which examples each update takes,
the averaged step against a hand-written numpy network, and the table's formula text."""

from __future__ import annotations

import numpy as np
import pytest

from worksheet.errors import SpecError
from worksheet.evaluator import read_book
from worksheet.model.spec import Example, NetworkSpec
from worksheet.model.template import Overrides, load_template, resolve
from worksheet.reference.training import train
from worksheet.render.generate import generate
from worksheet.sheets.training_table import FIRST_ROW, table
from worksheet.verify.check import check_file
from worksheet.verify.readback import spec_from_book

XOR = tuple(Example((a, b), (float(a != b),)) for a in (0.0, 1.0) for b in (0.0, 1.0))


def xor(**settings) -> NetworkSpec:
    """2-1-1 sigmoid network on XOR (small enough to write its gradient out by hand)."""
    return NetworkSpec(
        layers=(2, 1, 1),
        weights=(((0.15, -0.20),), ((0.40,),)),
        biases=((0.35,), (-0.60,)),
        **{"examples": XOR, "epochs": 3, "learning_rate": 0.5, **settings},
    )


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def by_hand(spec: NetworkSpec) -> np.ndarray:
    """Mini-batch gradient descent on the 2-1-1 net with half squared error, written out:
    the next k examples in turn (wrapping round), gradients averaged, one step each."""
    w1, b1 = np.array(spec.weights[0][0]), spec.biases[0][0]
    w2, b2 = spec.weights[1][0][0], spec.biases[1][0]
    k, n, seen = spec.batch_size, len(spec.examples), 0
    for _ in range(spec.updates):
        g = np.zeros(5)  # dw1 (2), db1, dw2, db2
        for _ in range(k):
            example = spec.examples[seen % n]
            seen += 1
            x, y = np.array(example.inputs), example.targets[0]
            h = sigmoid(w1 @ x + b1)
            yhat = sigmoid(w2 * h + b2)
            d2 = (yhat - y) * yhat * (1 - yhat)
            d1 = d2 * w2 * h * (1 - h)
            g += np.array([d1 * x[0], d1 * x[1], d1, d2 * h, d2])
        g /= k
        w1, b1 = w1 - spec.learning_rate * g[:2], b1 - spec.learning_rate * g[2]
        w2, b2 = w2 - spec.learning_rate * g[3], b2 - spec.learning_rate * g[4]
    return np.array([*w1, b1, w2, b2])


@pytest.mark.parametrize("k", [1, 2, 3, 4])
def test_mini_batches_match_a_hand_written_network(k):
    spec = xor(batch_size=k)
    weights, biases = train(spec).final
    ours = np.array([*weights[0][0], biases[0][0], weights[1][0, 0], biases[1][0]])
    np.testing.assert_allclose(ours, by_hand(spec), rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize(
    ("k", "epochs", "updates", "first_rows"),
    [
        (1, 3, 12, [[0], [1], [2]]),
        (2, 3, 6, [[0, 1], [2, 3], [0, 1]]),
        (3, 3, 4, [[0, 1, 2], [3, 0, 1], [2, 3, 0]]),  # 12 examples seen: 4 updates of 3
        (3, 2, 3, [[0, 1, 2], [3, 0, 1], [2, 3, 0]]),  # 8 examples: 3 updates (9 seen)
        (4, 3, 3, [[0, 1, 2, 3]] * 3),
    ],
)
def test_updates_take_the_next_examples_in_turn(k, epochs, updates, first_rows):
    spec = xor(batch_size=k, epochs=epochs)
    assert spec.updates == updates
    assert [spec.batch_examples(u) for u in range(3)] == first_rows


def test_the_data_sets_size_is_full_batch():
    assert xor(batch_size=4).batch and xor(batch=True).batch_size == 4
    assert not xor(batch_size=2).batch and xor(batch_size=2).mini


@pytest.mark.parametrize(
    ("settings", "fragment"),
    [
        ({"batch_size": 5}, "batch_size = 5: the batch size must be a whole number from 1 to 4"),
        ({"batch_size": 0}, "batch_size = 0: the batch size must be a whole number from 1 to 4"),
        ({"batch_size": 2, "batch": True}, "batch_size = 2: full batch means all 4 examples"),
    ],
)
def test_bad_batch_sizes(settings, fragment):
    with pytest.raises(SpecError, match=fragment.replace("(", r"\(").replace(")", r"\)")):
        xor(**settings)


def test_mini_batch_rows_read_the_examples_in_turn():
    """Row 2 of mini-batches of 3 takes examples 4, 1, 2: its first place reads x_1_ex4."""
    t = table(xor(batch_size=3))
    z1 = t.col(("z", 1, 1))
    rows = list(t.rows())
    assert "*x_1+" in rows[0][z1 - 1] and "*x_1_ex4+" in rows[1][z1 - 1]  # example 1: x_1
    z1_third = t.col(("z", 1, 3))
    assert "x_1_ex2" in rows[1][z1_third - 1]
    assert rows[0][t.col(("L",)) - 1].endswith(")/3")
    symbols = [c.symbol.text for c in t.columns]
    assert "z₁[3]" in symbols and ("Lbar",) not in [c.key for c in t.columns]
    assert FIRST_ROW + t.spec.updates == t.end_row


def test_a_template_and_the_command_line_set_the_batch_size():
    data = {**load_template("xor"), "batch_size": 2, "epochs": 3}
    assert resolve(data).spec.batch_size == 2
    assert resolve(data, Overrides(batch_size=4)).spec.batch
    assert resolve(data, Overrides(batch=True)).spec.batch_size == 4


def test_a_mini_batch_workbook_reads_back_and_checks(tmp_path):
    spec = xor(batch_size=3, epochs=4)
    path = tmp_path / "mini.xlsx"
    generate(spec, path)
    assert spec_from_book(read_book(path)) == spec
    report = check_file(path)
    assert report.ok, report
