"""Live cells of a student's copy that wait for the answers they need.

A live formula that reads an empty answer cell computes as if it held 0: the Update rows
of a copy whose gradients are blank printed ``w₁′ = w₁`` and the Check rows ``ΔL = 0``,
numbers that look like answers and are not.  So each live cell that depends, directly or
through other live cells, on an answer cell is wrapped in ``IF(name="","",...)``, once per
such name it reads: it shows nothing until every answer it needs is there, then computes
from the student's own answers.  One IF per name read, not one per answer behind it:
a live cell reading a waiting live cell sees "" exactly when that cell is waiting.

Only IF and a comparison with "" are used (``verify.formula_rules.ALLOWED``): OR and
ISBLANK are not among the functions every engine here computes alike.  A cell reads at most
2 × 8 + 1 names (a hidden layer of 8 neurons, their updated weights, the bias), so the IFs
nest far less deep than Excel's limit of 64.  The key keeps the plain formulas (it has no
blanks), and the formula-text column keeps the maths: the guard is plumbing, not the lesson.
"""

from __future__ import annotations

from openpyxl.formula.tokenizer import Token, Tokenizer

from worksheet.sheets.layout import BookLayout

# (sheet, row, value column, formula written there instead of the key's)
Waiting = tuple[str, int, int, str]


def names_read(formula: str) -> list[str]:
    """The defined names (or cell references) ``formula`` reads, in order, each once."""
    seen: dict[str, str] = {}
    for token in Tokenizer(formula).items:
        if token.type == Token.OPERAND and token.subtype == Token.RANGE:
            seen.setdefault(token.value.lower(), token.value)
    return list(seen.values())


def guarded(formula: str, names: list[str]) -> str:
    """``=body`` shown as "" while any of ``names`` is "" (empty): nested IFs, the first
    name outermost."""
    body = formula.removeprefix("=")
    for name in reversed(names):
        body = f'IF({name}="","",{body})'
    return "=" + body


def waiting_cells(layout: BookLayout, sections: tuple[str, ...]) -> list[Waiting]:
    """Every live cell of the step sheets that depends on an answer of ``sections``, with
    its guarded formula.  Rows come in reading order, each reading only rows above it or on
    earlier sheets, so one pass finds every dependant."""
    blankable: set[str] = set()  # names, lower case: answers and the live cells waiting
    found: list[Waiting] = []
    for sheet in layout.steps:
        for row, item in sheet.lines:
            name = item.symbol.name.lower()
            if item.section in sections:
                blankable.add(name)
                continue
            waits = [n for n in names_read(item.formula) if n.lower() in blankable]
            if waits:
                blankable.add(name)
                found.append((sheet.name, row, sheet.col("value"), guarded(item.formula, waits)))
    return found
