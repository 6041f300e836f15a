"""The pipeline for ``worksheet check``: file -> evaluator -> reference -> comparison."""

from __future__ import annotations

from pathlib import Path

from worksheet.crosscheck import Report, compare, locate, mark_carried, pinned_values
from worksheet.evaluator import evaluate, read_book
from worksheet.expected import expected_values, start_values
from worksheet.layout import step_sheet
from worksheet.readback import spec_from_book
from worksheet.reference import trace_steps
from worksheet.spec import NetworkSpec
from worksheet.topology import Topology


def expected_by_sheet(spec: NetworkSpec) -> dict[str, dict[str, float]]:
    """Every step sheet's quantities by name, from the numpy reference of ``spec``."""
    topo = Topology(spec.layers)
    by_sheet = {}
    for k, trace in enumerate(trace_steps(spec), 1):
        values = expected_values(topo, trace)
        if k > 1:
            values.update(start_values(topo, trace, with_example=len(spec.examples) > 1))
        by_sheet[step_sheet(k)] = values
    return by_sheet


def check_file(path: Path) -> Report:
    """Evaluate every formula of the saved file and compare it with numpy, rebuilt from
    the file's own givens (so a workbook edited and saved by a person still checks)."""
    book = read_book(path)
    spec = spec_from_book(book)
    values = evaluate(book)
    expected, missing = locate(book, expected_by_sheet(spec))
    report = compare(book, values, expected, missing)
    if not report.ok:
        # Second pass: which wrong cells are wrong on their own, which only inherit it.
        mark_carried(report, evaluate(book, pinned=pinned_values(expected)))
    return report
