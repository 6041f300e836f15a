"""The stored values of the training sheets, from the numpy runs ``generate`` already made.

A 10,000-update table holds hundreds of thousands of formulas: evaluating them again would
double the time of ``generate``.  The numpy reference has every one of those numbers, so
each column is read off the runs as one array (one pass over the updates per layer and
field, then numpy slicing), in the layout's cells.  The Summary and Sweep sheets
take their values from ``verify.training_expected``, as ``check`` computes them (cell by
cell); so do the optimizer's state columns, one column at a time.

Column keys follow ``sheets.training_table.quantity_keys``; each is read off the runs as
``verify.training_expected`` reads it, so ``check`` finds the very numbers stored here.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from worksheet.model.spec import NetworkSpec
from worksheet.model.topology import Topology
from worksheet.reference.training import Run
from worksheet.render.stored_values import Cells, SheetValues
from worksheet.sheets.cells import column_letter
from worksheet.sheets.summary import SUMMARY, Summary
from worksheet.sheets.sweep import SWEEP, Sweep, run_sheet, run_tables
from worksheet.sheets.training import TRAINING
from worksheet.sheets.training_optimizer import STATE_KINDS
from worksheet.sheets.training_table import FIRST_ROW, Table, table
from worksheet.verify.training_expected import state_getter, summary_cells, sweep_cells


def training_values(spec: NetworkSpec, runs: dict[float, Run]) -> SheetValues:
    """Every formula value of the training sheets of ``spec`` (none when ``spec.epochs`` is
    0); ``runs`` maps each learning rate (``spec.learning_rate`` and the sweep's) to its run."""
    if not spec.epochs:
        return {}
    main, run = table(spec), runs[spec.learning_rate]
    out = {TRAINING: table_values(spec, main, run)}
    out[SUMMARY] = _by_a1(summary_cells(spec, Summary(spec, main, TRAINING), run))
    if spec.lr_sweep:
        tables, swept = run_tables(spec), [runs[eta] for eta in spec.lr_sweep]
        for r, (run_table, sweep_run) in enumerate(zip(tables, swept), 1):
            out[run_sheet(r)] = table_values(spec, run_table, sweep_run)
        out[SWEEP] = _by_a1(sweep_cells(spec, Sweep(spec, tables), swept))
    return out


def table_values(spec: NetworkSpec, table_: Table, run: Run) -> Cells:
    """Every formula of one table, row by row as the sheet file holds them: each update's
    row, then the parameters the last update leaves on the ``end`` row."""
    columns = _Columns(spec, run)
    letters = [column_letter(c) for c in range(1, len(table_.columns) + 1)]
    grid = np.column_stack([columns.of(column.key) for column in table_.columns])
    rows = range(FIRST_ROW, FIRST_ROW + spec.updates)
    out = Cells([letter + str(row) for row in rows for letter in letters], grid.ravel().tolist())
    for letter, column in zip(letters, table_.columns):
        if column.key[0] in ("w", "b"):
            out.add(f"{letter}{table_.end_row}", columns.final(column.key))
    if not np.isfinite(out.values).all():  # a cell stores nothing rather than inf or nan
        kept = [(ref, v) for ref, v in zip(out.refs, out.values) if math.isfinite(v)]
        out = Cells([ref for ref, _ in kept], [v for _, v in kept])
    return out


def _by_a1(cells: dict) -> Cells:
    out = Cells()
    for ref, (_, value, _) in cells.items():
        out.add(f"{column_letter(ref.col)}{ref.row}", float(value))
    return out


class _Columns:
    """A table's columns as arrays over updates, each field stacked once per layer."""

    def __init__(self, spec: NetworkSpec, run: Run) -> None:
        self.spec, self.run = spec, run
        topo = Topology(spec.layers)
        self.neurons = {nr.k: (nr.layer - 1, nr.j - 1) for nr in topo.neurons()}
        self.weights = {w.i: (w.layer - 1, w.target.j - 1, w.source_j - 1) for w in topo.weights()}
        self._stacks: dict[tuple, np.ndarray] = {}

    def _stack(self, key: tuple, read: Callable) -> np.ndarray:
        """``read(update)`` for every update, as one array: axis 0 is the update."""
        if key not in self._stacks:
            self._stacks[key] = np.array([read(row) for row in self.run.updates], dtype=float)
        return self._stacks[key]

    def of(self, key: tuple) -> np.ndarray:
        kind, *index = key
        u = np.arange(1, self.spec.updates + 1, dtype=float)
        n_examples = len(self.spec.examples)
        if kind == "t":
            return u
        if kind == "example":
            return (u - 1) % n_examples + 1
        if kind in ("x", "y"):
            field = "inputs" if kind == "x" else "targets"
            at = [getattr(self.spec.example_at(i), field)[index[0] - 1] for i in range(len(u))]
            return np.array(at, dtype=float)
        if kind == "L":
            return self._stack(("L",), lambda row: row.loss)
        if kind == "Lbar":
            return self._epoch_means(n_examples)
        if kind in ("w", "dw", "b", "db"):
            return self._parameter(kind, index[0])
        if kind in STATE_KINDS:  # the optimizer's state after each update
            get = state_getter(self.spec, key)
            return np.array([get(u, row) for u, row in enumerate(self.run.updates, 1)], float)
        return self._traced(kind, index)

    def _parameter(self, kind: str, number: int) -> np.ndarray:
        field = {"w": "weights", "dw": "nabla_w", "b": "biases", "db": "nabla_b"}[kind]
        layer, *at = (self.weights if kind in ("w", "dw") else self.neurons)[number]
        stacked = self._stack((field, layer), lambda row: getattr(row, field)[layer])
        return stacked[(slice(None), *at)]

    def _traced(self, kind: str, index: list) -> np.ndarray:
        """A quantity of one example's pass: ``z``, ``a``, ``delta`` of neuron k, the loss
        term ``Lj`` of output j, or the example's loss ``Le``; the last index is the example
        in batch mode (0 when the row has only one)."""
        slot = max(index[-1] - 1, 0)
        if kind == "Le":
            return self._stack(("Le", slot), lambda row: row.traces[slot].loss)
        if kind == "Lj":
            terms = self._stack(("Lj", slot), lambda row: row.traces[slot].loss_terms)
            return terms[:, index[0] - 1]
        layer, j = self.neurons[index[0]]
        field, shift = {"z": ("zs", 0), "a": ("activations", 1), "delta": ("deltas", 0)}[kind]
        key = (field, layer + shift, slot)
        stacked = self._stack(key, lambda row: getattr(row.traces[slot], field)[layer + shift])
        return stacked[:, j]

    def _epoch_means(self, n: int) -> np.ndarray:
        """The mean loss of the last ``n`` updates (fewer at the start), added left to right
        as the sheet (and ``training_expected``) adds them."""
        losses = self._stack(("L",), lambda row: row.loss)
        count = len(losses)
        head = [sum(losses[:u].tolist()) / u for u in range(1, min(n - 1, count) + 1)]
        if count < n:
            return np.array(head, dtype=float)
        total = losses[: count - n + 1].copy()  # update u >= n: the window ending at u
        for k in range(1, n):
            total = total + losses[k : count - n + 1 + k]
        return np.concatenate([np.array(head, dtype=float), total / n])

    def final(self, key: tuple) -> float:
        """A weight or bias after the last update (the ``end`` row)."""
        kind, number = key
        weights, biases = self.run.final
        if kind == "w":
            layer, j, s = self.weights[number]
            return float(weights[layer][j, s])
        layer, j = self.neurons[number]
        return float(biases[layer][j])
