"""The expected value of every formula cell of the training sheets, from the numpy reference.

Only the layout (which quantity sits in which cell) is shared with the writer; every value
comes from ``training.reference``, never from the formula text, so the check compares two
separate computations.  Keys are the same quantity keys the layout uses (``("w", 3)``, ...).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from worksheet.evaluator import CellRef
from worksheet.model.spec import NetworkSpec
from worksheet.model.topology import Topology
from worksheet.reference.step import Trace, forward, loss_terms
from worksheet.reference.training import Params, Run, Update, train
from worksheet.sheets.compare import COMPARE, Compare, compare_tables, compared_spec
from worksheet.sheets.compare import run_sheet as compare_run_sheet
from worksheet.sheets.summary import SUMMARY, Summary
from worksheet.sheets.sweep import SWEEP, Sweep, run_sheet, run_tables
from worksheet.sheets.training import TRAINING
from worksheet.sheets.training_optimizer import STATE_KINDS
from worksheet.sheets.training_table import FIRST_ROW, Table, table
from worksheet.verify.expected import Column, Expected

Getter = Callable[[int, Update], float]  # (update number u, its row) -> value


def expected_cells(spec: NetworkSpec) -> Expected:
    """``{cell: (label, value, 0.0)}`` for every formula the training sheets of ``spec`` hold
    (empty when ``spec.epochs`` is 0); labels read like ``Training r37 w_1``."""
    if not spec.epochs:
        return Expected()
    main = table(spec)
    run = train(spec)
    cells = table_cells(spec, main, run, TRAINING)
    cells.update(summary_cells(spec, Summary(spec, main, TRAINING), run))
    if spec.lr_sweep:
        tables = run_tables(spec)
        runs = [train(spec, eta) for eta in spec.lr_sweep]
        for r, (run_table, sweep_run) in enumerate(zip(tables, runs), 1):
            cells.update(table_cells(spec, run_table, sweep_run, run_sheet(r)))
        cells.update(sweep_cells(spec, Sweep(spec, tables), runs))
    if spec.compare_optimizers:
        cells.update(compare_cells(spec))
    return cells


def compare_cells(spec: NetworkSpec) -> Expected:
    """Every compared run's table, and the Compare sheet, from one numpy run per optimizer
    (the same starting weights)."""
    tables = compare_tables(spec)
    runs, cells = [], Expected()
    for kind, run_table in tables:
        run_spec = compared_spec(spec, kind)
        run = train(run_spec)
        runs.append(run)
        cells.update(table_cells(run_spec, run_table, run, compare_run_sheet(kind)))
    layout = Compare(spec, tables)
    sweep = sweep_cells(spec, layout, runs, COMPARE)
    cells.update(sweep)
    return cells


def _locate(topo: Topology):
    """Global neuron and weight numbers -> 0-based (layer, j) and (layer, j, source)."""
    neurons = {nr.k: (nr.layer - 1, nr.j - 1) for nr in topo.neurons()}
    weights = {w.i: (w.layer - 1, w.target.j - 1, w.source_j - 1) for w in topo.weights()}
    return neurons, weights


def _getter(spec: NetworkSpec, key: tuple, run: Run) -> Getter:
    """How to read quantity ``key`` of update ``u`` off its reference row."""
    kind, *index = key
    if kind == "Lbar":
        return lambda u, row: _epoch_mean(run, u, len(spec.examples))
    if kind in STATE_KINDS:
        return state_getter(spec, key)
    where = _where(spec, key)
    if where is not None:
        field, layer, slot, at = where
        if slot is None:
            return lambda u, row: getattr(row, field)[layer][at]
        return lambda u, row: getattr(row.traces[slot], field)[layer][at]
    if kind in ("Lj", "Le"):
        read = _from_trace(kind, index[0])
        slot = max(index[-1] - 1, 0)  # trace e - 1 of a (mini-)batch row, else the only one
        return lambda u, row: read(row.traces[slot])
    return _from_row(spec, kind, index[0] if index else 0)


_FIELDS = {"w": "weights", "dw": "nabla_w", "b": "biases", "db": "nabla_b"}
_IN_TRACE = {"z": ("zs", 0), "a": ("activations", 1), "delta": ("deltas", 0)}


def _where(spec: NetworkSpec, key: tuple) -> tuple[str, int, int | None, tuple] | None:
    """Where quantity ``key`` lies in a reference row, when it lies in one of its arrays:
    (field, layer, trace slot or None for the row's own, index in the layer's array)."""
    kind, *index = key
    neurons, weights = _locate(Topology(spec.layers))
    if kind in ("w", "dw"):
        layer, j, source = weights[index[0]]
        return _FIELDS[kind], layer, None, (j, source)
    if kind in ("b", "db"):
        layer, j = neurons[index[0]]
        return _FIELDS[kind], layer, None, (j,)
    if kind in _IN_TRACE:
        field, shift = _IN_TRACE[kind]
        layer, j = neurons[index[0]]
        slot = max(index[-1] - 1, 0)  # trace e - 1 of a (mini-)batch row, else the only one
        return field, layer + shift, slot, (j,)
    return None


def _epoch_mean(run: Run, u: int, n_examples: int) -> float:
    """The mean loss of the last epoch (the ``n_examples`` updates up to ``u``, or fewer at
    the start), summed left to right as the sheet does."""
    window = run.updates[max(u - n_examples, 0) : u]
    return sum(row.loss for row in window) / len(window)


def _from_trace(kind: str, number: int) -> Callable[[Trace], float]:
    """A loss of one example's pass: its total, or output ``number``'s term."""
    if kind == "Le":
        return lambda t: t.loss
    return lambda t: t.loss_terms[number - 1]


def _from_row(spec: NetworkSpec, kind: str, number: int) -> Getter:
    """A quantity of the update itself: its number, example, inputs, targets, loss."""
    n_examples = len(spec.examples)
    readers: dict[str, Getter] = {
        "t": lambda u, row: u,
        "example": lambda u, row: (u - 1) % n_examples + 1,
        "x": lambda u, row: spec.example_at(u - 1).inputs[number - 1],
        "y": lambda u, row: spec.example_at(u - 1).targets[number - 1],
        "L": lambda u, row: row.loss,
    }
    return readers[kind]


def table_cells(spec: NetworkSpec, table_: Table, run: Run, sheet: str) -> Expected:
    """Every formula of one training table: each update's row, then the ``end`` row.

    Built column by column: a 10,000-update table has hundreds of thousands of cells, and
    one getter over one column's rows is the cheapest loop."""
    cells = Expected()
    updates = range(1, spec.updates + 1)
    final = Update(run.final[0], run.final[1], [], [], [], float("nan"))
    stacks = _Stacks(run)
    for c, column in enumerate(table_.columns, 1):
        get, name = _getter(spec, column.key, run), column.symbol.name
        values = _stacked(spec, column.key, stacks)
        if values is None:
            values = [float(get(u, row)) for u, row in zip(updates, run.updates)]
        end = None
        if column.key[0] in ("w", "b"):
            end = (table_.end_row, float(get(spec.updates + 1, final)))
        cells.add_column(Column(sheet, c, FIRST_ROW, name, values, end))
    return cells


class _Stacks:
    """One array per quantity array of a run (a layer's weights, a trace's activations),
    stacked over its updates once and sliced for each column: a 10,000-update table's
    columns read in one loop per layer instead of one per column."""

    def __init__(self, run: Run) -> None:
        self._run = run
        self._found: dict[tuple, np.ndarray] = {}

    def of(self, field: str, layer: int, slot: int | None = None) -> np.ndarray:
        key = (field, layer, slot)
        if key not in self._found:
            rows = self._run.updates
            if slot is None:
                found = [getattr(row, field)[layer] for row in rows]
            else:
                found = [getattr(row.traces[slot], field)[layer] for row in rows]
            self._found[key] = np.array(found, dtype=float)
        return self._found[key]


def _stacked(spec: NetworkSpec, key: tuple, stacks: _Stacks) -> np.ndarray | None:
    """A parameter's, gradient's or neuron's column, sliced from its stacked layer; None
    for the other columns (read row by row)."""
    where = _where(spec, key)
    if where is None:
        return None
    field, layer, slot, at = where
    return stacks.of(field, layer, slot)[(slice(None), *at)]


def state_getter(spec: NetworkSpec, key: tuple) -> Getter:
    """A state column: Adam's βᵗ, or one parameter's moment after the update, read off the
    reference's optimizer step (its state arrays: the weights' layers, then the biases')."""
    kind, *index = key
    if kind == "pow":
        return lambda u, row: row.moves.state.powers[index[0] - 1]
    param, number = index
    neurons, weights = _locate(Topology(spec.layers))
    if param == "w":
        layer, *at = weights[number]
    else:
        (layer, *at), layer = neurons[number], len(spec.layers) - 1 + neurons[number][0]
    where = tuple(at)
    if kind.endswith("hat"):
        return lambda u, row: row.moves.hats[kind[0]][layer][where]
    return lambda u, row: row.moves.state.moments[kind][layer][where]


def _passes(spec: NetworkSpec, params: Params) -> list[tuple[list, list, float]]:
    """(zs, activations, loss) of every example from ``params``."""
    out = []
    for example in spec.examples:
        zs, acts = forward(
            params[0], params[1], np.asarray(example.inputs, float), spec.activations
        )
        y = np.asarray(example.targets, float)
        out.append((zs, acts, float(loss_terms(spec.loss, y, acts[-1]).sum())))
    return out


def summary_cells(spec: NetworkSpec, summary: Summary, run: Run) -> Expected:
    first = (run.updates[0].weights, run.updates[0].biases)
    passes = {"before": _passes(spec, first), "after": _passes(spec, run.final)}
    neurons, _ = _locate(Topology(spec.layers))
    cells = Expected()
    for item in summary.items:
        kind, *index = item.key
        if kind == "first_loss":
            value = run.updates[0].loss
        elif kind == "last_loss":
            value = run.updates[-1].loss
        elif kind in ("x", "y"):
            example = spec.examples[index[1] - 1]
            value = (example.inputs if kind == "x" else example.targets)[index[0] - 1]
        elif kind == "mean_loss":
            value = sum(loss for _, _, loss in passes[index[0]]) / len(spec.examples)
        elif kind == "L":
            value = passes[index[1]][index[0] - 1][2]
        else:  # z or a of neuron k, example e, before or after
            zs, acts, _ = passes[index[2]][index[1] - 1]
            layer, j = neurons[index[0]]
            value = zs[layer][j] if kind == "z" else acts[layer + 1][j]
        cells[CellRef(SUMMARY, item.row, item.col)] = (f"{SUMMARY} {item.label}", float(value), 0.0)
    return cells


def sweep_cells(spec: NetworkSpec, sweep: Sweep, runs: list[Run], sheet: str = SWEEP) -> Expected:
    cells = Expected()
    n_examples = len(spec.examples)
    smooth = sweep.tables[0].smooth == ("Lbar",)

    def plotted(run: Run, u: int) -> float:
        return _epoch_mean(run, u, n_examples) if smooth else run.updates[u - 1].loss

    for item in sweep.items:
        kind, r = item.key
        run = runs[r - 1]
        value = {
            "eta": run.eta,
            "first_loss": run.updates[0].loss,
            "last_loss": plotted(run, spec.updates),
        }[kind]
        cells[CellRef(sheet, item.row, item.col)] = (f"{sheet} {item.label}", float(value), 0.0)
    first, updates = sweep.last_row - spec.updates + 1, range(1, spec.updates + 1)
    cells.add_column(Column(sheet, 1, first, "update", [float(u) for u in updates]))
    for r, run in enumerate(runs, 1):
        name = f"{'L_epoch' if smooth else 'L'} (run {r})"
        cells.add_column(Column(sheet, 1 + r, first, name, [plotted(run, u) for u in updates]))
    return cells
