"""The rows of a softmax output layer: the careful way a spreadsheet computes it, and its
Jacobian on the way back.

Forward: the largest weighted sum z_max, each exponential e_j = exp(z_k − z_max) (never
more than 1, so EXP cannot overflow), their sum Σe, and ŷ_j = e_j / Σe.  Backward (with
cross-entropy, L = −Σ y_j ln ŷ_j): ∂L/∂ŷ_j = −y_j/ŷ_j, every Jacobian entry
∂ŷ_i/∂z_k = ŷ_i (1[i = k] − ŷ_k), and δ_k = Σ_i ∂L/∂ŷ_i · ∂ŷ_i/∂z_k; beside it, the
shortcut δ_k = ŷ_j − y_j that the sum simplifies to, as a cell of its own that must agree.
"""

from __future__ import annotations

from worksheet.model import names as n
from worksheet.model.losses import slope_maths
from worksheet.model.names import Symbol
from worksheet.model.topology import Topology
from worksheet.sheets import formulas as f
from worksheet.sheets.rows import Row


def _p(symbol: Symbol, new: bool) -> Symbol:
    return symbol.new() if new else symbol


def forward(topo: Topology, new: bool, section: str, after: str) -> list[Row]:
    """z_max, the exponentials, their sum and the predictions (after the layer's z rows)."""
    outputs = topo.layer_neurons(topo.depth)
    zs = [_p(n.z(nr.k), new) for nr in outputs]
    z_max, total = _p(n.Z_MAX, new), _p(n.EXP_SUM, new)
    exps = [_p(n.exp_z(nr.j), new) for nr in outputs]
    rows = [
        Row(section, z_max, f"largest weighted sum of the output layer, taken off before EXP"
            f" so that no exponential overflows{after}",
            f"{z_max.text} = max({', '.join(z.text for z in zs)})",
            f"=MAX({','.join(z.name for z in zs)})"),
    ]  # fmt: skip
    for z, e in zip(zs, exps):
        rows.append(Row(section, e, f"exponential of {z.text}, shifted by the largest{after}",
                        f"{e.text} = exp({z.text} − {z_max.text})",
                        f"=EXP({z.name}-{z_max.name})"))  # fmt: skip
    rows.append(Row(section, total, f"sum of the exponentials{after}",
                    f"{total.text} = " + " + ".join(e.text for e in exps), f.total(
                        [e.name for e in exps])))  # fmt: skip
    for nr, e in zip(outputs, exps):
        yhat = _p(n.yhat(nr.j), new)
        rows.append(Row(section, yhat, f"prediction {nr.j}: probability of class {nr.j}"
                        f" (softmax){after}", f"{yhat.text} = {e.text} / {total.text}",
                        f"={e.name}/{total.name}"))  # fmt: skip
    return rows


def backward(topo: Topology, loss: str) -> list[Row]:
    """∂L/∂ŷ of every output, then each output neuron's Jacobian column, δ and shortcut."""
    outputs = topo.layer_neurons(topo.depth)
    n_out = len(outputs)
    rows = []
    for nr in outputs:
        y, yhat, dL = n.y(nr.j), n.yhat(nr.j), n.dL_dyhat(nr.j)
        rows.append(Row("backward", dL, f"how the loss moves with prediction {nr.j}",
                        f"{dL.text} = {slope_maths(loss, y.text, yhat.text, n_out)}",
                        f.loss_slope(loss, y.name, yhat.name, n_out)))  # fmt: skip
    for nr in outputs:
        rows += _column(outputs, nr)
    return rows


def _column(outputs, neuron) -> list[Row]:
    """Every prediction's slope along z_k, δ_k as their sum, and the shortcut beside it."""
    k, rows, pairs = neuron.k, [], []
    z = n.z(k)
    for other in outputs:
        i, yhat_i, yhat_k = other.j, n.yhat(other.j), n.yhat(neuron.j)
        entry = n.dyhat_i_dz(i, k)
        if other.k == neuron.k:
            maths, formula = (
                f"{yhat_i.text}(1 − {yhat_i.text})",
                f"={yhat_i.name}*(1-{yhat_i.name})",
            )
        else:
            maths, formula = f"−{yhat_i.text}·{yhat_k.text}", f"=-{yhat_i.name}*{yhat_k.name}"
        rows.append(Row("backward", entry, f"how prediction {i} moves with {z.text} (softmax"
                        " Jacobian)", f"{entry.text} = {maths}", formula))  # fmt: skip
        pairs.append((n.dL_dyhat(i), entry))
    delta, shortcut = n.delta(k), n.delta_shortcut(k)
    terms = " + ".join(f"{d.text}·{e.text}" for d, e in pairs)
    rows.append(Row("backward", delta, f"error signal δ of output {neuron.j}: every path"
                    f" from {z.text} to the loss", f"{delta.text} = {terms}",
                    f.sum_of_products([(d.name, e.name) for d, e in pairs])))  # fmt: skip
    y, yhat = n.y(neuron.j), n.yhat(neuron.j)
    rows.append(Row("backward", shortcut, "the same δ, simplified: softmax with"
                    " cross-entropy", f"{delta.text} = {yhat.text} − {y.text}",
                    f"={yhat.name}-{y.name}"))  # fmt: skip
    return rows
