"""The rows of a step sheet: for each quantity, its formula, label and maths together.

Each builder walks the network (``topology``) and yields ``Row`` objects in
reading order.  A row knows nothing of cells: ``layout`` places it later.
"""

from __future__ import annotations

from dataclasses import replace

from worksheet.model import names as n
from worksheet.model.activations import ACTIVATIONS
from worksheet.model.losses import LOSSES, term_maths
from worksheet.model.names import Symbol
from worksheet.model.topology import Topology
from worksheet.sheets import chain_rule as chain
from worksheet.sheets import formulas as f
from worksheet.sheets import optimizer_rows, softmax_rows
from worksheet.sheets.rows import Row

SECTIONS = {
    "forward": "Forward pass",
    "loss": "Loss",
    "backward": "Backward pass (chain rule)",
    "gradient": "Gradients",
    "update": "Update (one gradient-descent step)",
    "check": "Check: forward pass again with the updated parameters",
}


def start_rows(topo: Topology, k: int, example: int | None) -> list[Row]:
    """Step ``k`` (2 or more) starts from step ``k - 1``'s updated parameters and, with a
    data set, takes the next example in turn (``example``, 1-based; None: the only one)."""
    previous = f"step {k - 1}"
    params = [n.w(w.i) for w in topo.weights()] + [n.b(nr.k) for nr in topo.neurons()]
    rows = [
        Row(
            "start",
            p,
            f"{p.text} as updated by the step before",
            f"{p.text} = {p.new().text} of {previous}",
            f"={n.on_step(p.new().name, k - 1)}",
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
    topo: Topology,
    loss: str,
    kinds: tuple[str, ...] | None = None,
    update_biases: bool = True,
    digits: int | None = None,
    optimizer: str = "sgd",
) -> list[Row]:
    """Every quantity of one training step, top to bottom.

    ``kinds`` names the activation of each layer of neurons (default: all sigmoid); with
    ``update_biases`` false the biases are carried over unchanged (frozen); with ``digits``
    every quantity is rounded, ``=ROUND(...,digits)``, for work with a calculator; an
    ``optimizer`` other than sgd updates through its state (``optimizer_rows``)."""
    kinds = kinds or ("sigmoid",) * topo.depth
    rows = _all_rows(topo, loss, kinds, update_biases, optimizer)
    if digits is None:
        return rows
    return [replace(r, formula=f.rounded(r.formula, digits)) for r in rows]


def _all_rows(topo: Topology, loss: str, kinds, update_biases: bool, optimizer: str) -> list[Row]:
    if optimizer == "sgd":
        updates = chain.update_rows(topo, update_biases)
    else:
        updates = optimizer_rows.update_rows(topo, optimizer, update_biases)
    return [
        *forward_rows(topo, kinds, new=False),
        *loss_rows(topo, loss, new=False),
        *chain.backward_rows(topo, loss, kinds),
        *chain.gradient_rows(topo),
        *updates,
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
                f"weighted sum into {topo.describe(neuron)}{_after(new)}",
                f"{z.text} = {maths}",
                f.weighted_sum([(ws.name, xs.name) for ws, xs in pairs], bias.name),
            )
        )
        what = "prediction" if topo.is_output(neuron) else "activation"
        if kinds[neuron.layer - 1] == "softmax":  # the whole layer's z first (softmax_rows)
            continue
        act = ACTIVATIONS[kinds[neuron.layer - 1]]
        rows.append(
            Row(
                section,
                a,
                f"{what} of {topo.describe(neuron)} ({act.words}){_after(new)}",
                f"{a.text} = {act.maths(z.text)}",
                act.formula(z.name),
            )
        )
    if kinds[-1] == "softmax":
        rows += softmax_rows.forward(topo, new, section, _after(new))
    return rows


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
                f"{LOSSES[loss].words} of output {j}{_after(new)}",
                f"{term.text} = {term_maths(loss, y.text, yhat.text, n_out)}",
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
