"""The formula syntax tree: one small frozen class per kind of node.

References keep relative parts as offsets from the cell holding the formula, so one tree serves
every copy of a formula filled down a column.
"""

from __future__ import annotations

from dataclasses import dataclass

from worksheet.evaluator.values import XLError


@dataclass(frozen=True, slots=True)
class Number:
    value: float


@dataclass(frozen=True, slots=True)
class Text:
    value: str


@dataclass(frozen=True, slots=True)
class Bool:
    value: bool


@dataclass(frozen=True, slots=True)
class Error:
    value: XLError


@dataclass(frozen=True, slots=True)
class Missing:
    """An empty function argument, as in ``IF(A1,,1)``."""


@dataclass(frozen=True, slots=True)
class CellNode:
    """One cell. ``row``/``col`` are absolute when flagged ``*_abs``, else offsets from the host.

    ``sheet`` is None for the host's own sheet.
    """

    sheet: str | None
    row: int
    col: int
    row_abs: bool
    col_abs: bool

    def at(self, host_row: int, host_col: int) -> tuple[int, int]:
        """The 1-based (row, col) this reference points at from the given host cell."""
        return (
            self.row if self.row_abs else host_row + self.row,
            self.col if self.col_abs else host_col + self.col,
        )


@dataclass(frozen=True, slots=True)
class RangeNode:
    """A rectangle ``first:last`` on one sheet (None for the host's own sheet)."""

    sheet: str | None
    first: CellNode
    last: CellNode


@dataclass(frozen=True, slots=True)
class NameNode:
    """A defined name, upper-cased; ``sheet`` is set for a qualified ``Sheet!name``."""

    sheet: str | None
    name: str


@dataclass(frozen=True, slots=True)
class Unary:
    op: str  # "-" or "+"
    operand: Node


@dataclass(frozen=True, slots=True)
class Percent:
    operand: Node


@dataclass(frozen=True, slots=True)
class Binary:
    op: str  # + - * / ^ & = <> < > <= >=
    left: Node
    right: Node


@dataclass(frozen=True, slots=True)
class Call:
    name: str  # upper-cased
    args: tuple[Node, ...]


Node = (
    Number
    | Text
    | Bool
    | Error
    | Missing
    | CellNode
    | RangeNode
    | NameNode
    | Unary
    | Percent
    | Binary
    | Call
)
