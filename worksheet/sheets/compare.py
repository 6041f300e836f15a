"""Optimizers compared: one run sheet per optimizer, and the Compare sheet beside them.

No openpyxl here.  Run ``Run adam`` is an ordinary Training table of the same network from
the same givens, updating with Adam (its state in columns after the gradients); the Compare
sheet puts the loss of every run side by side, by formula, for one chart with a line per
optimizer, as the learning-rate sweep does for rates.
"""

from __future__ import annotations

from dataclasses import replace

from worksheet.model.spec import NetworkSpec
from worksheet.sheets.summary import Item, Text
from worksheet.sheets.sweep import HEAD_ROW, RATE_ROW, TOP_ROW, end_losses, loss_rows
from worksheet.sheets.training_table import Table, table

COMPARE = "Compare"


def run_sheet(kind: str) -> str:
    return f"Run {kind}"


def compared_spec(spec: NetworkSpec, kind: str) -> NetworkSpec:
    """The spec of one compared run: the same network and givens, optimizer ``kind``."""
    return replace(spec, optimizer=kind, compare_optimizers=())


def compare_tables(spec: NetworkSpec) -> list[tuple[str, Table]]:
    """(optimizer, its run's table), in the given order."""
    return [(kind, table(compared_spec(spec, kind))) for kind in spec.compare_optimizers]


class Compare:
    """Items and texts of the Compare sheet; its long loss table comes from ``rows()``.
    With one update per example the table holds each run's epoch mean ``L̄``, as the sweep."""

    def __init__(self, spec: NetworkSpec, runs: list[tuple[str, Table]]) -> None:
        self.spec, self.kinds = spec, [kind for kind, _ in runs]
        self.tables = [run for _, run in runs]
        self.texts = [Text(1, 1, f"{spec.title}: optimizers compared, same starting weights", True)]
        self.items: list[Item] = []
        smooth = self.tables[0].smooth
        last = "mean loss of the last epoch" if smooth == ("Lbar",) else "last loss"
        labels = ["first loss (update 1)", f"{last} (update {spec.updates})"]
        self.texts += [Text(RATE_ROW + i, 1, label) for i, label in enumerate(labels)]
        self.texts.append(Text(HEAD_ROW, 1, "update", True))
        for r, (kind, run) in enumerate(zip(self.kinds, self.tables), 1):
            col = 1 + r
            self.texts.append(Text(RATE_ROW - 1, col, kind, True))
            self.texts.append(Text(HEAD_ROW, col, kind, True))
            self.items += end_losses(run_sheet(kind), run, col, r, RATE_ROW, kind)

    @property
    def last_row(self) -> int:
        return TOP_ROW + self.spec.updates - 1

    def rows(self):
        """Each update's row: its number, then the loss of every run in that update."""
        return loss_rows(
            [(run_sheet(k), t) for k, t in zip(self.kinds, self.tables)], self.last_row
        )
