"""Loss functions as the sheet shows them: formula text, maths and words together.

Each loss is a sum of one term per output; MSE and BCE average over the ``n``
outputs, so their terms carry the 1/n.  The numpy versions live in
``reference`` on purpose, written separately.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

Text = Callable[[str, str], str]  # (y, yhat) -> text


@dataclass(frozen=True)
class Loss:
    name: str
    words: str
    term: Text  # one output's term, before any averaging
    term_maths: Text
    slope: Text  # ∂(term)/∂ŷ
    slope_maths: Text
    averaged: bool  # divided by the number of outputs


LOSSES = {
    loss.name: loss
    for loss in (
        Loss(
            "half-sse",
            "half squared error",
            lambda y, yh: f"0.5*({y}-{yh})^2",
            lambda y, yh: f"½({y} − {yh})²",
            lambda y, yh: f"{yh}-{y}",
            lambda y, yh: f"{yh} − {y}",
            averaged=False,
        ),
        Loss(
            "mse",
            "mean squared error",
            lambda y, yh: f"({y}-{yh})^2",
            lambda y, yh: f"({y} − {yh})²",
            lambda y, yh: f"2*({yh}-{y})",
            lambda y, yh: f"2({yh} − {y})",
            averaged=True,
        ),
        Loss(
            "bce",
            "binary cross-entropy",
            lambda y, yh: f"-({y}*LN({yh})+(1-{y})*LN(1-{yh}))",
            lambda y, yh: f"−[{y} ln {yh} + (1 − {y}) ln(1 − {yh})]",
            lambda y, yh: f"-({y}/{yh}-(1-{y})/(1-{yh}))",
            lambda y, yh: f"−({y}/{yh} − (1 − {y})/(1 − {yh}))",
            averaged=True,
        ),
        Loss(
            "ce",
            "cross-entropy",
            lambda y, yh: f"-{y}*LN({yh})",
            lambda y, yh: f"−{y} ln {yh}",
            lambda y, yh: f"-{y}/{yh}",
            lambda y, yh: f"−{y}/{yh}",
            averaged=False,
        ),
    )
}


def _shared(loss: Loss, body: str, n_outputs: int, maths: bool = False) -> str:
    if not loss.averaged or n_outputs == 1:
        return body if maths else f"={body}"
    return f"{body} / {n_outputs}" if maths else f"=({body})/{n_outputs}"


def term_formula(loss: str, y: str, yhat: str, n_outputs: int) -> str:
    """One output's share of the loss, e.g. ``=0.5*(y_1-yhat_1)^2``."""
    rule = LOSSES[loss]
    return _shared(rule, rule.term(y, yhat), n_outputs)


def slope_formula(loss: str, y: str, yhat: str, n_outputs: int) -> str:
    """∂L/∂ŷ for one output, e.g. ``=yhat_1-y_1``."""
    rule = LOSSES[loss]
    return _shared(rule, rule.slope(y, yhat), n_outputs)


def term_maths(loss: str, y: str, yhat: str, n_outputs: int) -> str:
    rule = LOSSES[loss]
    return _shared(rule, rule.term_maths(y, yhat), n_outputs, maths=True)


def slope_maths(loss: str, y: str, yhat: str, n_outputs: int) -> str:
    rule = LOSSES[loss]
    return _shared(rule, rule.slope_maths(y, yhat), n_outputs, maths=True)
