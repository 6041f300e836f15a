"""The pipeline for ``worksheet generate``: spec -> reference -> layout -> workbook file."""

from __future__ import annotations

from pathlib import Path

from worksheet.expected import assert_computable, expected_values
from worksheet.layout import plan
from worksheet.reference import trace_spec
from worksheet.spec import NetworkSpec
from worksheet.topology import Topology
from worksheet.writer import build_workbook, save_atomic


def generate(spec: NetworkSpec, path: Path, force: bool = False) -> int:
    """Write the step workbook for ``spec`` to ``path``; returns the number of formulas."""
    values = expected_values(Topology(spec.layers), trace_spec(spec))
    assert_computable(values, spec.loss)
    layout = plan(spec)
    book = build_workbook(layout, formats=values)
    save_atomic(book, path, force)
    return len(layout.step.lines)
