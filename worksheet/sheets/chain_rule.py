"""The backward half of a step sheet: chain-rule factors, gradients and updates.

Output neurons first, then each hidden layer back towards the input, one
factor per row, so the chain rule can be followed cell by cell.
"""

from __future__ import annotations

from worksheet.model import names as n
from worksheet.model.activations import ACTIVATIONS, Activation
from worksheet.model.losses import slope_maths
from worksheet.model.names import Symbol
from worksheet.model.topology import Neuron, Topology
from worksheet.sheets import formulas as f
from worksheet.sheets import softmax_rows
from worksheet.sheets.rows import Row


def _slope_and_delta(topo: Topology, act: Activation, neuron: Neuron, a, dL, dz) -> list[Row]:
    """The two rows every neuron shares: da/dz, then δ = ∂L/∂a · da/dz."""
    z, delta, who = n.z(neuron.k), n.delta(neuron.k), topo.describe(neuron)
    return [
        Row(
            "backward",
            dz,
            f"slope of the {act.words} activation of {who}",
            f"{dz.text} = {act.slope_maths(z.text, a.text)}",
            act.slope(z.name, a.name),
        ),
        Row(
            "backward",
            delta,
            f"error signal δ of {who}",
            f"{delta.text} = {dL.text} · {dz.text}",
            f.product(dL.name, dz.name),
        ),
    ]


def _output_rows(topo: Topology, loss: str, act: Activation, neuron: Neuron) -> list[Row]:
    n_out, j = topo.layers[-1], neuron.j
    y, yhat, dL = n.y(j), n.yhat(j), n.dL_dyhat(j)
    first = Row(
        "backward",
        dL,
        f"how the loss moves with prediction {j}",
        f"{dL.text} = {slope_maths(loss, y.text, yhat.text, n_out)}",
        f.loss_slope(loss, y.name, yhat.name, n_out),
    )
    return [first, *_slope_and_delta(topo, act, neuron, yhat, dL, n.dyhat_dz(j, neuron.k))]


def _hidden_rows(topo: Topology, act: Activation, neuron: Neuron) -> list[Row]:
    """∂L/∂h of a hidden neuron, then its slope and δ.  Where it feeds several neurons, each
    path's share δ·w is a row of its own before the sum, as worked examples show them
    (Mazur's ∂E_o1/∂out_h1 and ∂E_o2/∂out_h1), so a student can find every number."""
    h, dL, who = n.h(neuron.k), n.dL_dh(neuron.k), topo.describe(neuron)
    out = topo.weights_out_of(neuron)
    pairs = [(n.delta(w.target.k), n.w(w.i)) for w in out]
    terms = " + ".join(f"{d.text}·{w.text}" for d, w in pairs)
    if len(pairs) == 1:
        ((d, w),) = pairs
        only = Row(
            "backward", dL, f"blame reaching {who} from the one neuron it feeds",
            f"{dL.text} = {terms}", f.product(d.name, w.name),
        )  # fmt: skip
        return [only, *_slope_and_delta(topo, act, neuron, h, dL, n.dh_dz(neuron.k))]
    paths = [n.dL_dh_via(neuron.k, w.target.k) for w in out]
    rows = [
        Row(
            "backward",
            path,
            f"blame reaching {who} through {topo.describe(w.target)}",
            f"{path.text} = {d.text}·{wt.text}",
            f.product(d.name, wt.name),
        )  # fmt: skip
        for path, w, (d, wt) in zip(paths, out, pairs)
    ]
    rows.append(
        Row(
            "backward",
            dL,
            f"blame reaching {who}: the sum over the neurons it feeds",
            f"{dL.text} = {terms}",
            f.total([p.name for p in paths]),
        )  # fmt: skip
    )
    return [*rows, *_slope_and_delta(topo, act, neuron, h, dL, n.dh_dz(neuron.k))]


def backward_rows(topo: Topology, loss: str, kinds) -> list[Row]:
    """Output layer first, then each hidden layer back towards the input."""
    out = ACTIVATIONS[kinds[-1]]
    if kinds[-1] == "softmax":
        rows = softmax_rows.backward(topo, loss)
    else:
        outputs = topo.layer_neurons(topo.depth)
        rows = [r for nr in outputs for r in _output_rows(topo, loss, out, nr)]
    for layer in range(topo.depth - 1, 0, -1):
        act = ACTIVATIONS[kinds[layer - 1]]
        rows += [r for nr in topo.layer_neurons(layer) for r in _hidden_rows(topo, act, nr)]
    return rows


def gradient_rows(topo: Topology) -> list[Row]:
    rows = []
    for weight in topo.weights():
        grad, delta, a = n.dL_dw(weight.i), n.delta(weight.target.k), topo.source(weight)
        target = topo.activation(weight.target)
        rows.append(
            Row(
                "gradient",
                grad,
                f"blame on {n.w(weight.i).text} ({a.text} → {target.text})",
                f"{grad.text} = {delta.text} · {a.text}",
                f.product(delta.name, a.name),
            )
        )
    for neuron in topo.neurons():
        grad, delta = n.dL_db(neuron.k), n.delta(neuron.k)
        rows.append(
            Row(
                "gradient",
                grad,
                f"blame on {n.b(neuron.k).text}, the bias of {topo.describe(neuron)}",
                f"{grad.text} = {delta.text}",
                f.reference(delta.name),
            )
        )
    return rows


def frozen_row(old: Symbol) -> Row:
    """A parameter that does not learn: carried over unchanged."""
    new = old.new()
    words = f"{old.text} stays: biases are frozen in this exercise"
    return Row("update", new, words, f"{new.text} = {old.text}", f.reference(old.name))


def _update_row(old: Symbol, grad: Symbol, frozen: bool = False) -> Row:
    new = old.new()
    if frozen:
        return frozen_row(old)
    maths = f"{new.text} = {old.text} − {n.ETA.text} · {grad.text}"
    return Row(
        "update",
        new,
        f"{old.text} after one step",
        maths,
        f.descent(old.name, n.ETA.name, grad.name),
    )


def update_rows(topo: Topology, update_biases: bool = True) -> list[Row]:
    rows = [_update_row(n.w(w.i), n.dL_dw(w.i)) for w in topo.weights()]
    rows += [
        _update_row(n.b(nr.k), n.dL_db(nr.k), frozen=not update_biases) for nr in topo.neurons()
    ]
    return rows
