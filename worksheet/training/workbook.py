"""The pipeline hook: add the training sheets to the workbook ``writer.build_workbook`` made.

Sheets, in reading order: ``Summary`` (first and last loss, every example before and after
training, and the loss chart: what a reader wants first), ``Training`` (one row per update),
then with a learning-rate sweep ``Sweep`` (losses side by side, one chart) and ``Run 1``...
"""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from worksheet import names as n
from worksheet.cells import column_letter
from worksheet.names import Symbol
from worksheet.spec import NetworkSpec
from worksheet.training import sheet as write
from worksheet.training.reference import assert_trainable, train
from worksheet.training.sheet import Progress
from worksheet.training.summary import SUMMARY, Summary
from worksheet.training.sweep import HEAD_ROW, SWEEP, TOP_ROW, Sweep, run_sheet, run_tables
from worksheet.training.table import FIRST_ROW, Table, table

TRAINING = "Training"


def describe(spec: NetworkSpec, eta: Symbol) -> str:
    """The title row of a table: what it trains, how, and with which learning rate."""
    mode = (
        "full batch (gradients averaged over the data set)"
        if spec.batch
        else "stochastic (one update per example, in turn)"
    )
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
    return spec.updates * (1 + runs + (1 if runs else 0))


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
    width = table_width(spec)
    return spec.updates * (width * (1 + runs) + runs)


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
    if spec.lr_sweep:
        rows[SWEEP] = TOP_ROW + 1
        rows.update({run_sheet(r): last for r in range(1, len(spec.lr_sweep) + 1)})
    return rows


def add_training(
    book: Workbook, spec: NetworkSpec, check: bool = True, progress: Progress | None = None
) -> int:
    """Add the training sheets for ``spec`` (nothing when ``spec.epochs`` is 0); returns the
    number of formulas added.  With ``check``, first refuse (``SpecError``) a run that a
    spreadsheet cannot compute, such as EXP overflowing, naming the update that breaks.
    ``progress(n)`` is told every few hundred rows written (``rows_to_write`` in all)."""
    if not spec.epochs:
        return 0
    if check:
        for eta in (spec.learning_rate, *spec.lr_sweep):
            assert_trainable(spec, train(spec, eta))
    main = table(spec)
    summary_sheet = book.create_sheet(SUMMARY)
    training = write.write_table(book, TRAINING, main, describe(spec, n.ETA), progress)
    summary = Summary(spec, main, TRAINING)
    write.write_block(summary_sheet, summary.texts, summary.items)
    for c, chart in enumerate(write.loss_charts(training, main)):
        summary_sheet.add_chart(chart, f"A{summary.chart_row + c * write.CHART_ROWS}")
    count = formulas_in(main) + len(summary.items)
    if spec.lr_sweep:
        count += _add_sweep(book, spec, progress)
    _show_first(book, summary_sheet)
    return count


def _add_sweep(book: Workbook, spec: NetworkSpec, progress: Progress | None) -> int:
    tables = run_tables(spec)
    layout = Sweep(spec, tables)
    sweep = book.create_sheet(SWEEP)
    write.write_block(sweep, layout.texts, layout.items)
    write.write_rows(sweep, layout.rows(), progress)  # from TOP_ROW, below the headings
    sweep.freeze_panes = f"B{TOP_ROW}"
    chart = write.sweep_chart(sweep, HEAD_ROW, layout.last_row, len(tables))
    sweep.add_chart(chart, f"{column_letter(len(tables) + 3)}3")
    for r, run in enumerate(tables, 1):
        write.write_table(book, run_sheet(r), run, describe(spec, n.eta_run(r)), progress)
    count = len(layout.items) + spec.updates * (1 + len(tables))
    return count + sum(formulas_in(run) for run in tables)


def _show_first(book: Workbook, first: Worksheet) -> None:
    """Open the workbook on ``first``; only one tab may be selected, or Excel groups them."""
    book.active = book.worksheets.index(first)
    for ws in book.worksheets:
        ws.sheet_view.tabSelected = ws is first
