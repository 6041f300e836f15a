"""The learning-rate sweep as text: one run sheet per rate, and the Sweep sheet beside them.

No openpyxl here.  Run ``r`` is an ordinary Training table whose updates use the given
``eta_run{r}``, so changing that one cell recomputes the whole run.  The Sweep sheet puts the
loss of every run side by side, by formula, for one chart with a line per learning rate.
"""

from __future__ import annotations

from worksheet.model import names as n
from worksheet.model.spec import NetworkSpec
from worksheet.sheets import formulas as f
from worksheet.sheets.cells import absolute, column_letter
from worksheet.sheets.summary import Item, Text
from worksheet.sheets.training_table import FIRST_ROW, SEPARATOR, Table, table

SWEEP = "Sweep"
RATE_ROW = 4  # learning rate, first loss, last loss: rows 4-6
HEAD_ROW = 8  # the loss table's headings
TOP_ROW = HEAD_ROW + 1  # update 1 of the loss table


def run_sheet(r: int) -> str:
    """Run ``r``'s sheet name: short and valid whatever the rate (≤ 31 characters, no ``:``).
    The rate itself lives in a cell, where editing it keeps the name true."""
    return f"Run {r}"


def run_tables(spec: NetworkSpec) -> list[Table]:
    """One Training table per rate of the sweep, each updating with its own ``eta_run{r}``."""
    return [table(spec, n.eta_run(r).name) for r in range(1, len(spec.lr_sweep) + 1)]


def run_label(r: int) -> str:
    return f"run {r} ({n.eta_run(r).text})"


class Sweep:
    """Items and texts of the Sweep sheet; its long loss table comes from ``rows()``.

    In stochastic mode the table holds each run's epoch mean ``L̄``: five zigzagging lines on
    one chart would hide each other."""

    def __init__(self, spec: NetworkSpec, tables: list[Table]) -> None:
        self.spec, self.tables = spec, tables
        self.texts: list[Text] = [Text(1, 1, f"{spec.title}: learning-rate sweep", True)]
        self.items: list[Item] = []
        last = "mean loss of the last epoch" if tables[0].smooth == ("Lbar",) else "last loss"
        labels = ["learning rate", "first loss (update 1)", f"{last} (update {spec.updates})"]
        self.texts += [Text(RATE_ROW + i, 1, label) for i, label in enumerate(labels)]
        self.texts.append(Text(HEAD_ROW, 1, "update", True))
        for r, run in enumerate(tables, 1):
            col = 1 + r
            self.texts.append(Text(RATE_ROW - 1, col, run_label(r), True))
            self.texts.append(Text(HEAD_ROW, col, run_label(r), True))
            rate = n.eta_run(r)
            self.items.append(Item(RATE_ROW, col, f.reference(rate.name), ("eta", r), rate.name))
            self.items += end_losses(run_sheet(r), run, col, r, RATE_ROW + 1, f"run {r}")

    @property
    def last_row(self) -> int:
        return TOP_ROW + self.spec.updates - 1

    def rows(self):
        """Each update's row: its number, then the loss of every run in that update."""
        runs = [(run_sheet(r), run) for r, run in enumerate(self.tables, 1)]
        return loss_rows(runs, self.last_row)


def end_losses(sheet: str, run: Table, col: int, r: int, top: int, who: str) -> list[Item]:
    """Run ``r``'s first loss and last (or last epoch's mean) loss, read from its run sheet,
    in column ``col`` from row ``top`` down (a sweep's, a comparison's)."""
    ends = (
        (("first_loss", r), FIRST_ROW, ("L",)),
        (("last_loss", r), run.last_row, run.smooth),
    )
    return [
        Item(
            top + offset,
            col,
            f.reference(absolute(sheet, row, run.col(loss_key))),
            key,
            f"{key[0]} of {who}".replace("_", " "),
        )
        for offset, (key, row, loss_key) in enumerate(ends)
    ]


def loss_rows(runs, last_row: int):
    """The rows of a side-by-side loss table (a sweep's, a comparison's), from TOP_ROW to
    ``last_row``: the update's number, then each run's loss of that update, read from its
    run sheet ``(sheet name, table)``."""
    losses = [f"='{sheet}'!{column_letter(run.col(run.smooth))}{{q}}" for sheet, run in runs]
    later = SEPARATOR.join(["=A{p}+1", *losses])
    first = SEPARATOR.join(["=1", *losses])
    shift = FIRST_ROW - TOP_ROW  # the run sheets' row of the same update
    for row in range(TOP_ROW, last_row + 1):
        template = first if row == TOP_ROW else later
        yield template.format(p=row - 1, q=row + shift).split(SEPARATOR)
