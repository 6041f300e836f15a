"""How a check's verdict is printed: a short text for people, JSON for programs."""

from __future__ import annotations

import json
from pathlib import Path

from worksheet.evaluator import XLError
from worksheet.verify.compare import Report


def _show(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.12g}"
    if isinstance(value, XLError):
        return value.code
    return repr(value)


SHOWN = 100  # mismatches listed on a terminal: enough to find the first wrong cell


def report_text(path: Path, report: Report) -> str:
    counts = (
        f"{report.formulas} formulas evaluated, {report.compared} quantities compared with numpy"
        + (f", {report.cached_compared} cached values compared" if report.cached_compared else "")
    )
    if report.ok:
        return f"{path}: OK: {counts}; largest difference {report.largest_difference:.3g}"
    roots = {c: m for c, m in report.mismatches.items() if not m.carried}
    carried = [f"{c} {m.name}" for c, m in report.mismatches.items() if m.carried]
    lines = [f"{path}: MISMATCH: {len(report.mismatches)} cells disagree ({counts})"]
    if len(roots) > SHOWN:
        lines.append(f"  the first {SHOWN} of {len(roots):,} (worksheet check --json lists all):")
    for cell, m in list(roots.items())[:SHOWN]:
        values = "" if m.expected is None else f": expected {_show(m.expected)}"
        values += (
            "" if m.got is None else f", got {_show(m.got)}" if values else f": {_show(m.got)}"
        )
        lines.append(f"  {cell}  {m.name or ''}  {m.reason}{values}  {m.formula or ''}".rstrip())
    if carried:
        shown = ", ".join(carried[:12]) + (", ..." if len(carried) > 12 else "")
        lines.append(
            f"  {len(carried)} more cells have the right formula and are wrong only because "
            f"of the cells above: {shown}"
        )
    return "\n".join(lines)


def _plain(value: object):
    if isinstance(value, XLError):
        return value.code
    return value


def report_json(path: Path, report: Report) -> str:
    return json.dumps(
        {
            "file": str(path),
            "ok": report.ok,
            "formulas": report.formulas,
            "compared": report.compared,
            "cached_compared": report.cached_compared,
            "largest_difference": report.largest_difference,
            "mismatches": [
                {
                    "cell": cell,
                    "name": m.name,
                    "reason": m.reason,
                    "expected": _plain(m.expected),
                    "got": _plain(m.got),
                    "formula": m.formula,
                    "carried": m.carried,
                }
                for cell, m in report.mismatches.items()
            ],
        },
        indent=2,
    )
