"""The reference trace spelled with the sheet's names: ``{"z_1": 0.3775, ...}``.

This is the bridge between the numpy reference (arrays) and the workbook
(defined names).  It uses only the index conventions of ``topology``, never
the formula builders, so the two computations stay independent.
"""

from __future__ import annotations

import math
from functools import lru_cache

from worksheet.errors import SpecError
from worksheet.model import names as n
from worksheet.model.names import loss_at, numeric, reldiff
from worksheet.model.topology import Topology, parameters
from worksheet.reference.step import Trace, quiet

EXP_LIMIT = 709.78  # EXP of more than this is #NUM! in Excel and LibreOffice
SATURATED = 1e-12  # closer than this to 0 or 1, BCE's LN(1 - yhat) is LN(0) in LibreOffice


def expected_values(topo: Topology, trace: Trace) -> dict[str, float]:
    """Every computed quantity of the step sheet, keyed by defined name."""
    values: dict[str, float] = {}
    for new in (False, True):
        zs = trace.new_zs if new else trace.zs
        acts = trace.new_activations if new else trace.activations
        terms = trace.new_loss_terms if new else trace.loss_terms
        _put(values, new, n.LOSS, trace.new_loss if new else trace.loss)
        for neuron in topo.neurons():
            li, j = neuron.layer - 1, neuron.j - 1
            _put(values, new, n.z(neuron.k), zs[li][j])
            _put(values, new, topo.activation(neuron), acts[li + 1][j])
        for j, term in enumerate(terms, 1):
            _put(values, new, n.loss_term(j), term)
    values[n.LOSS_CHANGE.name] = trace.loss_change
    softmax = trace.dyhat_dz.ndim == 2  # a Jacobian: the output layer is a softmax
    if softmax:
        values.update(softmax_values(topo, trace))
    for neuron in topo.neurons():
        li, j, k = neuron.layer - 1, neuron.j - 1, neuron.k
        values[n.delta(k).name] = float(trace.deltas[li][j])
        values[n.dL_db(k).name] = float(trace.nabla_b[li][j])
        values[n.b(k).new().name] = float(trace.new_biases[li][j])
        if topo.is_output(neuron):
            values[n.dL_dyhat(neuron.j).name] = float(trace.dL_dyhat[j])
            if not softmax:
                values[n.dyhat_dz(neuron.j, k).name] = float(trace.dyhat_dz[j])
        else:
            values[n.dL_dh(k).name] = float(trace.dL_da[li][j])
            values[n.dh_dz(k).name] = float(trace.da_dz[li][j])
    for weight in topo.weights():
        li, j, s = weight.layer - 1, weight.target.j - 1, weight.source_j - 1
        if li > 0 and topo.layers[weight.layer] > 1:  # a hidden neuron feeding several
            source = topo.layer_neurons(weight.layer - 1)[s]
            path = n.dL_dh_via(source.k, weight.target.k)  # its share of that ∂L/∂h
            values[path.name] = float(trace.dL_da_paths[li - 1][s, j])
        values[n.dL_dw(weight.i).name] = float(trace.nabla_w[li][j, s])
        values[n.w(weight.i).new().name] = float(trace.new_weights[li][j, s])
    if trace.moves is not None:
        values.update(optimizer_values(topo, trace))
    return values


def softmax_parts(z) -> dict[str, float]:
    """z_max, each exponential of z − z_max and their sum, by name (before ``_new``)."""
    z_max = float(max(z))
    exps = [math.exp(float(v) - z_max) for v in z]
    parts = {n.Z_MAX.name: z_max, n.EXP_SUM.name: sum(exps)}
    parts.update({n.exp_z(j).name: e for j, e in enumerate(exps, 1)})
    return parts


def softmax_values(topo: Topology, trace: Trace) -> dict[str, float]:
    """A softmax output layer's forward parts (before and after the step), Jacobian entries
    and the shortcut δ = ŷ − y."""
    values = softmax_parts(trace.zs[-1])
    values.update({f"{k}_new": v for k, v in softmax_parts(trace.new_zs[-1]).items()})
    outputs = topo.layer_neurons(topo.depth)
    for col in outputs:
        for row in outputs:
            entry = n.dyhat_i_dz(row.j, col.k)
            values[entry.name] = float(trace.dyhat_dz[row.j - 1, col.j - 1])
        yhat, y = trace.activations[-1][col.j - 1], trace.y[col.j - 1]
        values[n.delta_shortcut(col.k).name] = float(yhat - y)
    return values


def optimizer_values(topo: Topology, trace: Trace) -> dict[str, float]:
    """An optimizer's state before the step and after it, and Adam's corrected moments, for
    every parameter the step changes; state arrays run weights, then biases."""
    before, moves = trace.state, trace.moves
    depth = len(trace.weights)
    slots = [(n.w(w.i), w.layer - 1, (w.target.j - 1, w.source_j - 1)) for w in topo.weights()]
    slots += [(n.b(nr.k), depth + nr.layer - 1, (nr.j - 1,)) for nr in topo.neurons()]
    values = {}
    if "m" in moves.state.moments:  # Adam counts its steps
        values[n.STEP_COUNT.name] = float(before.t)
        values[n.STEP_COUNT.new().name] = float(moves.state.t)
    for param, at, index in slots:
        if moves.frozen[at]:  # frozen biases have no state on the sheet
            continue
        for kind in moves.state.moments:
            moment = n.moment(kind, param)
            values[moment.name] = float(before.moments[kind][at][index])
            values[moment.new().name] = float(moves.state.moments[kind][at][index])
        for kind, hats in moves.hats.items():
            if hats:
                values[n.corrected(kind, param).name] = float(hats[at][index])
    return values


@quiet
def gradcheck_values(topo: Topology, trace: Trace, spec) -> tuple[dict, dict]:
    """Numerical gradients by central differences, from numpy forward passes with one
    parameter nudged; each with the absolute tolerance its cancellation allows.

    Returns (named values, column values): the second maps each nudged loss name
    (``L_plus_w_1``) to that column's forward values by quantity name."""
    from worksheet.reference.step import forward, loss_terms

    eps, values, columns = spec.epsilon, {}, {}
    slots = [(w.layer - 1, "w", (w.target.j - 1, w.source_j - 1)) for w in topo.weights()]
    slots += [(nr.layer - 1, "b", (nr.j - 1,)) for nr in topo.neurons()]
    for (param, grad), (li, kind, index) in zip(parameters(topo), slots):
        losses = []
        for sign in (1, -1):
            weights = [w.copy() for w in trace.weights]
            biases = [b.copy() for b in trace.biases]
            target = weights if kind == "w" else biases
            target[li][index] = target[li][index] + sign * eps
            zs, acts = forward(weights, biases, trace.x, spec.activations)
            terms = loss_terms(spec.loss, trace.y, acts[-1])
            losses.append(float(terms.sum()))
            column = _forward_names(topo, zs, acts, terms)
            if spec.activations[-1] == "softmax":
                column.update(softmax_parts(zs[-1]))
            values[loss_at(param, sign).name] = (losses[-1], 0.0)
            columns[loss_at(param, sign).name] = column
        # One rounding of L(p±ε) becomes (1e-16 · L) / 2ε in the quotient: allow for it.
        slack = 1e-13 * max(abs(v) for v in losses) / eps
        num = (losses[0] - losses[1]) / (2 * eps)
        ana = _gradient(trace, kind, li, index)
        scale = max(abs(ana), abs(num), 1e-300)
        values[numeric(grad).name] = (num, slack)
        values[reldiff(grad).name] = (abs(ana - num) / scale, slack / scale)
    return values, columns


def _forward_names(topo: Topology, zs, acts, terms) -> dict[str, float]:
    column = {n.LOSS.name: float(terms.sum())}
    z_lists, a_lists = [z.tolist() for z in zs], [a.tolist() for a in acts]
    for li, j, z_name, a_name in _neuron_names(topo):
        column[z_name] = z_lists[li][j]
        column[a_name] = a_lists[li + 1][j]
    for j, term in enumerate(terms.tolist(), 1):
        column[n.loss_term(j).name] = term
    return column


# Each nudged column names the same neurons: 408 columns of a 2-8-8-8-4 network, each step.
@lru_cache(maxsize=16)
def _neuron_names(topo: Topology) -> tuple[tuple[int, int, str, str], ...]:
    """(layer index, neuron index, its z's name, its activation's name), 0-based indices."""
    return tuple(
        (neuron.layer - 1, neuron.j - 1, n.z(neuron.k).name, topo.activation(neuron).name)
        for neuron in topo.neurons()
    )


def _gradient(trace: Trace, kind: str, li: int, index) -> float:
    return float(trace.nabla_w[li][index] if kind == "w" else trace.nabla_b[li][index])


def start_values(topo: Topology, trace: Trace, with_example: bool) -> dict[str, float]:
    """The starting rows of a later step sheet: its parameters and, with a data set, its example."""
    values = {}
    for weight in topo.weights():
        li, j, s = weight.layer - 1, weight.target.j - 1, weight.source_j - 1
        values[n.w(weight.i).name] = float(trace.weights[li][j, s])
    for neuron in topo.neurons():
        values[n.b(neuron.k).name] = float(trace.biases[neuron.layer - 1][neuron.j - 1])
    if with_example:
        for i, v in enumerate(trace.x, 1):
            values[n.x(i).name] = float(v)
        for j, v in enumerate(trace.y, 1):
            values[n.y(j).name] = float(v)
    return values


def _put(values: dict[str, float], new: bool, symbol: n.Symbol, value) -> None:
    values[(symbol.new() if new else symbol).name] = float(value)


def assert_computable(values: dict[str, float], loss: str) -> None:
    """Refuse a network a spreadsheet cannot compute, naming the value and why."""
    for name, value in values.items():
        if name.startswith("z_") and -value > EXP_LIMIT:
            cure = "a smaller learning rate" if name.endswith("_new") else "smaller weights"
            raise SpecError(
                f"{name} = {value:.6g}: EXP(-{name}) overflows in a spreadsheet (#NUM!);"
                f" use {cure}, biases or inputs"
            )
        if loss == "bce" and name.startswith("yhat_") and not SATURATED < value < 1 - SATURATED:
            raise SpecError(
                f"{name} = {value:.17g} is within {SATURATED:g} of 0 or 1: a spreadsheet takes"
                f" LN(0) in the binary cross-entropy (LibreOffice rounds 1 − {name} to 0 when"
                " they agree to 15 digits); use smaller weights or another loss"
            )
        if loss == "ce" and name.startswith("yhat_") and not value >= 1e-300:
            raise SpecError(
                f"{name} = {value:.6g}: a probability this small is LN(0) in the cross-entropy"
                " of a spreadsheet (#NUM!); use smaller weights"
            )
    # Causes first (above), then any consequence they did not explain.
    for name, value in values.items():
        if not math.isfinite(value):
            raise SpecError(f"{name} is not a finite number ({value}); the network overflows")
