"""Activation functions as the sheet shows them: formula text, maths and words together.

The slope of each activation is written the usual teaching way, as a formula of
the activation itself where that exists (σ' = a(1 − a), tanh' = 1 − a²).  Only
functions Excel and LibreOffice compute identically are used: EXP, TANH, MAX, IF.
The numpy versions live in ``reference`` on purpose, written separately.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

Text = Callable[[str, str], str]  # (z, a) -> text


def softmax_formula(zs: list[str], j: int) -> str:
    """Output ``j`` (1-based) of a softmax over the cells ``zs``, in one formula for the
    tables: the largest z is taken off inside every EXP, as the Step sheet does in rows."""
    top = f"MAX({','.join(zs)})"
    exps = [f"EXP({z}-{top})" for z in zs]
    return f"={exps[j - 1]}/({'+'.join(exps)})"


def _layer_wide(*_: str) -> str:
    """Softmax reads every weighted sum of its layer: no formula of one z alone (the step
    rows write it, ``softmax``)."""
    raise ValueError("softmax is computed for the whole output layer, not one neuron")


@dataclass(frozen=True)
class Activation:
    name: str
    words: str
    formula: Callable[[str], str]  # z -> formula text
    maths: Callable[[str], str]  # z -> maths text (right-hand side)
    slope: Text  # (z, a) -> formula text of da/dz
    slope_maths: Text  # (z, a) -> maths text of da/dz
    outputs_only: bool = False


ACTIVATIONS = {
    a.name: a
    for a in (
        Activation(
            "sigmoid",
            "sigmoid",
            lambda z: f"=1/(1+EXP(-{z}))",
            lambda z: f"σ({z}) = 1/(1 + e^(−{z}))",
            lambda z, a: f"={a}*(1-{a})",
            lambda z, a: f"{a}(1 − {a})",
        ),
        Activation(
            "tanh",
            "tanh",
            lambda z: f"=TANH({z})",
            lambda z: f"tanh({z})",
            lambda z, a: f"=1-{a}^2",
            lambda z, a: f"1 − {a}²",
        ),
        Activation(
            "relu",
            "ReLU",
            lambda z: f"=MAX(0,{z})",
            lambda z: f"max(0, {z})",
            lambda z, a: f"=IF({z}>0,1,0)",
            lambda z, a: f"1 if {z} > 0, else 0",
        ),
        Activation(
            "softmax",
            "softmax",
            _layer_wide,
            lambda z: f"e^({z} − z_max) / Σe",
            _layer_wide,
            lambda z, a: "the softmax Jacobian",
            outputs_only=True,
        ),
        Activation(
            "linear",
            "linear, the identity",
            lambda z: f"={z}",
            lambda z: z,
            lambda z, a: "=1",
            lambda z, a: "1",
            outputs_only=True,
        ),
    )
}
