"""Move formula text from one cell to another as openpyxl's ``Translator`` does, without it.

Used for shared formulas that the fast regex of ``a1.translate`` cannot be trusted with
(whole-column ranges such as ``A:A``, names next to addresses): every RANGE operand of the
tokens moves, row ranges by rows, column ranges by columns, addresses by both, names stay.
Like openpyxl's, a run of white space comes back as its first character, and a reference
moved off the top or left of the sheet raises ``TranslatorError``.
"""

from __future__ import annotations

import re

from worksheet.evaluator.lexer import Token, tokenize

_ROW_RANGE = re.compile(r"(\$?[1-9][0-9]{0,6}):(\$?[1-9][0-9]{0,6})$")
_COL_RANGE = re.compile(r"(\$?[A-Za-z]{1,3}):(\$?[A-Za-z]{1,3})$")
_CELL = re.compile(r"(\$?[A-Za-z]{1,3})(\$?[1-9][0-9]{0,6})$")
_MAX_LETTERS_COL = 18278  # ZZZ: the largest column openpyxl's letters go to


class TranslatorError(Exception):
    """A reference would move off the sheet."""


def translate_formula(formula: str, d_row: int, d_col: int) -> str:
    """``formula`` (with its ``=``) as written ``d_row`` rows down, ``d_col`` columns right."""
    tokens = tokenize(formula)
    if not tokens:
        return ""
    if tokens[0].type == Token.LITERAL:
        return tokens[0].value
    out = ["="]
    for tok in tokens:
        if tok.type == Token.OPERAND and tok.subtype == Token.RANGE:
            out.append(_range(tok.value, d_row, d_col))
        else:
            out.append(tok.value)
    return "".join(out)


def _range(text: str, d_row: int, d_col: int) -> str:
    sheet, bang, body = text.rpartition("!")
    prefix = sheet + bang
    match = _ROW_RANGE.match(body)
    if match is not None:
        return prefix + _row(match.group(1), d_row) + ":" + _row(match.group(2), d_row)
    match = _COL_RANGE.match(body)
    if match is not None:
        return prefix + _col(match.group(1), d_col) + ":" + _col(match.group(2), d_col)
    if ":" in body:
        return prefix + ":".join(_range(piece, d_row, d_col) for piece in body.split(":"))
    match = _CELL.match(body)
    if match is None:
        return body  # a name (openpyxl drops a sheet prefix here too)
    return prefix + _col(match.group(1), d_col) + _row(match.group(2), d_row)


def _row(text: str, delta: int) -> str:
    if text.startswith("$"):
        return text
    row = int(text) + delta
    if row <= 0:
        raise TranslatorError("Formula out of range")
    return str(row)


def _col(text: str, delta: int) -> str:
    if text.startswith("$"):
        return text
    index = 0
    for letter in text.upper():
        index = index * 26 + ord(letter) - 64
    index += delta
    if not 1 <= index <= _MAX_LETTERS_COL:
        raise TranslatorError("Formula out of range")
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
