"""The Training sheet with momentum, RMSProp and Adam: an independent numpy re-implementation,
started from the sheet's first row, must reproduce its last row (the ``end`` row) to 1e-9."""

from __future__ import annotations

import numpy as np
import pytest
from test_training import XOR, disagreements, save, xor_spec

from worksheet.evaluator import evaluate, read_book
from worksheet.sheets.training import TRAINING
from worksheet.sheets.training_table import FIRST_ROW, table
from worksheet.verify.training_expected import expected_cells

HYPER = {"beta1": 0.85, "beta2": 0.99, "eps_opt": 1e-7}


def gradients(w1, b1, w2, b2, x, y):
    """Backpropagation through a 2-2-1 sigmoid network, half squared error, by hand."""
    h = 1 / (1 + np.exp(-(w1 @ x + b1)))
    yhat = 1 / (1 + np.exp(-(w2 @ h + b2)))
    d2 = (yhat - y) * yhat * (1 - yhat)
    d1 = (w2.T @ d2) * h * (1 - h)
    return [np.outer(d1, x), d1, np.outer(d2, h), d2]


def replay(kind: str, params: list[np.ndarray], updates: int, eta: float, k: int = 1):
    """``updates`` steps of ``kind`` over XOR in turn, ``k`` examples averaged per step:
    the parameters after them, and the moments the last step left (first: momentum's v,
    Adam's m; second: RMSProp's s, Adam's v), each as (W1, b1, W2, b2)."""
    b1, b2, eps = HYPER["beta1"], HYPER["beta2"], HYPER["eps_opt"]
    first = [np.zeros_like(p) for p in params]
    second = [np.zeros_like(p) for p in params]
    seen = 0
    for t in range(1, updates + 1):
        grads = [np.zeros_like(p) for p in params]
        for _ in range(k):
            example = XOR[seen % len(XOR)]
            seen += 1
            x, y = np.array(example.inputs), np.array(example.targets)
            grads = [a + g / k for a, g in zip(grads, gradients(*params, x, y))]
        for i, g in enumerate(grads):
            if kind == "momentum":
                first[i] = b1 * first[i] + g
                params[i] = params[i] - eta * first[i]
            elif kind == "rmsprop":
                second[i] = b2 * second[i] + (1 - b2) * g * g
                params[i] = params[i] - eta * g / (np.sqrt(second[i]) + eps)
            else:
                first[i] = b1 * first[i] + (1 - b1) * g
                second[i] = b2 * second[i] + (1 - b2) * g * g
                m_hat, v_hat = first[i] / (1 - b1**t), second[i] / (1 - b2**t)
                params[i] = params[i] - eta * m_hat / (np.sqrt(v_hat) + eps)
    return params, first, second


def sheet_params(values, spec, row: int, kind: tuple = ()) -> list[np.ndarray]:
    """(W1, b1, W2, b2) as the Training sheet holds them on ``row``; with ``kind``, that
    state column of each parameter instead (``("m",)`` for Adam's m(w₁), ...)."""
    t = table(spec)

    def at(key):
        return values[next(r for r in values if r.sheet == TRAINING and r.row == row
                           and r.col == t.col((*kind, *key)))]  # fmt: skip

    w1 = np.array([[at(("w", 1)), at(("w", 2))], [at(("w", 3)), at(("w", 4))]])
    w2 = np.array([[at(("w", 5)), at(("w", 6))]])
    return [w1, np.array([at(("b", 1)), at(("b", 2))]), w2, np.array([at(("b", 3))])]


@pytest.mark.parametrize("kind", ["momentum", "rmsprop", "adam"])
@pytest.mark.parametrize("k", [1, 2])
def test_an_independent_optimizer_reproduces_the_last_row(tmp_path, kind, k):
    spec = xor_spec(optimizer=kind, epochs=15, batch_size=k, learning_rate=0.2, **HYPER)
    path, count = save(tmp_path, spec)
    values = evaluate(read_book(path))
    start = sheet_params(values, spec, FIRST_ROW)
    end = sheet_params(values, spec, table(spec).end_row)
    want, first, second = replay(kind, start, spec.updates, 0.2, k)
    for got, expected in zip(end, want):
        np.testing.assert_allclose(got, expected, rtol=1e-9, atol=1e-12)
    # the last update's state columns are the moments the replay ends with
    moments = {"momentum": {"v": first}, "rmsprop": {"s": second}}
    last = table(spec).last_row
    for column, arrays in moments.get(kind, {"m": first, "v": second}).items():
        got = sheet_params(values, spec, last, (column,))
        for g, expected in zip(got, arrays):
            np.testing.assert_allclose(g, expected, rtol=1e-9, atol=1e-15)
    expected_ = expected_cells(spec)
    assert disagreements(values, expected_) == {}
    assert count == len(expected_)
    state = [c for c, column in enumerate(table(spec).columns, 1) if column.key[0] in STATE]
    assert len(state) == {"momentum": 9, "rmsprop": 9, "adam": 2 + 4 * 9}[kind]
    assert {ref.col for ref in expected_ if ref.sheet == TRAINING} >= set(state)
    assert read_book(path).sheet_names[-2:] == ["Summary", TRAINING]  # no state sheet after


STATE = {"pow", "v", "s", "m", "mhat", "vhat"}


def _column(spec, key) -> str:
    from worksheet.sheets.cells import column_letter

    return column_letter(table(spec).col(key))


@pytest.mark.parametrize(
    ("kind", "key", "first", "second"),
    [
        ("momentum", ("v", "w", 1), "={g}4", "=beta_1*{own}4+{g}5"),
        ("rmsprop", ("s", "b", 2), "=(1-beta_2)*{g}4^2", "=beta_2*{own}4+(1-beta_2)*{g}5^2"),
        ("adam", ("m", "w", 3), "=(1-beta_1)*{g}4", "=beta_1*{own}4+(1-beta_1)*{g}5"),
        ("adam", ("v", "w", 3), "=(1-beta_2)*{g}4^2", "=beta_2*{own}4+(1-beta_2)*{g}5^2"),
        ("adam", ("pow", 2), "=beta_2", "=beta_2*{own}4"),
        ("adam", ("vhat", "b", 1), "={v}4/(1-{pow}4)", "={v}5/(1-{pow}5)"),
    ],
)
def test_each_state_column_is_its_rule_from_zero_state(kind, key, first, second):
    """Update 1 (row 4) starts from zero state, the vanished term left out; later rows read
    the row above's moment in their own column and their own row's gradient."""
    spec = xor_spec(optimizer=kind, epochs=2)
    t = table(spec)
    rows = list(t.rows())
    where = {"own": _column(spec, key)}
    if key[0] not in ("pow", "vhat"):
        where["g"] = _column(spec, ("d" + key[1], key[2]))
    if key[0] == "vhat":
        where |= {"v": _column(spec, ("v", *key[1:])), "pow": _column(spec, ("pow", 2))}
    assert rows[0][t.col(key) - 1] == first.format(**where)
    assert rows[1][t.col(key) - 1] == second.format(**where)


def test_the_next_parameters_read_the_state_of_the_row_above():
    spec = xor_spec(optimizer="adam", epochs=2)
    t = table(spec)
    w1 = list(t.rows())[1][t.col(("w", 1)) - 1]
    mhat, vhat = _column(spec, ("mhat", "w", 1)), _column(spec, ("vhat", "w", 1))
    assert w1 == f"={_column(spec, ('w', 1))}4-eta*{mhat}4/(SQRT({vhat}4)+eps_opt)"


def test_a_state_cell_typed_as_a_number_is_found(tmp_path):
    """A moment typed as a number instead of its formula is found."""
    import openpyxl

    from worksheet.verify.check import check_file

    spec = xor_spec(optimizer="adam", epochs=3)
    path, _ = save(tmp_path, spec)
    assert check_file(path).ok
    book = openpyxl.load_workbook(path)
    book[TRAINING][f"{_column(spec, ('v', 'w', 2))}6"] = 0.001
    book.save(tmp_path / "bad.xlsx")
    assert not check_file(tmp_path / "bad.xlsx").ok


@pytest.mark.parametrize(
    ("kind", "key", "given", "typed"),
    [
        ("adam", ("v", "w", 2), "beta_2", "0.999"),
        ("adam", ("pow", 1), "beta_1", "0.9"),
        ("momentum", ("v", "b", 1), "beta_1", "0.9"),
        ("rmsprop", ("w", 3), "eps_opt", "0.00000001"),  # the step reads ε, not a state
    ],
)
def test_a_state_column_that_types_a_given_is_found(tmp_path, kind, key, given, typed):
    """Every row of one column reads ``typed`` where it should read the given: the values
    agree, only nudging the given shows the column does not follow it."""
    import openpyxl

    from worksheet.verify.check import check_file

    spec = xor_spec(optimizer=kind, epochs=3)
    path, _ = save(tmp_path, spec)
    book = openpyxl.load_workbook(path)
    letter, sheet = _column(spec, key), book[TRAINING]
    for row in range(FIRST_ROW, table(spec).end_row + 1):
        cell = sheet[f"{letter}{row}"]
        if isinstance(cell.value, str) and given in cell.value:
            cell.value = cell.value.replace(given, typed)
    book.save(tmp_path / "bad.xlsx")
    report = check_file(tmp_path / "bad.xlsx")
    assert not report.ok
    assert any(f"!{letter}" in cell for cell in report.mismatches), list(report.mismatches)[:3]


def test_each_compared_run_carries_its_own_state_columns(tmp_path):
    from worksheet.sheets.compare import compare_tables

    spec = xor_spec(epochs=3, compare_optimizers=("sgd", "rmsprop", "adam"))
    path, count = save(tmp_path, spec)
    widths = {kind: len(run.columns) for kind, run in compare_tables(spec)}
    base = widths["sgd"]
    assert widths == {"sgd": base, "rmsprop": base + 9, "adam": base + 2 + 4 * 9}
    values = evaluate(read_book(path))
    expected_ = expected_cells(spec)
    assert disagreements(values, expected_) == {} and count == len(expected_)
    assert "Run adam" in read_book(path).sheet_names
    assert not any(name.startswith("State") for name in read_book(path).sheet_names)
