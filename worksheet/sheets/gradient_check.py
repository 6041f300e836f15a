"""The live gradient check: nudge one parameter by ±ε, rerun the forward pass, compare.

For every parameter p the sheet gets two extra columns that redo the forward
pass and the loss with p replaced by (p + ε) and by (p − ε); the central
difference (L(p+ε) − L(p−ε)) / 2ε then stands next to the analytic ∂L/∂p with
their relative difference.  The columns reuse the step's own formulas, with
the parameter renamed, so they show the very same maths.  Pure text: the
layout decides where the columns go.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from worksheet.model import names as n
from worksheet.model.names import Symbol, loss_at, numeric, reldiff
from worksheet.model.topology import Topology, parameters
from worksheet.sheets.step_rows import Row, forward_rows, loss_rows

_NAME = re.compile(r"(?<![A-Za-z0-9_.!$])([A-Za-z_][A-Za-z0-9_.]*)(?![A-Za-z0-9_.(!])")


def rename(formula: str, mapping: dict[str, str]) -> str:
    """Replace defined names (not functions, not sheet names) in ``formula``."""
    pieces = _pieces(formula)
    if len(pieces) == 1:
        return formula
    get, out = mapping.get, list(pieces)
    out[1::2] = [get(name, name) for name in pieces[1::2]]
    return "".join(out)


# A 2-8-8-8-4 network over three steps renames 150,000 formulas, few of them distinct (each
# step sheet's nudged columns respell the same text): each is split at its names once.
@lru_cache(maxsize=1 << 16)
def _pieces(formula: str) -> tuple[str, ...]:
    """``formula`` split at its names: text, name, text, ..., text (names at odd places)."""
    return tuple(_NAME.split(formula))


@dataclass(frozen=True)
class Nudge:
    """One column: the forward pass with ``param`` moved by ``sign`` × ε."""

    param: Symbol
    sign: int
    total: Symbol  # the loss at the bottom of the column, e.g. L_plus_w_1
    rows: list[Row]  # forward and loss rows; their formulas name this column's own cells

    @property
    def header(self) -> str:
        return f"{self.param.text} {'+' if self.sign > 0 else '−'} {n.EPSILON.text}"


def nudges(topo: Topology, loss: str, kinds) -> list[Nudge]:
    base = forward_rows(topo, kinds, new=False) + loss_rows(topo, loss, new=False)
    columns = []
    for param, _ in parameters(topo):
        for sign in (1, -1):
            moved = {param.name: f"({param.name}{'+' if sign > 0 else '-'}{n.EPSILON.name})"}
            rows = [
                Row("gradcheck", r.symbol, r.meaning, r.maths, rename(r.formula, moved))
                for r in base
            ]
            columns.append(Nudge(param, sign, loss_at(param, sign), rows))
    return columns


def check_rows(param: Symbol, grad: Symbol) -> list[Row]:
    """The numerical gradient and its relative difference from the analytic one."""
    plus, minus, num, eps = loss_at(param, 1), loss_at(param, -1), numeric(grad), n.EPSILON
    a, b = grad.name, num.name
    return [
        Row(
            "gradcheck",
            num,
            f"central difference for {grad.text}",
            f"({plus.text} − {minus.text}) / 2{eps.text}",
            f"=({plus.name}-{minus.name})/(2*{eps.name})",
        ),
        Row(
            "gradcheck",
            reldiff(grad),
            "relative difference, analytic vs numerical (tiny: the chain rule is right)",
            f"|{grad.text} − numerical| / max(|{grad.text}|, |numerical|)",
            f"=ABS({a}-{b})/MAX(ABS({a}),ABS({b}),1E-300)",
        ),
    ]
