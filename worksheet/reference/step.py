"""Pure numpy reference for one training step, every intermediate kept.

Written from the maths, independently of the formula builders, so that the
workbook (as evaluated) and this trace are two separate computations that
must agree.  Arrays follow Nielsen's ``network.py`` conventions:
``weights[l]`` has shape (n_{l+1}, n_l), ``zs[l]`` and ``activations[l+1]``
have shape (n_{l+1},), and ``activations[0]`` is the input ``x``.
"""

from __future__ import annotations

import functools
import math
import threading
from dataclasses import dataclass

import numpy as np

from worksheet.reference import optimizers
from worksheet.reference.rounding import rounder


@dataclass(frozen=True)
class Trace:
    """Everything one gradient-descent step computes (lists run input -> output)."""

    x: np.ndarray
    y: np.ndarray
    eta: float
    weights: list[np.ndarray]
    biases: list[np.ndarray]
    zs: list[np.ndarray]
    activations: list[np.ndarray]
    loss_terms: np.ndarray
    loss: float
    dL_dyhat: np.ndarray  # (n_out,)
    dyhat_dz: np.ndarray  # (n_out,); softmax: the Jacobian (n_out, n_out), [i, k] = ∂ŷ_i/∂z_k
    dL_da_paths: list[np.ndarray]  # hidden layers only: [l][j, k] = w_kj · δ_k, one per path
    dL_da: list[np.ndarray]  # hidden layers only: dL_da[l] for activations[l + 1]
    da_dz: list[np.ndarray]  # hidden layers only, same indexing
    deltas: list[np.ndarray]  # one per neuron layer
    nabla_w: list[np.ndarray]
    nabla_b: list[np.ndarray]
    new_weights: list[np.ndarray]
    new_biases: list[np.ndarray]
    new_zs: list[np.ndarray]
    new_activations: list[np.ndarray]
    new_loss_terms: np.ndarray
    new_loss: float
    loss_change: float  # new_loss - loss, rounded like the rest when the sheet rounds
    state: optimizers.State | None = None  # an optimizer's state before the step
    moves: optimizers.Moves | None = None  # and its step (None: plain gradient descent)


def quiet(fn):
    """Run ``fn`` with numpy's floating-point warnings off.  Givens near 1e308 overflow to inf
    or nan on purpose-built workbooks; the callers test every value for finiteness and name
    the one that broke (``expected.assert_computable``), so a warning printed on stderr would
    only be a second, vaguer message."""

    @functools.wraps(fn)
    def run(*args, **kwargs):
        if _quieted.depth:  # already inside one: a training run makes 30,000 nested calls
            return fn(*args, **kwargs)
        _quieted.depth += 1
        try:
            with np.errstate(all="ignore"):
                return fn(*args, **kwargs)
        finally:
            _quieted.depth -= 1

    return run


class _Depth(threading.local):
    depth = 0  # quiet calls under way in this thread (numpy's error state is per thread)


_quieted = _Depth()


def _libm(fn):
    """``fn`` of the C library elementwise, as spreadsheets and our evaluator compute it:
    numpy's own vectorised exp and tanh may differ in the last bit, which a long run of an
    optimizer that normalises its steps (Adam) carries on and on."""

    def apply(x) -> np.ndarray:
        x = np.asarray(x, dtype=float)
        try:  # a Python loop over a list: a third of the time of ndenumerate's
            return np.array([fn(v) for v in x.ravel().tolist()], dtype=float).reshape(x.shape)
        except OverflowError:
            pass
        out = np.empty_like(x)
        for i, v in np.ndenumerate(x):
            try:
                out[i] = fn(v)
            except OverflowError:
                out[i] = math.inf
        return out

    return apply


exp, tanh, log = _libm(math.exp), _libm(math.tanh), np.log


def sigmoid(z: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):  # overflow gives 0 or 1, as in a spreadsheet
        return 1.0 / (1.0 + exp(-z))


def softmax(z: np.ndarray) -> np.ndarray:
    """exp(z) / Σ exp(z), with the largest z subtracted first so exp cannot overflow."""
    e = exp(z - np.max(z))
    return e / e.sum()


def softmax_jacobian(z: np.ndarray, a: np.ndarray) -> np.ndarray:
    """[i, k] = ∂a_i/∂z_k = a_i (1[i = k] − a_k)."""
    return np.diag(a) - np.outer(a, a)


# name -> (a = f(z), da/dz from z and a); ReLU's slope at exactly 0 is taken as 0.  Softmax's
# slope is a matrix, the Jacobian; every other one is elementwise.
ACTIVATIONS = {
    "softmax": (softmax, softmax_jacobian),
    "sigmoid": (sigmoid, lambda z, a: a * (1 - a)),
    "tanh": (tanh, lambda z, a: 1 - a**2),
    "relu": (lambda z: np.maximum(0.0, z), lambda z, a: (z > 0).astype(float)),
    "linear": (lambda z: z, lambda z, a: np.ones_like(z)),
}


def _kinds(activations, depth: int) -> list[str]:
    return list(activations) if activations else ["sigmoid"] * depth


@quiet
def forward(weights, biases, x, activations=None, rnd=None):
    """Weighted sums ``zs`` and activations (``activations[0] = x``) of every layer;
    ``rnd`` rounds each one, as a sheet made with ``--round`` does."""
    rnd = rnd or (lambda v: v)
    zs, outs = [], [x]
    for w, b, kind in zip(weights, biases, _kinds(activations, len(weights))):
        # Σ w·a summed left to right, then + b: the order the sheet's formula adds them in
        # (a BLAS product may fuse or reorder, a last bit that Adam's steps would carry on).
        zs.append(rnd((w * outs[-1]).sum(axis=1) + b))
        outs.append(rnd(ACTIVATIONS[kind][0](zs[-1])))
    return zs, outs


def loss_terms(kind: str, y: np.ndarray, yhat: np.ndarray) -> np.ndarray:
    """Per-output loss terms; the loss is their sum.  MSE and BCE average over outputs."""
    n = len(y)
    if kind == "half-sse":
        return 0.5 * (y - yhat) ** 2
    if kind == "mse":
        return (y - yhat) ** 2 / n
    if kind == "bce":
        with np.errstate(divide="ignore", invalid="ignore"):
            return -(y * np.log(yhat) + (1 - y) * np.log(1 - yhat)) / n
    if kind == "ce":
        with np.errstate(divide="ignore", invalid="ignore"):
            return -y * np.log(yhat)
    raise ValueError(f"unknown loss {kind!r}")


def loss_gradient(kind: str, y: np.ndarray, yhat: np.ndarray) -> np.ndarray:
    """dL/dyhat for each output."""
    n = len(y)
    if kind == "half-sse":
        return yhat - y
    if kind == "mse":
        return 2 * (yhat - y) / n
    if kind == "bce":
        with np.errstate(divide="ignore", invalid="ignore"):
            return -(y / yhat - (1 - y) / (1 - yhat)) / n
    if kind == "ce":
        with np.errstate(divide="ignore", invalid="ignore"):
            return -y / yhat
    raise ValueError(f"unknown loss {kind!r}")


@quiet
def train_step(
    weights,
    biases,
    x,
    y,
    eta: float,
    loss: str,
    kinds=None,
    update_biases: bool = True,
    digits: int | None = None,
    hyper: optimizers.Hyper | None = None,
    state: optimizers.State | None = None,
    after: bool = True,
) -> Trace:
    """One step of gradient descent on one example, by backpropagation.

    ``kinds`` names each layer's activation (default: all sigmoid); with
    ``update_biases`` false the biases keep their values (their gradients are still shown);
    with ``digits`` every intermediate is rounded to that many decimals, as on the sheet.
    With ``hyper`` (not sgd) the step is that optimizer's from ``state`` (default: zero).
    Without ``after`` there is no forward pass from the new parameters (``new_zs``,
    ``new_activations``, ``new_loss_terms``, ``new_loss`` and ``loss_change`` are None): a
    Training row needs only the pass it learns from, and the second pass took a fifth of
    the time of a run.
    """
    r = rounder(digits)
    weights = [np.asarray(w, dtype=float) for w in weights]
    biases = [np.asarray(b, dtype=float) for b in biases]
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    kinds = _kinds(kinds, len(weights))
    slopes = [ACTIVATIONS[k][1] for k in kinds]
    zs, activations = forward(weights, biases, x, kinds, r)
    yhat = activations[-1]
    terms = r(loss_terms(loss, y, yhat))
    dL_dyhat = r(loss_gradient(loss, y, yhat))
    dyhat_dz = r(slopes[-1](zs[-1], yhat))
    # δ_k = Σ_i ∂L/∂ŷ_i ∂ŷ_i/∂z_k: a softmax output's slope is its Jacobian matrix
    jacobian = dyhat_dz.ndim == 2
    if jacobian:  # summed over i in turn, as the sheet adds them
        deltas = [r((dL_dyhat[:, None] * dyhat_dz).sum(axis=0))]
    else:
        deltas = [r(dL_dyhat * dyhat_dz)]
    dL_da, da_dz, paths = [], [], []
    for layer in range(len(weights) - 1, 0, -1):  # hidden layers, last to first
        # each path's share w_kj · δ_k, then their sum: the sheet rounds each of them
        paths.insert(0, r(weights[layer].T * deltas[0]))
        dL_da.insert(0, r(paths[0].sum(axis=1)))
        da_dz.insert(0, r(slopes[layer - 1](zs[layer - 1], activations[layer])))
        deltas.insert(0, r(dL_da[0] * da_dz[0]))
    nabla_w = [r(np.outer(d, a)) for d, a in zip(deltas, activations[:-1])]
    nabla_b = list(deltas)
    new_weights = [r(w - eta * g) for w, g in zip(weights, nabla_w)]
    new_biases = [r(b - eta * g) if update_biases else b.copy() for b, g in zip(biases, nabla_b)]
    moves = None
    if hyper is not None and hyper.kind != "sgd":
        params = weights + biases
        state = state or optimizers.zero_state(hyper.kind, params)
        frozen = [False] * len(weights) + [not update_biases] * len(biases)
        moves = optimizers.step(hyper, state, params, nabla_w + nabla_b, eta, frozen)
        new_weights, new_biases = moves.new[: len(weights)], moves.new[len(weights) :]
    loss_now = float(r(terms.sum()))
    new_zs = new_activations = new_terms = loss_new = change = None
    if after:
        new_zs, new_activations = forward(new_weights, new_biases, x, kinds, r)
        new_terms = r(loss_terms(loss, y, new_activations[-1]))
        loss_new = float(r(new_terms.sum()))
        change = float(r(loss_new - loss_now))
    return Trace(
        x=x, y=y, eta=eta, weights=weights, biases=biases, zs=zs, activations=activations,
        loss_terms=terms, loss=loss_now, dL_dyhat=dL_dyhat, dyhat_dz=dyhat_dz, dL_da=dL_da,
        dL_da_paths=paths, da_dz=da_dz, deltas=deltas, nabla_w=nabla_w, nabla_b=nabla_b,
        new_weights=new_weights, new_biases=new_biases, new_zs=new_zs,
        new_activations=new_activations, new_loss_terms=new_terms, new_loss=loss_new,
        loss_change=change, state=state if moves else None, moves=moves,
    )  # fmt: skip


def hyper_of(spec) -> optimizers.Hyper:
    """The optimizer a ``NetworkSpec`` trains with."""
    return optimizers.Hyper(spec.optimizer, spec.beta1, spec.beta2, spec.eps_opt)


def trace_spec(spec, weights=None, biases=None, step: int = 0, state=None) -> Trace:
    """The reference trace of one step of a ``NetworkSpec`` (by default its first step, from
    the optimizer's zero state)."""
    example = spec.example_at(step)
    return train_step(
        spec.weights if weights is None else weights,
        spec.biases if biases is None else biases,
        example.inputs,
        example.targets,
        spec.learning_rate,
        spec.loss,
        spec.activations,
        spec.update_biases,
        spec.round_digits,
        hyper_of(spec),
        state,
    )


def trace_steps(spec) -> list[Trace]:
    """``spec.steps`` consecutive steps, each from the previous step's updated parameters."""
    traces = [trace_spec(spec)]
    for step in range(1, spec.steps):
        last = traces[-1]
        state = last.moves.state if last.moves else None
        traces.append(trace_spec(spec, last.new_weights, last.new_biases, step, state))
    return traces
