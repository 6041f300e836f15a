"""Refuse to write a workbook that ``worksheet check`` would refuse as too large to read.

The evaluator caps what it reads from any file (``evaluator/limits.py``) so that an untrusted
workbook stays bounded in time and memory; a workbook we write must fit inside the same caps,
or its own check could never prove it.  Two tests: one from the spec alone, before building,
so that a Training table of millions of cells is refused before minutes of work; and one on
the built workbook, before it is saved, counting its cells and the formula text the evaluator
will parse (a formula filled down a column is parsed once).
"""

from __future__ import annotations

from collections.abc import Mapping

from openpyxl import Workbook

from worksheet.errors import SpecError
from worksheet.evaluator import a1
from worksheet.evaluator.limits import MAX_CELLS, MAX_PARSED_CHARS
from worksheet.spec import NetworkSpec
from worksheet.training import cells_to_write

# The training tables may take this much of the cell cap; the step sheets, labels, the
# gradient check and the summary need the rest.
TRAINING_CELLS = MAX_CELLS * 9 // 10


def check_spec(spec: NetworkSpec) -> None:
    """Refuse a Training table (and sweep) too large for ``check``, from the spec alone."""
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


def check_book(book: Workbook, distinct_rows: Mapping[str, int]) -> None:
    """Refuse ``book`` when the evaluator would: more cells than it reads, or more formula
    text than it parses.  ``distinct_rows`` gives each filled-down sheet's last row with
    formulas of its own (``training.distinct_rows``)."""
    cells, chars = costs(book, distinct_rows)
    if cells > MAX_CELLS:
        raise SpecError(
            f"the workbook would hold {cells:,} cells, more than the {MAX_CELLS:,} that"
            " check reads; use fewer --steps or epochs, or --no-gradcheck"
        )
    if chars > MAX_PARSED_CHARS:
        raise SpecError(
            f"the workbook would hold {chars:,} characters of distinct formulas, more than"
            f" the {MAX_PARSED_CHARS:,} that check parses; use fewer --steps,"
            " --no-gradcheck or a smaller network"
        )


def costs(book: Workbook, distinct_rows: Mapping[str, int]) -> tuple[int, int]:
    """The cells of ``book`` the evaluator stores (those with a value or a formula) and the
    characters of formula text it parses (``=`` included, as it counts), defined names too."""
    cells = chars = 0
    for sheet in book.worksheets:
        last_distinct, end = distinct_rows.get(sheet.title), sheet.max_row
        seen: set[tuple] = set()
        for (row, col), cell in sheet._cells.items():  # openpyxl's stored cells, styled or not
            value = cell.value
            if value is None:
                continue
            cells += 1
            if cell.data_type != "f" or (last_distinct is not None and last_distinct < row < end):
                continue  # below the last distinct row: copies of the rows above
            key = _copy_key(value, row, col)
            if key not in seen:
                seen.add(key)
                chars += len(value)
    names = {d.attr_text for d in book.defined_names.values()}
    names.update(d.attr_text for sheet in book.worksheets for d in sheet.defined_names.values())
    return cells, chars + sum(len(text) for text in names)  # a name's text is parsed once


def _copy_key(text: str, row: int, col: int) -> tuple:
    """What copies of one formula filled down a column share, as the evaluator tells them
    apart (``evaluator/plans.py``): the column, and the text with each row-relative row
    number given as its offset from the formula's own row."""
    runs: list[object] = a1.DIGIT_RUN.findall(text)
    for i, is_row in enumerate(a1.relative_rows(text)):
        if is_row:
            runs[i] = int(runs[i]) - row  # type: ignore[call-overload]
    return (col, a1.skeleton(text), *runs)
