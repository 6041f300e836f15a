"""The pipeline for ``worksheet generate``: spec -> reference -> layout -> workbook file.

Every formula is saved with its value stored beside it, from the numpy reference that was
computed anyway to refuse what a spreadsheet cannot compute (step sheets, Network sheet,
training tables); the project's evaluator values only the few cells numpy has no exact
value for.  Each thing is computed once: the plan, the step values, one run per rate.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook

from worksheet.errors import FormulaError
from worksheet.evaluator import Cell
from worksheet.evaluator.engine import collector_paused
from worksheet.files.outputs import refuse_existing
from worksheet.model.spec import NetworkSpec
from worksheet.reference.steps_by_name import StepValues, by_name, step_values
from worksheet.reference.training import Run, assert_trainable, train
from worksheet.render import capacity, styles
from worksheet.render.book import build_workbook, save_atomic
from worksheet.render.network import add_network_sheet
from worksheet.render.numpy_values import evaluate_held, in_file_order, step_cells
from worksheet.render.page_setup import apply_page_setup
from worksheet.render.properties import describe
from worksheet.render.stored_values import SheetValues, computed_values, evaluator_book, merge
from worksheet.render.training_book import add_training
from worksheet.render.training_values import training_values
from worksheet.sheets.compare import COMPARE
from worksheet.sheets.layout import GIVENS, BookLayout, plan
from worksheet.sheets.network import NETWORK, parts
from worksheet.sheets.summary import SUMMARY
from worksheet.sheets.sweep import SWEEP


def generate(
    spec: NetworkSpec,
    path: Path,
    force: bool = False,
    progress: Callable[[int], None] | None = None,
    paper: str = "a4",
    stored: bool = True,
) -> int:
    """Write the workbook for ``spec`` to ``path``, set up to print on ``paper``; returns
    the number of formulas.  ``stored=False`` leaves every formula's value empty (only for
    measuring what storing them costs).

    ``progress(n)`` hears of Training rows written, ``rows_to_write(spec)`` in all."""
    refuse_existing(path, force)  # before minutes of work, not after
    # A million objects are made and kept (cells, styles, values), none in a reference cycle
    # that must go: the cyclic collector would walk them again and again (a tenth of the time).
    with collector_paused():
        built = _build(spec, progress, paper, streamed=True)  # saved here, by save_atomic
        values = stored_values(built)
        show_values(built.book, values, spec.digits)
        save_atomic(built.book, path, force, values=values if stored else None)
    return built.count


DEFAULT_WIDTH = 8.43  # a column's width where none is set (Excel's default)


def show_values(book: Workbook, values: SheetValues, digits: int) -> None:
    """The computed cells of the small sheets (Network, Summary, the heads of Sweep and
    Compare) take their number format from their value, by the step sheets' policy, and
    their columns the width it needs (a Network value column of 8 showed -0.123456 as ####).
    The long tables get theirs as they are saved (``render.table_formats``): set here, cell
    by cell, they made generate 2.5 times slower."""
    for title in (NETWORK, SUMMARY, SWEEP, COMPARE):
        if title not in values or title not in book.sheetnames:
            continue
        sheet, cells = book[title], values[title]
        needed: dict[str, float] = {}
        for ref, value in zip(cells.refs, cells.values):
            cell = sheet[ref]
            if cell.has_style and isinstance(value, float):  # styled: not a long table's
                cell.number_format = code = styles.number_format(value, digits)
                letters = ref.rstrip("0123456789")
                needed[letters] = max(needed.get(letters, 0.0), styles.shown_width(value, code))
        for letters, width in needed.items():
            column = sheet.column_dimensions[letters]
            if (column.width or DEFAULT_WIDTH) < width:
                column.width = width


def build(
    spec: NetworkSpec,
    progress: Callable[[int], None] | None = None,
    paper: str = "a4",
    streamed: bool = False,
) -> tuple[Workbook, int]:
    """The workbook for ``spec``, not yet saved, and its number of formulas; refuses first
    (``SpecError``) what a spreadsheet, or ``check``, could not compute.  With ``streamed``
    the gradient check's nudged columns are not openpyxl cells (``render.streamed``): only
    ``book.save_atomic`` saves such a book whole."""
    built = _build(spec, progress, paper, streamed)
    return built.book, built.count


@dataclass
class Built:
    """A workbook built for ``spec`` and what was computed on the way: its plan, the numpy
    values of its step sheets and one run per learning rate (each made once, then shared)."""

    spec: NetworkSpec
    book: Workbook
    count: int  # formulas
    layout: BookLayout
    steps: list[StepValues]
    runs: dict[float, Run]


def stored_values(built: Built) -> SheetValues:
    """The value of every formula of the workbook, from numpy (the step sheets' quantities
    at their planned cells, the Network sheet, the training tables); where numpy has not
    valued every formula of a sheet (the compared optimizers' runs, say), the project's
    evaluator values the rest, reading numpy's exact values as constants."""
    spec, book, layout = built.spec, built.book, built.layout
    tables = training_values(spec, built.runs)
    known = step_cells(layout, built.steps, spec)
    planned = sum(len(sheet.lines) + len(sheet.cells) for sheet in layout.steps)
    valued = {GIVENS, NETWORK, *tables, *(sheet.name for sheet in layout.steps)}
    if len(known) == planned + len(parts(spec)) and set(book.sheetnames) <= valued:
        return merge(in_file_order(known), tables)
    known = step_cells(layout, built.steps, spec, gradients=False)
    held = evaluator_book(book, skip=tables.keys())
    for ref, value in known.items():
        held.cells[ref] = Cell(None, value)
    try:
        rest = evaluate_held(held)
    except FormulaError:
        # A sheet reads the tables but has no numpy values of its own yet: evaluate it all
        # (slower, still right; the numpy values of the tables come last and win).
        return merge(computed_values(book), tables)
    return merge(in_file_order({**rest, **known}), tables)


def _build(
    spec: NetworkSpec,
    progress: Callable[[int], None] | None,
    paper: str,
    streamed: bool = False,
) -> Built:
    capacity.check_spec(spec)
    capacity.check_early(spec)  # ten step sheets too many for check: refused in a second
    layout = plan(spec)
    capacity.check_plan(spec, layout)  # before any numpy or openpyxl work
    steps = step_values(spec)  # refuses first what a spreadsheet could not compute
    runs = _runs(spec)
    book = build_workbook(layout, by_name(steps), spec.digits, spec.round_digits, streamed)
    count = sum(len(sheet.lines) + len(sheet.cells) for sheet in layout.steps)
    count += add_network_sheet(book, spec)
    count += add_training(book, spec, check=False, progress=progress)  # checked in _runs
    apply_page_setup(book, paper=paper, title=spec.title)
    describe(book, spec.title)
    return Built(spec, book, count, layout, steps, runs)


def _runs(spec: NetworkSpec) -> dict[float, Run]:
    """One numpy run per learning rate, each refused (``SpecError``) when a spreadsheet
    could not compute it; none without training sheets."""
    runs: dict[float, Run] = {}
    for eta in (spec.learning_rate, *spec.lr_sweep) if spec.epochs else ():
        if eta not in runs:
            runs[eta] = train(spec, eta)
            assert_trainable(spec, runs[eta])
    return runs
