"""The rows of an optimizer's step: its state carried in, its moments, and the update.

Beside plain gradient descent (``chain_rule.update_rows``), one of (β₁ ``beta_1``, β₂
``beta_2``, ε ``eps_opt``, all givens):

- momentum: v′ = β₁·v + g;  p′ = p − η·v′
- RMSProp:  s′ = β₂·s + (1 − β₂)·g²;  p′ = p − η·g / (√s′ + ε)
- Adam:     t′ = t + 1;  m′ = β₁·m + (1 − β₁)·g;  v′ = β₂·v + (1 − β₂)·g²;
            m̂ = m′ / (1 − β₁^t′);  v̂ = v′ / (1 − β₂^t′);  p′ = p − η·m̂ / (√v̂ + ε)

Each parameter's state is its own cells: carried in on the ``start`` rows (zero before the
first step, else the previous step's), then the new state and the parameter on ``update``
rows, one quantity per row, in the order they are computed.
"""

from __future__ import annotations

from worksheet.model import names as n
from worksheet.model.names import Symbol
from worksheet.model.topology import Topology
from worksheet.sheets.chain_rule import frozen_row
from worksheet.sheets.rows import Row

WORDS = {"momentum": "gradient descent with momentum", "rmsprop": "RMSProp", "adam": "Adam"}
MOMENTS = {"momentum": ("v",), "rmsprop": ("s",), "adam": ("m", "v")}
MOMENT_WORDS = {
    "v": "velocity: running sum of gradients",
    "s": "running mean of squared gradients",
    "m": "first moment: running mean of gradients",
}
B1, B2, EPS, ETA, T = n.BETA_1, n.BETA_2, n.EPS_OPT, n.ETA, n.STEP_COUNT


def heading(optimizer: str) -> str:
    return f"Update (one step of {WORDS[optimizer]})"


def _trained(topo: Topology, update_biases: bool) -> list[tuple[Symbol, Symbol]]:
    """(parameter, its gradient) of every parameter the step changes."""
    pairs = [(n.w(w.i), n.dL_dw(w.i)) for w in topo.weights()]
    if update_biases:
        pairs += [(n.b(nr.k), n.dL_db(nr.k)) for nr in topo.neurons()]
    return pairs


def state_symbols(topo: Topology, optimizer: str, update_biases: bool) -> list[Symbol]:
    """What the optimizer carries from step to step, in sheet order."""
    symbols = [T] if optimizer == "adam" else []
    for param, _ in _trained(topo, update_biases):
        symbols += [n.moment(kind, param) for kind in MOMENTS[optimizer]]
    return symbols


def state_rows(topo: Topology, optimizer: str, update_biases: bool, k: int) -> list[Row]:
    """The state step ``k`` starts from: zero on step 1, else what step ``k - 1`` left."""
    rows = []
    for symbol in state_symbols(topo, optimizer, update_biases):
        what = "steps taken before" if symbol == T else MOMENT_WORDS[symbol.name[0]]
        if k == 1:
            words, maths, formula = f"{what}: none yet", f"{symbol.text} = 0", "=0"
        else:
            words = f"{what}, as left by step {k - 1}"
            maths = f"{symbol.text} = {symbol.new().text} of step {k - 1}"
            formula = f"={n.on_step(symbol.new().name, k - 1)}"
        rows.append(Row("start", symbol, words, maths, formula))
    return rows


def update_rows(topo: Topology, optimizer: str, update_biases: bool) -> list[Row]:
    """The new state and the new value of every parameter (frozen biases stay)."""
    rows = []
    if optimizer == "adam":
        t = T.new()
        rows.append(Row("update", t, "steps taken, this one included", f"{t.text} = t + 1",
                        f"={T.name}+1"))  # fmt: skip
    for param, grad in _trained(topo, update_biases):
        rows += {"momentum": _momentum, "rmsprop": _rmsprop, "adam": _adam}[optimizer](param, grad)
    if not update_biases:
        rows += [frozen_row(n.b(nr.k)) for nr in topo.neurons()]
    return rows


def _moving(kind: str, param: Symbol, grad: Symbol, beta: Symbol, squared: bool) -> Row:
    """m′ = β·m + (1 − β)·g, or with g² for a second moment."""
    old, new = n.moment(kind, param), n.moment(kind, param).new()
    g_text, g_name = (f"{grad.text}²", f"{grad.name}^2") if squared else (grad.text, grad.name)
    return Row(
        "update",
        new,
        f"{MOMENT_WORDS[kind].split(':')[0]} of {grad.text} after this step",
        f"{new.text} = {beta.text}·{old.text} + (1 − {beta.text})·{g_text}",
        f"={beta.name}*{old.name}+(1-{beta.name})*{g_name}",
    )


def _momentum(param: Symbol, grad: Symbol) -> list[Row]:
    old, v = n.moment("v", param), n.moment("v", param).new()
    new = param.new()
    velocity = Row(
        "update",
        v,
        f"velocity of {param.text}: β₁ of the old one plus the gradient",
        f"{v.text} = {B1.text}·{old.text} + {grad.text}",
        f"={B1.name}*{old.name}+{grad.name}",
    )
    maths = f"{new.text} = {param.text} − {ETA.text}·{v.text}"
    words = f"{param.text} after one step along the velocity"
    return [velocity, Row("update", new, words, maths, f"={param.name}-{ETA.name}*{v.name}")]


def _rmsprop(param: Symbol, grad: Symbol) -> list[Row]:
    s, new = n.moment("s", param).new(), param.new()
    maths = f"{new.text} = {param.text} − {ETA.text}·{grad.text} / (√{s.text} + {EPS.text})"
    formula = f"={param.name}-{ETA.name}*{grad.name}/(SQRT({s.name})+{EPS.name})"
    return [
        _moving("s", param, grad, B2, squared=True),
        Row("update", new, f"{param.text} after one step, scaled by the gradients' size",
            maths, formula),
    ]  # fmt: skip


def _adam(param: Symbol, grad: Symbol) -> list[Row]:
    t = T.new()
    rows = [_moving("m", param, grad, B1, False), _moving("v", param, grad, B2, True)]
    for kind, beta in (("m", B1), ("v", B2)):
        raw, hat = n.moment(kind, param).new(), n.corrected(kind, param)
        rows.append(Row("update", hat, f"{raw.text} corrected for starting at zero",
                        f"{hat.text} = {raw.text} / (1 − {beta.text}^{t.text})",
                        f"={raw.name}/(1-{beta.name}^{t.name})"))  # fmt: skip
    m_hat, v_hat, new = n.corrected("m", param), n.corrected("v", param), param.new()
    rows.append(
        Row(
            "update",
            new,
            f"{param.text} after one Adam step",
            f"{new.text} = {param.text} − {ETA.text}·{m_hat.text} / (√{v_hat.text} + {EPS.text})",
            f"={param.name}-{ETA.name}*{m_hat.name}/(SQRT({v_hat.name})+{EPS.name})",
        )
    )
    return rows
