"""The pipeline for ``worksheet generate``: spec -> reference -> layout -> workbook file.

Every formula is saved with its value stored beside it: the small sheets valued by the
project's evaluator over the book in memory, the training tables by the numpy runs that
were made anyway to refuse a run a spreadsheet cannot compute.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from openpyxl import Workbook

from worksheet.errors import FormulaError
from worksheet.evaluator.engine import collector_paused
from worksheet.files.outputs import refuse_existing
from worksheet.model.spec import NetworkSpec
from worksheet.reference.steps_by_name import starting_values
from worksheet.reference.training import Run, assert_trainable, train
from worksheet.render import capacity
from worksheet.render.book import build_workbook, save_atomic
from worksheet.render.network import add_network_sheet
from worksheet.render.page_setup import apply_page_setup
from worksheet.render.properties import describe
from worksheet.render.stored_values import SheetValues, computed_values, merge
from worksheet.render.training_book import add_training
from worksheet.render.training_values import training_values
from worksheet.sheets.layout import plan
from worksheet.sheets.training import distinct_rows


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
        book, count, runs = _build(spec, progress, paper)
        capacity.check_book(book, distinct_rows(spec))
        values = stored_values(book, spec, runs) if stored else None
        save_atomic(book, path, force, values=values)
    return count


def build(
    spec: NetworkSpec, progress: Callable[[int], None] | None = None, paper: str = "a4"
) -> tuple[Workbook, int]:
    """The workbook for ``spec``, not yet saved, and its number of formulas; refuses first
    (``SpecError``) what a spreadsheet, or ``check``, could not compute."""
    book, count, _ = _build(spec, progress, paper)
    return book, count


def stored_values(book: Workbook, spec: NetworkSpec, runs: dict[float, Run]) -> SheetValues:
    """The value of every formula of ``book``, the workbook built for ``spec``."""
    tables = training_values(spec, runs)
    try:
        small = computed_values(book, skip=tables.keys(), strict=True)
    except FormulaError:
        # A sheet reads the tables but has no numpy values of its own yet: evaluate it all
        # (slower, still right; the numpy values of the tables come last and win).
        small = computed_values(book)
    return merge(small, tables)


def _build(
    spec: NetworkSpec, progress: Callable[[int], None] | None, paper: str
) -> tuple[Workbook, int, dict[float, Run]]:
    capacity.check_spec(spec)
    formats = starting_values(spec)  # refuses first what a spreadsheet could not compute
    runs = _runs(spec)
    layout = plan(spec)
    book = build_workbook(layout, formats=formats)
    count = sum(len(sheet.lines) + len(sheet.cells) for sheet in layout.steps)
    count += add_network_sheet(book, spec)
    count += add_training(book, spec, check=False, progress=progress)  # checked in _runs
    apply_page_setup(book, paper=paper, title=spec.title)
    describe(book, spec.title)
    return book, count, runs


def _runs(spec: NetworkSpec) -> dict[float, Run]:
    """One numpy run per learning rate, each refused (``SpecError``) when a spreadsheet
    could not compute it; none without training sheets."""
    runs: dict[float, Run] = {}
    for eta in (spec.learning_rate, *spec.lr_sweep) if spec.epochs else ():
        if eta not in runs:
            runs[eta] = train(spec, eta)
            assert_trainable(spec, runs[eta])
    return runs
