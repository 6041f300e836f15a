"""The supported spreadsheet functions and how each receives its arguments.

Four calling conventions cover everything: ``numbers`` (scalars coerced to floats, the first
error wins), ``scalars`` (raw scalars, for NOT and the IS- functions), ``areas`` (references
arrive as ``Area`` so SUM can skip text in ranges) and ``lazy`` (thunks, so IF evaluates only
the chosen branch). Anything not in ``TABLE`` is refused by name: volatile functions such as
RAND and NOW, and reference builders such as INDIRECT and OFFSET, on purpose, because their
values are not a function of the saved file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from worksheet.evaluator import aggregates as agg
from worksheet.evaluator import logic
from worksheet.evaluator.mathfns import NUMERIC, mod_in_libreoffice, round_libreoffice

MANY = 255  # Excel's limit on arguments
KINDS = ("numbers", "scalars", "areas", "lazy")


@dataclass(frozen=True)
class Function:
    """A supported function: its implementation, arity and calling convention."""

    impl: Callable[..., Any]
    min_args: int
    max_args: int
    kind: str

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown calling convention {self.kind}")

    @property
    def arity(self) -> str:
        """How many arguments it takes, in words: ``2 arguments``, ``1 to 255 arguments``."""
        low, high = self.min_args, self.max_args
        if low == high:
            return f"{low} argument{'s' if low != 1 else ''}"
        return f"{low} to {high} arguments"


_NUMERIC_ARITY = {"LOG": (1, 2), "PI": (0, 0)} | {
    name: (2, 2) for name in ("POWER", "ROUND", "ROUNDUP", "ROUNDDOWN", "MOD")
}

TABLE: dict[str, Function] = {
    name: Function(impl, *_NUMERIC_ARITY.get(name, (1, 1)), "numbers")
    for name, impl in NUMERIC.items()
}
TABLE |= {
    "SUM": Function(agg.sum_, 1, MANY, "areas"),
    "SUMSQ": Function(agg.sumsq, 1, MANY, "areas"),
    "SUMPRODUCT": Function(agg.sumproduct, 1, MANY, "areas"),
    "PRODUCT": Function(agg.product, 1, MANY, "areas"),
    "AVERAGE": Function(agg.average, 1, MANY, "areas"),
    "MIN": Function(agg.min_, 1, MANY, "areas"),
    "MAX": Function(agg.max_, 1, MANY, "areas"),
    "COUNT": Function(agg.count, 1, MANY, "areas"),
    "AND": Function(logic.and_, 1, MANY, "areas"),
    "OR": Function(logic.or_, 1, MANY, "areas"),
    "NOT": Function(logic.not_, 1, 1, "scalars"),
    "ISERROR": Function(logic.iserror, 1, 1, "scalars"),
    "ISNA": Function(logic.isna, 1, 1, "scalars"),
    "ISNUMBER": Function(logic.isnumber, 1, 1, "scalars"),
    "NA": Function(logic.na, 0, 0, "scalars"),
    "TRUE": Function(lambda: True, 0, 0, "scalars"),  # LibreOffice saves TRUE as =TRUE()
    "FALSE": Function(lambda: False, 0, 0, "scalars"),
    "IF": Function(logic.if_, 2, 3, "lazy"),
    "IFERROR": Function(logic.iferror, 2, 2, "lazy"),
}

FUNCTIONS: frozenset[str] = frozenset(TABLE)
# What LibreOffice computes otherwise (see ``dialect``): the same table, its own ROUND.
LIBREOFFICE: dict[str, Function] = TABLE | {
    "ROUND": Function(round_libreoffice, 2, 2, "numbers"),
    "MOD": Function(mod_in_libreoffice, 2, 2, "numbers"),
    "SUM": Function(agg.sum_in_libreoffice, 1, MANY, "areas"),
    "AVERAGE": Function(agg.average_in_libreoffice, 1, MANY, "areas"),
}
