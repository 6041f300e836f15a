"""The pipeline for ``worksheet check``: file -> evaluator -> reference -> comparison."""

from __future__ import annotations

from pathlib import Path

from worksheet.crosscheck import Report, compare, mark_carried, pinned_values
from worksheet.evaluator import evaluate, read_book
from worksheet.expected import expected_values
from worksheet.layout import STEP
from worksheet.readback import spec_from_book
from worksheet.reference import trace_spec
from worksheet.topology import Topology


def check_file(path: Path) -> Report:
    """Evaluate every formula of the saved file and compare it with numpy, rebuilt from
    the file's own givens (so a workbook edited and saved by a person still checks)."""
    book = read_book(path)
    spec = spec_from_book(book)
    values = evaluate(book)
    expected = expected_values(Topology(spec.layers), trace_spec(spec))
    report = compare(book, values, expected, STEP)
    if not report.ok:
        # Second pass: which wrong cells are wrong on their own, which only inherit it.
        mark_carried(report, evaluate(book, pinned=pinned_values(book, expected, STEP)))
    return report
