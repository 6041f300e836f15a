"""Decode a cell's stored text (``<v>``, shared and inline strings) as spreadsheets do.

Only the forms spreadsheet applications write are accepted. Python's ``float`` and ``int``
read more (``1_0``, ``infinity``, Arabic-Indic digits) than LibreOffice or Excel would, and
LibreOffice reads a boolean ``true`` as FALSE, so anything outside the written forms is
refused rather than read one way here and another there.
"""

from __future__ import annotations

import math
import re

from worksheet.evaluator.values import ERROR_CODES, Value, XLError

_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_SURROGATE_ESCAPE = re.compile(r"_x[dD][89a-fA-F][0-9A-Fa-f]{2}_")
_NUMBER = re.compile(
    r"[ \t\r\n]*[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?[ \t\r\n]*"
)
_INDEX = re.compile(r"[ \t\r\n]*[0-9]{1,9}[ \t\r\n]*")
# At most 200 digits before the point and a two-digit exponent: finite whatever the digits,
# so the reader's fast path for plain numbers needs no other check.
_SMALL_NUMBER = re.compile(r"-?[0-9]{1,200}(?:\.[0-9]{0,300})?(?:[eE][+-]?[0-9]{1,2})?")

# Cell types (``t``) of SpreadsheetML; ``d`` (ISO dates) is one we do not read.
CELL_TYPES = frozenset({"n", "s", "str", "b", "e", "inlineStr"})


def number(v: str) -> bool:
    """Whether ``v`` is a number as writers store them, sure to be finite once read."""
    return _SMALL_NUMBER.fullmatch(v) is not None


def unescape(text: str) -> str:
    """Decode OOXML's ``_xHHHH_`` escapes for characters XML cannot hold (e.g. ``_x000D_``).

    The escapes are UTF-16 code units, as Excel writes them: a surrogate pair becomes one
    character, and a lone surrogate, which no application can show, raises ValueError, as
    does an escaped character that needs none (see ``_escaped``).
    """
    if "_x" not in text:
        return text
    decoded = _ESCAPE.sub(_escaped, text)
    if _SURROGATE_ESCAPE.search(text):
        try:
            decoded = decoded.encode("utf-16-le", "surrogatepass").decode("utf-16-le")
        except UnicodeDecodeError as exc:
            raise ValueError("text with an unpaired surrogate escape") from exc
    return decoded


def _escaped(m: re.Match) -> str:
    """One escape's character. LibreOffice decodes only those XML cannot hold (controls,
    surrogates, U+FFFE/U+FFFF) and the underscore (a literal ``_x0041_`` is written
    ``_x005F_x0041_``); it shows ``x_x2082_`` as written where Excel shows x₂. No writer
    escapes another character, so one that is escaped is refused, not read one way."""
    code = int(m[1], 16)
    if code < 0x20 or code == 0x5F or 0xD800 <= code <= 0xDFFF or code >= 0xFFFE:
        return chr(code)
    raise ValueError(f"text with {m[0]} escaped, which LibreOffice shows as written")


def decode(kind: str, v: str, strings: list[str]) -> Value:
    """A ``<v>`` text as a value of cell type ``kind``; raises ValueError when it is not one."""
    if kind == "n":
        if not v.strip():
            return None
        if not _NUMBER.fullmatch(v):
            raise ValueError(f"not a number: {v}")
        x = float(v)
        if not math.isfinite(x):  # "1e999": no spreadsheet stores these
            raise ValueError(f"not a finite number: {v}")
        return x
    if kind == "s":
        if not _INDEX.fullmatch(v):
            raise ValueError(f"not a string index: {v}")
        return strings[int(v)]
    if kind == "str":
        return unescape(v)
    if kind == "b" and v.strip() in ("0", "1"):
        return v.strip() == "1"
    if kind == "e" and v.strip() in ERROR_CODES:
        return XLError(v.strip())
    raise ValueError(f"not a value of cell type {kind}")
