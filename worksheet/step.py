"""The rows of a step sheet: for each quantity, its formula, label and maths together.

Each builder walks the network (``topology``) and yields ``Row`` objects in
reading order.  A row knows nothing of cells: ``layout`` places it later.
"""

from __future__ import annotations

from dataclasses import dataclass

from worksheet import formulas as f
from worksheet import names as n
from worksheet.activations import ACTIVATIONS, Activation
from worksheet.names import Symbol
from worksheet.topology import Neuron, Topology

SECTIONS = {
    "forward": "Forward pass",
    "loss": "Loss",
    "backward": "Backward pass (chain rule)",
    "gradient": "Gradients",
    "update": "Update (one gradient-descent step)",
    "check": "Check: forward pass again with the updated parameters",
}

LOSS_NAMES = {
    "half-sse": "half squared error",
    "mse": "mean squared error",
    "bce": "binary cross-entropy",
}


@dataclass(frozen=True)
class Row:
    section: str
    symbol: Symbol
    meaning: str
    maths: str
    formula: str


def _sheet_ref(sheet: str) -> str:
    return sheet if sheet.isidentifier() else "'" + sheet.replace("'", "''") + "'"


def start_rows(topo: Topology, previous: str, example: int | None) -> list[Row]:
    """A later step starts from the previous step sheet's updated parameters and, with a
    data set, takes the next example in turn (``example``, 1-based; None: the only one)."""
    params = [n.w(w.i) for w in topo.weights()] + [n.b(nr.k) for nr in topo.neurons()]
    rows = [
        Row(
            "start",
            p,
            f"{p.text} as updated by the step before",
            f"{p.text} = {p.new().text} of {previous}",
            f"={_sheet_ref(previous)}!{p.new().name}",
        )
        for p in params
    ]
    for symbol in n.example_symbols(topo.layers) if example else []:
        given = n.of_example(symbol, example, alias=True)
        what = "input" if symbol.name.startswith("x") else "target"
        rows.append(
            Row(
                "start",
                symbol,
                f"{what} of example {example} of the data set",
                f"{symbol.text} = {n.of_example(symbol, example).text}",
                f.reference(given.name),
            )
        )
    return rows


def step_rows(
    topo: Topology, loss: str, kinds: tuple[str, ...] | None = None, update_biases: bool = True
) -> list[Row]:
    """Every quantity of one training step, top to bottom.

    ``kinds`` names the activation of each layer of neurons (default: all sigmoid); with
    ``update_biases`` false the biases are carried over unchanged (frozen)."""
    kinds = kinds or ("sigmoid",) * topo.depth
    return [
        *forward_rows(topo, kinds, new=False),
        *loss_rows(topo, loss, new=False),
        *backward_rows(topo, loss, kinds),
        *gradient_rows(topo),
        *update_rows(topo, update_biases),
        *forward_rows(topo, kinds, new=True),
        *loss_rows(topo, loss, new=True),
        Row(
            "check",
            n.LOSS_CHANGE,
            "change in loss after the step (negative: the network improved)",
            f"{n.LOSS_CHANGE.text} = {n.LOSS.text}′ − {n.LOSS.text}",
            f.difference(n.LOSS.new().name, n.LOSS.name),
        ),
    ]


def _param(symbol: Symbol, new: bool) -> Symbol:
    return symbol.new() if new else symbol


def _source(topo: Topology, weight, new: bool) -> Symbol:
    # Inputs are givens and never change; hidden activations are recomputed.
    return _param(topo.source(weight), new and weight.layer > 1)


def _after(new: bool) -> str:
    return ", updated parameters" if new else ""


def _kind(topo: Topology, neuron: Neuron) -> str:
    return topo.describe(neuron)


def forward_rows(topo: Topology, kinds, new: bool) -> list[Row]:
    section = "check" if new else "forward"
    rows = []
    for neuron in topo.neurons():
        weights = topo.weights_into(neuron)
        pairs = [(_param(n.w(w.i), new), _source(topo, w, new)) for w in weights]
        bias, z = _param(n.b(neuron.k), new), _param(n.z(neuron.k), new)
        a = _param(topo.activation(neuron), new)
        maths = " + ".join([ws.text + xs.text for ws, xs in pairs] + [bias.text])
        rows.append(
            Row(
                section,
                z,
                f"weighted sum into {_kind(topo, neuron)}{_after(new)}",
                f"{z.text} = {maths}",
                f.weighted_sum([(ws.name, xs.name) for ws, xs in pairs], bias.name),
            )
        )
        what = "prediction" if topo.is_output(neuron) else "activation"
        act = ACTIVATIONS[kinds[neuron.layer - 1]]
        rows.append(
            Row(
                section,
                a,
                f"{what} of {_kind(topo, neuron)} ({act.words}){_after(new)}",
                f"{a.text} = {act.maths(z.text)}",
                act.formula(z.name),
            )
        )
    return rows


def _loss_maths(loss: str, y: str, yhat: str, n_out: int) -> str:
    per = "" if n_out == 1 else f" / {n_out}"
    if loss == "half-sse":
        return f"½({y} − {yhat})²"
    if loss == "mse":
        return f"({y} − {yhat})²{per}"
    return f"−[{y} ln {yhat} + (1 − {y}) ln(1 − {yhat})]{per}"


def loss_rows(topo: Topology, loss: str, new: bool) -> list[Row]:
    section = "check" if new else "loss"
    n_out = topo.layers[-1]
    rows, terms = [], []
    for j in range(1, n_out + 1):
        y, yhat, term = n.y(j), _param(n.yhat(j), new), _param(n.loss_term(j), new)
        terms.append(term)
        rows.append(
            Row(
                section,
                term,
                f"{LOSS_NAMES[loss]} of output {j}{_after(new)}",
                f"{term.text} = {_loss_maths(loss, y.text, yhat.text, n_out)}",
                f.loss_term(loss, y.name, yhat.name, n_out),
            )
        )
    total = _param(n.LOSS, new)
    rows.append(
        Row(
            section,
            total,
            f"total loss{_after(new)}",
            f"{total.text} = " + " + ".join(t.text for t in terms),
            f.total([t.name for t in terms]),
        )
    )
    return rows


def _slope_maths(loss: str, y: str, yhat: str, n_out: int) -> str:
    per = "" if n_out == 1 else f" / {n_out}"
    if loss == "half-sse":
        return f"{yhat} − {y}"
    if loss == "mse":
        return f"2({yhat} − {y}){per}"
    return f"−({y}/{yhat} − (1 − {y})/(1 − {yhat})){per}"


def _output_rows(topo: Topology, loss: str, act: Activation, neuron: Neuron) -> list[Row]:
    n_out = topo.layers[-1]
    y, yhat = n.y(neuron.j), n.yhat(neuron.j)
    dL, dz, delta = n.dL_dyhat(neuron.j), n.dyhat_dz(neuron.j, neuron.k), n.delta(neuron.k)
    return [
        Row(
            "backward",
            dL,
            f"how the loss moves with prediction {neuron.j}",
            f"{dL.text} = {_slope_maths(loss, y.text, yhat.text, n_out)}",
            f.loss_slope(loss, y.name, yhat.name, n_out),
        ),
        Row(
            "backward",
            dz,
            f"slope of the {act.words} activation of {_kind(topo, neuron)}",
            f"{dz.text} = {act.slope_maths(n.z(neuron.k).text, yhat.text)}",
            act.slope(n.z(neuron.k).name, yhat.name),
        ),
        Row(
            "backward",
            delta,
            f"error signal δ of {_kind(topo, neuron)}",
            f"{delta.text} = {dL.text} · {dz.text}",
            f.product(dL.name, dz.name),
        ),
    ]


def _hidden_rows(topo: Topology, act: Activation, neuron: Neuron) -> list[Row]:
    h, dL, dz, delta = n.h(neuron.k), n.dL_dh(neuron.k), n.dh_dz(neuron.k), n.delta(neuron.k)
    pairs = [(n.delta(w.target.k), n.w(w.i)) for w in topo.weights_out_of(neuron)]
    return [
        Row(
            "backward",
            dL,
            f"blame reaching {_kind(topo, neuron)}: sum over the neurons it feeds",
            f"{dL.text} = " + " + ".join(f"{d.text}·{w.text}" for d, w in pairs),
            f.sum_of_products([(d.name, w.name) for d, w in pairs]),
        ),
        Row(
            "backward",
            dz,
            f"slope of the {act.words} activation of {_kind(topo, neuron)}",
            f"{dz.text} = {act.slope_maths(n.z(neuron.k).text, h.text)}",
            act.slope(n.z(neuron.k).name, h.name),
        ),
        Row(
            "backward",
            delta,
            f"error signal δ of {_kind(topo, neuron)}",
            f"{delta.text} = {dL.text} · {dz.text}",
            f.product(dL.name, dz.name),
        ),
    ]


def backward_rows(topo: Topology, loss: str, kinds) -> list[Row]:
    """Output layer first, then each hidden layer back towards the input."""
    out = ACTIVATIONS[kinds[-1]]
    rows = [r for nr in topo.layer_neurons(topo.depth) for r in _output_rows(topo, loss, out, nr)]
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
                f"blame on {n.b(neuron.k).text}, the bias of {_kind(topo, neuron)}",
                f"{grad.text} = {delta.text}",
                f.reference(delta.name),
            )
        )
    return rows


def _update_row(old: Symbol, grad: Symbol, frozen: bool = False) -> Row:
    new = old.new()
    if frozen:
        words, maths = f"{old.text} stays: biases are frozen in this exercise", old.text
        return Row("update", new, words, f"{new.text} = {maths}", f.reference(old.name))
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
