"""Expand shared formulas: followers carry only ``si``; their text is the master's, moved.

Excel stores a formula filled down a column once, on its first cell. Moving the text with the
fast regex in ``a1.translate`` is only trusted once the tokenizer has confirmed, per group, that
the regex sees exactly the references there are; otherwise the slower ``translate`` (openpyxl's
``Translator``, reimplemented) does it (for instance for whole-column ranges such as ``A:A``).
"""

from __future__ import annotations

from collections.abc import Callable

from worksheet.evaluator import a1
from worksheet.evaluator.lexer import Token, TokenizerError, tokenize
from worksheet.evaluator.translate import TranslatorError, translate_formula


def regex_sees_all_refs(text: str) -> bool:
    """Whether ``a1.REF_PATTERN`` finds exactly the cell references the tokenizer finds."""
    try:
        tokens = tokenize("=" + text)
    except (TokenizerError, IndexError):
        return False
    cells = 0
    for tok in tokens:
        if tok.type != Token.OPERAND or tok.subtype != Token.RANGE:
            continue
        parts = tok.value.rpartition("!")[2].split(":")
        found = [a1.parse_cell(part) is not None for part in parts]
        if len(parts) > 2 or (len(parts) == 2 and not all(found)):
            return False
        cells += sum(found)
    return len(a1.references(text, 1, 1)) == cells


class _Group:
    """A shared formula's master: where it sits, its text, and how followers get theirs."""

    def __init__(self, row: int, col: int, text: str) -> None:
        self.row, self.col, self.text = row, col, text
        self.fast = regex_sees_all_refs(text)
        # Filled down a column, only the rows of row-relative addresses change: keep the text
        # cut at its digit runs and the slots holding those rows, and patch just them.
        pieces = a1.DIGIT_RUN.split(text)
        runs = a1.DIGIT_RUN.findall(text)
        self.template = [piece for pair in zip(pieces, runs + [""]) for piece in pair]
        self.slots = [
            (2 * i + 1, int(run))
            for i, (run, relative) in enumerate(zip(runs, a1.relative_rows(text)))
            if relative
        ]

    def moved_to(self, row: int, col: int, spend: Callable[[int], None]) -> str:
        if self.fast and col == self.col:
            moved = self._down(row - self.row)
            if moved is not None:
                return moved
        spend(len(self.text))  # the general ways cost a Python call per reference or token
        if self.fast:
            return a1.translate(self.text, row - self.row, col - self.col)
        try:
            moved = translate_formula("=" + self.text, row - self.row, col - self.col)
        except (TranslatorError, TokenizerError, IndexError):
            return self.text  # the evaluator will report the formula itself
        return moved.removeprefix("=")

    def _down(self, d_row: int) -> str | None:
        """The text moved down by ``d_row`` rows, or None when a row would leave the sheet."""
        parts = self.template.copy()
        for index, base in self.slots:
            new_row = base + d_row
            if not 1 <= new_row <= a1.MAX_ROW:
                return None
            parts[index] = str(new_row)
        return "".join(parts)


class SharedFormulas:
    """The shared-formula groups of one sheet, keyed by their ``si`` index.

    ``spend(n)`` hears of each text of ``n`` characters moved other than straight down a
    column, the costly way; it may raise to stop a sheet that abuses it.
    """

    def __init__(self, spend: Callable[[int], None] = lambda n: None) -> None:
        self._groups: dict[str, _Group] = {}
        self._spend = spend

    def resolve(self, si: str | None, text: str, row: int, col: int) -> str | None:
        """The text for a cell of group ``si``: its own if it is the master, else the moved one.

        Returns None for a follower whose master has not been seen (a broken file).
        """
        if si is None:
            return text
        if text:
            self._spend(len(text))  # its references are checked by the tokenizer
            self._groups[si] = _Group(row, col, text)
            return text
        group = self._groups.get(si)
        return None if group is None else group.moved_to(row, col, self._spend)
