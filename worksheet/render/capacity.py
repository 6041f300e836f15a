"""Refuse to write a workbook that ``worksheet check`` would refuse as too large to read.

The evaluator caps what it reads from any file (``evaluator/limits.py``) so that an untrusted
workbook stays bounded in time and memory; a workbook we write must fit inside the same caps,
or its own check could never prove it.  Two tests: one from the spec alone, before building,
so that a Training table of millions of cells is refused before minutes of work; and one on
the built workbook, before it is saved, counting what the evaluator counts: cells, formula
text parsed (a formula filled down a column is parsed once), all formula text, the longest
formula, operations and defined names.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from openpyxl import Workbook

from worksheet.errors import SpecError
from worksheet.evaluator import a1
from worksheet.evaluator.limits import (
    MAX_CELLS,
    MAX_FORMULA,
    MAX_FORMULA_CHARS,
    MAX_NAMES,
    MAX_OPERATIONS,
    MAX_PARSED_CHARS,
)
from worksheet.model.spec import NetworkSpec
from worksheet.sheets.training import cells_to_write, table_width

# The training tables may take this much of the cell cap; the step sheets, labels, the
# gradient check and the summary need the rest.
TRAINING_CELLS = MAX_CELLS * 9 // 10


def check_spec(spec: NetworkSpec) -> None:
    """Refuse a Training table (and sweep) too large for ``check``, or too wide for a
    spreadsheet, from the spec alone."""
    width = table_width(spec)
    if width > a1.MAX_COL:
        raise SpecError(
            f"examples: full-batch training of the {'-'.join(map(str, spec.layers))} network"
            f" over {len(spec.examples)} examples needs {width:,} columns, more than a"
            f" spreadsheet's {a1.MAX_COL:,}; use fewer examples, a smaller network or no --batch"
        )
    cells = cells_to_write(spec)
    if cells <= TRAINING_CELLS:
        return
    network = "-".join(map(str, spec.layers))
    sweep = f" for each of {len(spec.lr_sweep)} learning rates" if spec.lr_sweep else ""
    raise SpecError(
        f"epochs: {spec.updates:,} updates of the {network} network{sweep} make {cells:,}"
        f" cells of training, more than the {TRAINING_CELLS:,} a workbook may hold and still"
        " be checked; use fewer epochs" + (" or learning rates" if sweep else "")
    )


@dataclass
class Costs:
    """What the evaluator counts on reading and compiling a workbook, against ``limits``."""

    cells: int = 0  # cells with a value or a formula
    parsed: int = 0  # characters of distinct formula text, defined names included
    formula_chars: int = 0  # characters of all formulas, without their "="
    longest: int = 0  # characters of the longest formula, without its "="
    operations: int = 0  # operations of all formula cells (one per operand or operator)
    names: int = 0  # defined names


def check_book(book: Workbook, distinct_rows: Mapping[str, int]) -> None:
    """Refuse ``book`` when the evaluator would refuse it by one of its limits.
    ``distinct_rows`` gives each filled-down sheet's last row with formulas of its own
    (``training.distinct_rows``)."""
    c = costs(book, distinct_rows)
    smaller = "use fewer --steps or epochs, fewer examples, a smaller network or --no-gradcheck"
    for count, limit, what in (
        (c.cells, MAX_CELLS, "cells"),
        (c.parsed, MAX_PARSED_CHARS, "characters of distinct formulas"),
        (c.formula_chars, MAX_FORMULA_CHARS, "characters of formulas in all"),
        (c.operations, MAX_OPERATIONS, "operations to evaluate"),
        (c.names, MAX_NAMES, "defined names"),
    ):
        if count > limit:
            raise SpecError(
                f"the workbook would hold {count:,} {what}, more than the {limit:,} that"
                f" check reads; {smaller}"
            )
    if c.longest > MAX_FORMULA:
        raise SpecError(
            f"a formula would be {c.longest:,} characters long, more than the {MAX_FORMULA:,}"
            f" Excel allows; use fewer examples"
        )


def costs(book: Workbook, distinct_rows: Mapping[str, int]) -> Costs:
    """The evaluator's counts for ``book`` (a little more, never less: see test_capacity).

    Below a filled-down sheet's last distinct row every formula copies one above it in the
    same column, so its length and operations are taken from the largest formula of that
    column above, plus room for longer row numbers, instead of measuring 700,000 cells."""
    c = Costs()
    for sheet in book.worksheets:
        last_distinct, end = distinct_rows.get(sheet.title), sheet.max_row
        seen: set[tuple] = set()
        copies: dict[int, int] = {}  # column -> formulas below the distinct rows
        widest: dict[int, tuple[int, int]] = {}  # column -> (characters, operations)
        # characters allow for each address's row number growing by ROW_DIGITS lower down
        for (row, col), cell in sheet._cells.items():  # openpyxl's stored cells, styled or not
            value = cell.value
            if value is None:
                continue
            c.cells += 1
            if cell.data_type != "f":
                continue
            if last_distinct is not None and last_distinct < row < end:
                copies[col] = copies.get(col, 0) + 1
                continue
            chars, operations = len(value) - 1, _operations(value)
            c.formula_chars += chars
            c.operations += operations
            c.longest = max(c.longest, chars)
            grown = chars + ROW_DIGITS * sum(a1.relative_rows(value))
            before = widest.get(col, (0, 0))
            widest[col] = (max(before[0], grown), max(before[1], operations))
            key = _copy_key(value, row, col)
            if key not in seen:
                seen.add(key)
                c.parsed += len(value)
        for col, n in copies.items():
            chars, operations = widest.get(col, (MAX_FORMULA, MAX_FORMULA))
            c.formula_chars += n * chars
            c.operations += n * operations
            c.longest = max(c.longest, chars)
    names = [d.attr_text for d in book.defined_names.values()]
    names += [d.attr_text for sheet in book.worksheets for d in sheet.defined_names.values()]
    c.names = len(names)
    c.parsed += sum(len(text) for text in set(names))  # a name's text is parsed once
    return c


# A row-relative row number lower down is longer by at most this many digits: the distinct
# rows are near the top, and a table of at most 20,000 updates ends before row 100,000.
ROW_DIGITS = 4
_OPERAND = re.compile(r"[A-Za-z_][\w.]*|[0-9]+(?:\.[0-9]*)?")


def _operations(formula: str) -> int:
    """One per operand (name, address, number, function) and per operator: what the
    evaluator's compiler counts, a little more (a sheet name or an exponent counts too)."""
    body = formula[1:]
    return len(_OPERAND.findall(body)) + sum(body.count(op) for op in "+-*/^&<>=")


def _copy_key(text: str, row: int, col: int) -> tuple:
    """What copies of one formula filled down a column share, as the evaluator tells them
    apart (``evaluator/plans.py``): the column, and the text with each row-relative row
    number given as its offset from the formula's own row."""
    runs: list[object] = a1.DIGIT_RUN.findall(text)
    for i, is_row in enumerate(a1.relative_rows(text)):
        if is_row:
            runs[i] = int(runs[i]) - row  # type: ignore[call-overload]
    return (col, a1.skeleton(text), *runs)
