"""Numpy reference for the optimizers: one step of momentum, RMSProp or Adam, state kept.

Written from the papers' update rules, independently of the formula text (β₁, β₂, ε as
``beta1``, ``beta2``, ``eps``):

- momentum: v ← β₁·v + g;  p ← p − η·v
- RMSProp:  s ← β₂·s + (1 − β₂)·g²;  p ← p − η·g / (√s + ε)
- Adam (Kingma & Ba, as PyTorch): t ← t + 1;  m ← β₁·m + (1 − β₁)·g;
  v ← β₂·v + (1 − β₂)·g²;  m̂ = m / (1 − β₁ᵗ);  v̂ = v / (1 − β₂ᵗ);  p ← p − η·m̂ / (√v̂ + ε)
  (β₁ᵗ and β₂ᵗ as running products, β·βᵗ⁻¹, which underflow to 0 rather than to an error)

Parameters, gradients and state are lists of arrays in one order: every weight matrix, then
every bias vector (``weights + biases``).  A frozen parameter keeps its value and zero state.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

OPTIMIZERS = ("sgd", "momentum", "rmsprop", "adam")
# The moments each optimizer keeps per parameter (Adam also counts its steps, ``t``).
MOMENTS = {"sgd": (), "momentum": ("v",), "rmsprop": ("s",), "adam": ("m", "v")}

Arrays = list[np.ndarray]


@dataclass(frozen=True)
class Hyper:
    """An optimizer and its hyperparameters."""

    kind: str
    beta1: float = 0.9
    beta2: float = 0.999
    eps: float = 1e-8


@dataclass(frozen=True)
class State:
    """What an optimizer carries from one step to the next: ``t`` steps taken and each
    moment (``"v"``, ``"s"``, ``"m"``) of every parameter."""

    t: int
    moments: dict[str, Arrays] = field(default_factory=dict)
    powers: tuple[float, float] = (1.0, 1.0)  # β₁ᵗ and β₂ᵗ, one product per step


@dataclass(frozen=True)
class Moves:
    """One optimizer step: the state it leaves, Adam's corrected moments (``"m"``, ``"v"``:
    m̂, v̂), the parameters after it, and which of them it kept frozen."""

    state: State
    hats: dict[str, Arrays]
    new: Arrays
    frozen: list[bool]


def zero_state(kind: str, params: Arrays) -> State:
    """The state before the first step: nothing taken, every moment zero."""
    return State(0, {m: [np.zeros_like(p, dtype=float) for p in params] for m in MOMENTS[kind]})


def step(hyper: Hyper, state: State, params: Arrays, grads: Arrays, eta: float, frozen) -> Moves:
    """One step of ``hyper.kind`` from ``state``; ``frozen[i]`` keeps parameter i as it is."""
    b1, b2, eps, t = hyper.beta1, hyper.beta2, hyper.eps, state.t + 1
    # β₁ᵗ and β₂ᵗ multiplied up step by step, as the Training sheet does: POWER(0.9, 6725)
    # is below the smallest double, #NUM! in LibreOffice, while a product just reaches 0.
    p1, p2 = state.powers[0] * b1, state.powers[1] * b2
    moments, hats, new = {m: [] for m in MOMENTS[hyper.kind]}, {"m": [], "v": []}, []
    for i, (p, g) in enumerate(zip(params, grads)):
        old = {m: state.moments[m][i] for m in moments}
        if frozen[i]:
            for m in moments:
                moments[m].append(old[m].copy())
            for m in hats if hyper.kind == "adam" else ():
                hats[m].append(np.zeros_like(p, dtype=float))
            new.append(p.copy())
            continue
        if hyper.kind == "momentum":
            v = b1 * old["v"] + g
            moments["v"].append(v)
            new.append(p - eta * v)
        elif hyper.kind == "rmsprop":
            s = b2 * old["s"] + (1 - b2) * g**2
            moments["s"].append(s)
            new.append(p - eta * g / (np.sqrt(s) + eps))
        elif hyper.kind == "adam":
            m = b1 * old["m"] + (1 - b1) * g
            v = b2 * old["v"] + (1 - b2) * g**2
            m_hat, v_hat = m / (1 - p1), v / (1 - p2)
            moments["m"].append(m)
            moments["v"].append(v)
            hats["m"].append(m_hat)
            hats["v"].append(v_hat)
            new.append(p - eta * m_hat / (np.sqrt(v_hat) + eps))
        else:  # plain gradient descent
            new.append(p - eta * g)
    return Moves(State(t, moments, (p1, p2)), hats, new, list(frozen))
