"""The optimizer's state on the ``Optimizer`` sheet: one row per update, beside ``Training``.

Row ``r`` of ``Optimizer`` is update ``r`` of ``Training`` (the same row number): each column
is one parameter's moment after that update (v, s, m, and Adam's corrected m̂, v̂), read from
that row's gradient on ``Training`` and the row above's moment here; update 1 starts from
zero state, so its formula is the rule with the zero term left out.  ``Training``'s next
parameters read the row above here.  (Kept on a sheet of their own so that the Training
table's columns stay what the stored-value writer knows; see the report in the commit.)
"""

from __future__ import annotations

from worksheet.model import names as n
from worksheet.model.names import Symbol
from worksheet.model.spec import NetworkSpec
from worksheet.model.topology import Topology
from worksheet.sheets.cells import column_letter

OPTIMIZER_SHEET = "Optimizer"
Key = tuple
Templates = tuple[tuple[str, ...], tuple[str, ...]]
MOMENTS = {"momentum": ("v",), "rmsprop": ("s",), "adam": ("m", "v", "mhat", "vhat")}
GROUPS = {
    "v": "second moment v (mean of squared gradients)",
    "s": "mean of squared gradients s",
    "m": "first moment m",
    "mhat": "corrected m̂",
    "vhat": "corrected v̂",
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
    """The sheet's columns after the update number: Adam's β₁ᵗ and β₂ᵗ (a running product:
    POWER would underflow to #NUM! in LibreOffice after some 6,700 updates of β = 0.9),
    then ``("v", "w", 1)``, ..., parameter by parameter."""
    keys = []
    if spec.optimizer == "adam":
        group = "bias correction: βᵗ, one factor per update"
        keys += [(("pow", i), symbol, group) for i, symbol in enumerate(POWERS, 1)]
    for param, _, symbol in trained(spec):
        for kind in MOMENTS[spec.optimizer]:
            group = "velocity v" if spec.optimizer == "momentum" else GROUPS[kind]
            keys.append(((kind, *param), _symbol(kind, symbol), group))
    return keys


def state_letters(spec: NetworkSpec) -> dict[Key, str]:
    """Each state column's letter (column A is the update number)."""
    return {key: column_letter(c) for c, (key, _, _) in enumerate(state_keys(spec), 2)}


def state_templates(spec: NetworkSpec, key: Key, letter, gradient: str) -> Templates:
    """The templates of state column ``key``; ``letter(key)`` is a column here, ``gradient``
    the Training cell of this update's gradient (``Training!K{r}``)."""
    kind, *param = key
    old = f"{letter(key)}{{p}}"
    if kind == "pow":
        beta = (B1, B2)[param[0] - 1]
        return (f"={beta}*{old}",), (f"={beta}",)
    g, g2 = gradient, f"{gradient}^2"
    if kind == "v" and spec.optimizer == "momentum":
        return (f"={B1}*{old}+{g}",), (f"={g}",)
    if kind == "s":
        return (f"={B2}*{old}+(1-{B2})*{g2}",), (f"=(1-{B2})*{g2}",)
    if kind == "m":
        return (f"={B1}*{old}+(1-{B1})*{g}",), (f"=(1-{B1})*{g}",)
    if kind == "v":
        return (f"={B2}*{old}+(1-{B2})*{g2}",), (f"=(1-{B2})*{g2}",)
    raw, power = (("m", *param), ("pow", 1)) if kind == "mhat" else (("v", *param), ("pow", 2))
    return (f"={letter(raw)}{{r}}/(1-{letter(power)}{{r}})",), ()


def descent(spec: NetworkSpec, old: str, eta: str, gradient: str, state) -> str:
    """The parameter of the next row: ``state(kind)`` is this parameter's moment ``kind``
    on the row above here, ``gradient`` its gradient on the row above on Training."""
    if spec.optimizer == "momentum":
        return f"={old}-{eta}*{state('v')}"
    if spec.optimizer == "rmsprop":
        return f"={old}-{eta}*{gradient}/(SQRT({state('s')})+{EPS})"
    return f"={old}-{eta}*{state('mhat')}/(SQRT({state('vhat')})+{EPS})"
