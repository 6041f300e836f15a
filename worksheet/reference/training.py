"""Numpy reference for a whole training run: every row of the Training sheet, kept.

Independent of the formula builders: stochastic rows are ``reference.train_step`` calls chained
one into the next; batch rows (all examples, or a mini-batch of the next ``batch_size`` in turn)
run ``train_step`` on each of their examples from the same parameters and apply the averaged
gradients here.  Arrays follow ``worksheet.reference.step`` (Nielsen's shapes).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from worksheet.errors import SpecError
from worksheet.model.spec import NetworkSpec
from worksheet.reference import optimizers
from worksheet.reference.by_name import EXP_LIMIT, SATURATED
from worksheet.reference.step import Trace, forward, hyper_of, quiet, train_step

Params = tuple[list[np.ndarray], list[np.ndarray]]  # (weights, biases)


@dataclass(frozen=True)
class Update:
    """One row: the parameters at its start, one trace per example it uses, the step taken.

    ``traces`` has one entry in stochastic mode (the row's example), N in batch mode (every
    example, 0-based ``e``), ``batch_size`` in a mini-batch (its examples in turn);
    ``nabla_w``/``nabla_b`` are the gradients applied (averaged in batch); ``loss`` is the
    row's loss (the example's, or the mean over its examples)."""

    weights: list[np.ndarray]
    biases: list[np.ndarray]
    traces: list[Trace]
    nabla_w: list[np.ndarray]
    nabla_b: list[np.ndarray]
    loss: float
    moves: optimizers.Moves | None = None  # the optimizer's step (None: plain descent)


@dataclass(frozen=True)
class Run:
    """A training run: ``updates[u - 1]`` is update ``u``; ``final`` the parameters after it."""

    eta: float
    updates: list[Update]
    final: Params


def _step(spec: NetworkSpec, params: Params, eta: float, example) -> Trace:
    """The pass a row learns from (the next row starts from its new parameters)."""
    return train_step(
        params[0], params[1], example.inputs, example.targets, eta,
        spec.loss, spec.activations, spec.update_biases, after=False,
    )  # fmt: skip


def _stochastic(spec: NetworkSpec, params: Params, eta: float, u: int) -> Update:
    trace = _step(spec, params, eta, spec.example_at(u))
    return Update(trace.weights, trace.biases, [trace], trace.nabla_w, trace.nabla_b, trace.loss)


def _batch(spec: NetworkSpec, params: Params, eta: float, u: int) -> Update:
    """Update ``u`` (0-based) averaging over its examples: all of them, or a mini-batch."""
    chosen = [spec.examples[e] for e in spec.batch_examples(u)]
    traces = [_step(spec, params, eta, example) for example in chosen]
    n = len(traces)
    # Summed example by example, then divided: the order the sheet's formula adds them in.
    nabla_w = [sum(t.nabla_w[layer] for t in traces) / n for layer in range(len(params[0]))]
    nabla_b = [sum(t.nabla_b[layer] for t in traces) / n for layer in range(len(params[1]))]
    loss = sum(t.loss for t in traces) / n
    return Update(traces[0].weights, traces[0].biases, traces, nabla_w, nabla_b, loss)


def _descend(spec: NetworkSpec, row: Update, eta: float, state) -> tuple[Params, Update]:
    """The parameters after ``row``'s update, and the row with its optimizer step kept."""
    if spec.optimizer == "sgd":
        weights = [w - eta * g for w, g in zip(row.weights, row.nabla_w)]
        biases = [
            b - eta * g if spec.update_biases else b.copy() for b, g in zip(row.biases, row.nabla_b)
        ]
        return (weights, biases), row
    depth = len(row.weights)
    frozen = [False] * depth + [not spec.update_biases] * depth
    params = row.weights + row.biases
    moves = optimizers.step(hyper_of(spec), state, params, row.nabla_w + row.nabla_b, eta, frozen)
    return (moves.new[:depth], moves.new[depth:]), replace(row, moves=moves)


@quiet
def train(spec: NetworkSpec, eta: float | None = None) -> Run:
    """``spec.updates`` updates from the spec's parameters with learning rate ``eta``
    (default ``spec.learning_rate``): one row per example in turn, or per epoch in batch."""
    eta = spec.learning_rate if eta is None else eta
    params: Params = (
        [np.asarray(w, dtype=float) for w in spec.weights],
        [np.asarray(b, dtype=float) for b in spec.biases],
    )
    updates = []
    state = optimizers.zero_state(spec.optimizer, params[0] + params[1])
    for u in range(spec.updates):
        row = (_batch if spec.averaged else _stochastic)(spec, params, eta, u)
        params, row = _descend(spec, row, eta, state)
        state = row.moves.state if row.moves else state
        updates.append(row)
    return Run(eta, updates, params)


def predictions(spec: NetworkSpec, params: Params) -> list[tuple[list[np.ndarray], list]]:
    """The forward pass ``(zs, activations)`` of every example from ``params``."""
    return [forward(params[0], params[1], np.asarray(e.inputs, float), spec.activations)
            for e in spec.examples]  # fmt: skip


def assert_trainable(spec: NetworkSpec, run: Run) -> None:
    """Refuse a run a spreadsheet cannot compute, naming the first update that breaks."""
    first = _first_suspect(spec, run)
    if first is None:
        return
    for u, row in enumerate(run.updates[first:], first + 1):
        for trace in row.traces:
            for kind, z in zip(spec.activations, trace.zs):
                if kind == "sigmoid" and np.any(-z > EXP_LIMIT):
                    raise SpecError(
                        f"update {u}: a weighted sum reaches {z.min():.6g}; EXP overflows in a"
                        " spreadsheet (#NUM!): use a smaller learning rate or smaller weights"
                    )
            yhat = trace.activations[-1]
            # LibreOffice rounds 1 - yhat to 0 when they agree to ~15 digits: keep a margin.
            if spec.loss == "bce" and np.any((yhat <= SATURATED) | (yhat >= 1 - SATURATED)):
                raise SpecError(
                    f"update {u}: a prediction comes within {SATURATED:g} of 0 or 1; binary"
                    " cross-entropy takes LN(0) in a spreadsheet (#NUM!): train for fewer"
                    " epochs or with a smaller learning rate"
                )
            if spec.loss == "ce" and np.any(yhat < 1e-300):
                raise SpecError(
                    f"update {u}: a probability reaches {yhat.min():.3g}; cross-entropy takes"
                    " LN(0) in a spreadsheet (#NUM!): train for fewer epochs"
                )
            if not np.isfinite(trace.loss) or not all(np.isfinite(d).all() for d in trace.deltas):
                raise SpecError(f"update {u}: the network overflows (not a finite number)")


def _first_suspect(spec: NetworkSpec, run: Run) -> int | None:
    """The index of the first update that ``assert_trainable``'s tests (the same, over
    every trace at once) find fault with, or None: the loop over 10,000 rows, one test at a
    time, took a fifth of the time of the run it tested."""
    traces = [trace for row in run.updates for trace in row.traces]
    if not traces:
        return None
    bad = np.zeros(len(traces), dtype=bool)
    for layer, kind in enumerate(spec.activations[: len(traces[0].zs)]):
        if kind == "sigmoid":
            bad |= (-np.array([t.zs[layer] for t in traces]) > EXP_LIMIT).any(axis=1)
    yhat = np.array([t.activations[-1] for t in traces])
    if spec.loss == "bce":
        bad |= ((yhat <= SATURATED) | (yhat >= 1 - SATURATED)).any(axis=1)
    if spec.loss == "ce":
        bad |= (yhat < 1e-300).any(axis=1)
    bad |= ~np.isfinite(np.array([t.loss for t in traces]))
    for layer in range(len(traces[0].deltas)):
        bad |= ~np.isfinite(np.array([t.deltas[layer] for t in traces])).all(axis=1)
    if not bad.any():
        return None
    rows = [u for u, row in enumerate(run.updates) for _ in row.traces]
    return rows[int(np.argmax(bad))]
