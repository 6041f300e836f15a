"""A row of a step sheet: one quantity with its words, maths and formula."""

from __future__ import annotations

from dataclasses import dataclass

from worksheet.model.names import Symbol


@dataclass(frozen=True)
class Row:
    section: str  # forward, loss, backward, gradient, update, check, start
    symbol: Symbol
    meaning: str
    maths: str
    formula: str
