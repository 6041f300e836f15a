"""The optimizer's state as columns of the Training table, after the gradients.

Row ``r`` is one update: its state columns hold each parameter's moments after that update
(v, s, m, and Adam's corrected m̂, v̂), computed from that row's gradient and the row above's
moment; update 1 starts from zero state, so its formula is the rule with the zero term left
out.  The next row's parameters read this row's state, as they read its gradients.  Adam's
step count t is the update number in column A; its βᵗ factors are columns of their own.
Columns go kind by kind (every m, then every v, ...) so that each group heading states one
rule in words and maths above the parameters it applies to.
"""

from __future__ import annotations

from worksheet.model import names as n
from worksheet.model.names import Symbol
from worksheet.model.spec import NetworkSpec
from worksheet.model.topology import Topology

Key = tuple
Templates = tuple[tuple[str, ...], tuple[str, ...]]
MOMENTS = {"momentum": ("v",), "rmsprop": ("s",), "adam": ("m", "v", "mhat", "vhat")}
STATE_KINDS = frozenset({"pow", "v", "s", "m", "mhat", "vhat"})
# Each state column group's heading: what it is, then its rule (g: this row's gradient).
GROUPS = {
    ("momentum", "v"): "velocity v = β₁·v + g",
    ("rmsprop", "s"): "mean of squared gradients s = β₂·s + (1 − β₂)·g²",
    ("adam", "m"): "first moment m = β₁·m + (1 − β₁)·g",
    ("adam", "v"): "second moment v = β₂·v + (1 − β₂)·g²",
    ("adam", "mhat"): "corrected m̂ = m / (1 − β₁ᵗ)",
    ("adam", "vhat"): "corrected v̂ = v / (1 − β₂ᵗ)",
}
B1, B2, EPS = n.BETA_1.name, n.BETA_2.name, n.EPS_OPT.name


def trained(spec: NetworkSpec) -> list[tuple[Key, Key, Symbol]]:
    """(parameter key, gradient key, symbol) of every parameter the updates change."""
    topo = Topology(spec.layers)
    out = [(("w", w.i), ("dw", w.i), n.w(w.i)) for w in topo.weights()]
    if spec.update_biases:
        out += [(("b", nr.k), ("db", nr.k), n.b(nr.k)) for nr in topo.neurons()]
    return out


def _symbol(kind: str, param: Symbol) -> Symbol:
    if kind.endswith("hat"):
        return n.corrected(kind[0], param)
    return n.moment(kind, param)


POWERS = (Symbol("beta_1_pow_t", "β₁ᵗ"), Symbol("beta_2_pow_t", "β₂ᵗ"))


def state_keys(spec: NetworkSpec) -> list[tuple[Key, Symbol, str]]:
    """The state columns, after the gradients (none for sgd): Adam's β₁ᵗ and β₂ᵗ (a running
    product: POWER would underflow to #NUM! in LibreOffice after some 6,700 updates of
    β = 0.9), then ``("v", "w", 1)``, ..., kind by kind."""
    if spec.optimizer == "sgd":
        return []
    keys = []
    if spec.optimizer == "adam":
        group = "powers βᵗ = β·βᵗ⁻¹"  # two columns: a longer heading is cut by the next
        keys += [(("pow", i), symbol, group) for i, symbol in enumerate(POWERS, 1)]
    for kind in MOMENTS[spec.optimizer]:
        group = GROUPS[(spec.optimizer, kind)]
        keys += [((kind, *p), _symbol(kind, symbol), group) for p, _, symbol in trained(spec)]
    return keys


def state_templates(spec: NetworkSpec, key: Key, at) -> Templates:
    """The templates of state column ``key``: ``at.A(key)`` is a cell of this row, ``at.P``
    of the row above.  The first row's template (zero state before it) leaves out the
    vanished term."""
    kind, *param = key
    if kind == "pow":
        beta = (B1, B2)[param[0] - 1]
        return (f"={beta}*{at.P(key)}",), (f"={beta}",)
    old = at.P(key)
    if kind.endswith("hat"):
        raw, power = (kind[0], *param), ("pow", 1 if kind == "mhat" else 2)
        return (f"={at.A(raw)}/(1-{at.A(power)})",), ()
    g = at.A(({"w": "dw", "b": "db"}[param[0]], param[1]))
    if kind == "v" and spec.optimizer == "momentum":
        return (f"={B1}*{old}+{g}",), (f"={g}",)
    beta, term = (B1, g) if kind == "m" else (B2, f"{g}^2")
    return (f"={beta}*{old}+(1-{beta})*{term}",), (f"=(1-{beta})*{term}",)


def descent(spec: NetworkSpec, old: str, eta: str, gradient: str, state) -> str:
    """The parameter of the next row: ``state(kind)`` is this parameter's moment ``kind``
    on the row above, ``gradient`` its gradient on the row above."""
    if spec.optimizer == "momentum":
        return f"={old}-{eta}*{state('v')}"
    if spec.optimizer == "rmsprop":
        return f"={old}-{eta}*{gradient}/(SQRT({state('s')})+{EPS})"
    return f"={old}-{eta}*{state('mhat')}/(SQRT({state('vhat')})+{EPS})"
