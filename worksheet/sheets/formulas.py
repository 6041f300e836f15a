"""Formula text for each kind of quantity: pure functions of defined names.

No openpyxl here, and no numbers but the structural constants of a
definition (the ½ of the half squared error, the 1 of ``1 - a``).  Every
function returns text starting with ``=`` that Excel and LibreOffice compute
identically: only + - * / ^, parentheses, EXP and LN (activations: see ``activations``).
"""

from __future__ import annotations

from collections.abc import Sequence

from worksheet.model import losses


def weighted_sum(terms: Sequence[tuple[str, str]], bias: str) -> str:
    """``=w_1*x_1+w_2*x_2+b_1`` from (weight, activation) pairs and a bias."""
    return "=" + "+".join([f"{w}*{a}" for w, a in terms] + [bias])


def loss_term(loss: str, y: str, yhat: str, n_outputs: int) -> str:
    """One output's share of the loss (MSE and BCE average over the outputs)."""
    return losses.term_formula(loss, y, yhat, n_outputs)


def loss_slope(loss: str, y: str, yhat: str, n_outputs: int) -> str:
    """∂L/∂ŷ for one output."""
    return losses.slope_formula(loss, y, yhat, n_outputs)


def total(terms: Sequence[str]) -> str:
    return "=" + "+".join(terms)


def product(*factors: str) -> str:
    return "=" + "*".join(factors)


def sum_of_products(pairs: Sequence[tuple[str, str]]) -> str:
    """``=delta_3*w_5+delta_4*w_7``: the blame a hidden neuron collects."""
    return "=" + "+".join(f"{a}*{b}" for a, b in pairs)


def reference(name: str) -> str:
    return f"={name}"


def descent(old: str, eta: str, gradient: str) -> str:
    """One gradient-descent step: ``=w_1-eta*dL_dw_1``."""
    return f"={old}-{eta}*{gradient}"


def difference(new: str, old: str) -> str:
    return f"={new}-{old}"


def rounded(formula: str, digits: int) -> str:
    """``=expr`` as ``=ROUND(expr,digits)``: what a calculator to that many decimals gives."""
    return f"=ROUND({formula[1:]},{digits})"
