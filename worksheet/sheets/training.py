"""The Training table, summary and sweep as counts and titles: what the training sheets hold,
known from the spec alone, before anything is written.

Sheets, in reading order: ``Summary`` (first and last loss, every example before and after
training, and the loss chart: what a reader wants first), ``Training`` (one row per update),
then with a learning-rate sweep ``Sweep`` (losses side by side, one chart) and ``Run 1``...
"""

from __future__ import annotations

from dataclasses import replace

from worksheet.model.names import Symbol
from worksheet.model.spec import NetworkSpec
from worksheet.sheets.sweep import SWEEP, TOP_ROW, run_sheet
from worksheet.sheets.training_table import FIRST_ROW, Table, table

TRAINING = "Training"


def describe(spec: NetworkSpec, eta: Symbol) -> str:
    """The title row of a table: what it trains, how, and with which learning rate."""
    if spec.batch:
        mode = "full batch (gradients averaged over the data set)"
    elif spec.mini:
        mode = f"mini-batches of {spec.batch_size} (gradients averaged, examples in turn)"
    else:
        mode = "stochastic (one update per example, in turn)"
    if spec.optimizer != "sgd":
        mode += f", {spec.optimizer} (its state: the columns after the gradients g)"
    return (
        f"{spec.title}: {spec.epochs} epochs, {spec.updates} updates, {mode},"
        f" learning rate {eta.text} (Givens: {eta.name})"
    )


def formulas_in(table_: Table) -> int:
    parameters = sum(1 for c in table_.columns if c.key[0] in ("w", "b"))
    return table_.spec.updates * len(table_.columns) + parameters


def rows_to_write(spec: NetworkSpec) -> int:
    """How many table rows ``add_training`` writes: the length of a progress bar."""
    if not spec.epochs:
        return 0
    runs = len(spec.lr_sweep)
    kinds = spec.compare_optimizers
    compared = len(kinds) + (1 if kinds else 0)  # each run's sheet, the Compare sheet
    return spec.updates * (1 + runs + (1 if runs else 0) + compared)


def table_width(spec: NetworkSpec) -> int:
    """Columns of the Training table (0 without one): in full-batch mode, every example's
    forward pass and error signals side by side."""
    return len(table(spec).columns) if spec.epochs else 0


def cells_to_write(spec: NetworkSpec) -> int:
    """Formula cells of the training tables and the sweep's loss table, from the spec alone:
    known before minutes of writing."""
    if not spec.epochs:
        return 0
    runs = len(spec.lr_sweep)
    width = table_width(spec)  # the optimizer's state columns included
    compared = 0
    kinds = spec.compare_optimizers
    for kind in kinds:  # each compared run (its own state columns) and its Compare column
        compared += table_width(replace(spec, optimizer=kind, compare_optimizers=())) + 1
    return spec.updates * (width * (1 + runs) + runs + compared + (1 if kinds else 0))


def distinct_rows(spec: NetworkSpec) -> dict[str, int]:
    """Each long sheet's last row with formulas of its own; below it, each row repeats a row
    above with its addresses moved down (the copies a spreadsheet, and our evaluator, parse
    once).  The table's ``end`` row is its last row."""
    if not spec.epochs:
        return {}
    main = table(spec)
    heads = max(len(c.head) for c in main.columns)
    last = FIRST_ROW + heads + len(spec.examples)
    rows = {TRAINING: last}
    if spec.compare_optimizers:
        rows["Compare"] = TOP_ROW + 1
        for kind in spec.compare_optimizers:  # names as sheets.compare spells them
            rows[f"Run {kind}"] = last
    if spec.lr_sweep:
        rows[SWEEP] = TOP_ROW + 1
        rows.update({run_sheet(r): last for r in range(1, len(spec.lr_sweep) + 1)})
    return rows
