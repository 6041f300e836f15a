"""The pipeline hook: add the training sheets to the workbook ``writer.build_workbook`` made.

Sheets, in reading order: ``Summary`` (first and last loss, every example before and after
training, and the loss chart: what a reader wants first), ``Training`` (one row per update),
then with a learning-rate sweep ``Sweep`` (losses side by side, one chart) and ``Run 1``...
"""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from worksheet.model import names as n
from worksheet.model.spec import NetworkSpec
from worksheet.reference.training import assert_trainable, train
from worksheet.render import kinds
from worksheet.render import training_sheets as write
from worksheet.render.table_formats import ByValue, show_by_value
from worksheet.render.training_sheets import Progress
from worksheet.sheets.charts import charts
from worksheet.sheets.compare import COMPARE, Compare, compare_tables, compared_spec
from worksheet.sheets.compare import run_sheet as compare_run_sheet
from worksheet.sheets.summary import SUMMARY, Summary
from worksheet.sheets.sweep import SWEEP, TOP_ROW, Sweep, run_sheet, run_tables
from worksheet.sheets.training import TRAINING, describe, formulas_in
from worksheet.sheets.training_table import table


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
    summary_sheet = kinds.new_sheet(book, SUMMARY, kinds.SUMMARY)
    write.write_table(book, TRAINING, main, describe(spec, n.ETA), progress, spec.digits)
    summary = Summary(spec, main, TRAINING)
    write.write_block(summary_sheet, summary.texts, summary.items, spec.digits)
    count = formulas_in(main) + len(summary.items)
    if spec.lr_sweep:
        count += _add_sweep(book, spec, progress)
    if spec.compare_optimizers:
        count += _add_compare(book, spec, progress)
    for chart in charts(spec):
        write.draw(chart, book)
    _show_first(book, summary_sheet)
    return count


def _add_sweep(book: Workbook, spec: NetworkSpec, progress: Progress | None) -> int:
    tables = run_tables(spec)
    layout = Sweep(spec, tables)
    sweep = kinds.new_sheet(book, SWEEP, kinds.SWEEP)
    write.write_block(sweep, layout.texts, layout.items, spec.digits)
    write.write_rows(sweep, layout.rows(), progress)  # from TOP_ROW, below the headings
    _losses_shown(sweep, spec)
    count = len(layout.items) + spec.updates * (1 + len(tables))
    for r, run in enumerate(tables, 1):
        words = describe(spec, n.eta_run(r))
        write.write_table(book, run_sheet(r), run, words, progress, spec.digits)
    return count + sum(formulas_in(run) for run in tables)


def _add_compare(book: Workbook, spec: NetworkSpec, progress: Progress | None) -> int:
    """The Compare sheet and its chart, then each optimizer's run sheet; each
    run is refused first, as the main one is, when a spreadsheet could not compute it."""
    runs = compare_tables(spec)
    for kind, _ in runs:
        assert_trainable(spec, train(compared_spec(spec, kind)))
    layout = Compare(spec, runs)
    sheet = kinds.new_sheet(book, COMPARE, kinds.SWEEP)
    write.write_block(sheet, layout.texts, layout.items, spec.digits)
    write.write_rows(sheet, layout.rows(), progress)
    _losses_shown(sheet, spec)
    count = len(layout.items) + spec.updates * (1 + len(runs))
    for kind, run in runs:
        words = describe(compared_spec(spec, kind), n.ETA)
        write.write_table(book, compare_run_sheet(kind), run, words, progress, spec.digits)
        count += formulas_in(run)
    return count


def _losses_shown(sheet: Worksheet, spec: NetworkSpec) -> None:
    """The side-by-side loss table of a Sweep or Compare sheet: frozen below its head,
    the update's number whole, each loss to ``spec.digits`` significant figures (the head's
    cells are styled: ``generate.show_values`` formats them)."""
    sheet.freeze_panes = f"B{TOP_ROW}"
    show_by_value(sheet, ByValue(spec.digits, frozenset({1})))


def _show_first(book: Workbook, first: Worksheet) -> None:
    """Open the workbook on ``first``; only one tab may be selected, or Excel groups them."""
    book.active = book.worksheets.index(first)
    for ws in book.worksheets:
        ws.sheet_view.tabSelected = ws is first
