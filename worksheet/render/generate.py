"""The pipeline for ``worksheet generate``: spec -> reference -> layout -> workbook file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from openpyxl import Workbook

from worksheet.errors import WorksheetError
from worksheet.model.spec import NetworkSpec
from worksheet.model.topology import Topology
from worksheet.reference.by_name import assert_computable, expected_values, gradcheck_values
from worksheet.reference.step import trace_steps
from worksheet.render.book import build_workbook, save_atomic
from worksheet.render.network import add_network_sheet
from worksheet.render.page_setup import apply_page_setup
from worksheet.render.training_book import add_training
from worksheet.sheets.layout import plan
from worksheet.sheets.training import distinct_rows
from worksheet.verify import capacity


def generate(
    spec: NetworkSpec,
    path: Path,
    force: bool = False,
    progress: Callable[[int], None] | None = None,
    paper: str = "a4",
) -> int:
    """Write the workbook for ``spec`` to ``path``, set up to print on ``paper``; returns
    the number of formulas.

    ``progress(n)`` hears of Training rows written, ``rows_to_write(spec)`` in all."""
    if Path(path).exists() and not force:  # before minutes of work, not after
        raise WorksheetError(f"{path}: already exists (use --force to replace it)")
    book, count = build(spec, progress, paper)
    capacity.check_book(book, distinct_rows(spec))
    save_atomic(book, path, force)
    return count


def build(
    spec: NetworkSpec, progress: Callable[[int], None] | None = None, paper: str = "a4"
) -> tuple[Workbook, int]:
    """The workbook for ``spec``, not yet saved, and its number of formulas; refuses first
    (``SpecError``) what a spreadsheet, or ``check``, could not compute."""
    capacity.check_spec(spec)
    topo = Topology(spec.layers)
    formats: dict[str, float] = {}
    for trace in trace_steps(spec):
        values = expected_values(topo, trace)
        assert_computable(values, spec.loss)
        formats.update(values)
        if spec.gradcheck:
            named, _ = gradcheck_values(topo, trace, spec)
            formats.update({name: value for name, (value, _) in named.items()})
    layout = plan(spec)
    book = build_workbook(layout, formats=formats)
    count = sum(len(sheet.lines) + len(sheet.cells) for sheet in layout.steps)
    count += add_network_sheet(book, spec)
    count += add_training(book, spec, progress=progress)
    apply_page_setup(book, paper=paper, title=spec.title)
    return book, count
