"""What a student typed that a spreadsheet took as text but a human marker reads as a number.

A student whose calculator or country writes ``0,5987`` types it into a spreadsheet set up
for decimal points, which keeps it as the text "0,5987".  Read it as 0.5987 only where that
is unambiguous: one comma with ASCII digits on both sides, no point, nothing else (a sign in
front allowed).  "1,000" is read as 1.0 too, as the brief for the marker says; the verdict
names every such reading so the teacher sees it.
"""

from __future__ import annotations

import re

_DECIMAL_COMMA = re.compile(r"\s*([+-]?[0-9]+),([0-9]+)\s*")  # [0-9], not \d: ASCII only


def decimal_comma(value: object) -> float | None:
    """``"0,5987"`` -> 0.5987; None for anything else (a number, other text)."""
    if not isinstance(value, str):
        return None
    match = _DECIMAL_COMMA.fullmatch(value)
    return float(f"{match[1]}.{match[2]}") if match else None


def comma_note(text: str, number: float) -> str:
    """What the verdict says of such a reading."""
    return f"decimal comma: {text.strip()!r} read as {number:.15g}"
