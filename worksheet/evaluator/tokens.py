"""Token-level helpers for the parser: white space, and the sheet part of a reference.

Kept apart from the precedence logic because both are about Excel's lexical quirks: a space
between two operands is an operator (intersection), and a quoted sheet name may contain '!'
and doubled quotes.
"""

from __future__ import annotations

from worksheet.errors import FormulaError
from worksheet.evaluator.lexer import Token


def split_sheet(text: str) -> tuple[str | None, str]:
    """Split ``'My sheet'!A1`` or ``Sheet1!A1`` into (sheet, body); (None, text) if unqualified."""
    if not text.startswith("'"):
        sheet, bang, body = text.partition("!")
        return (sheet, body) if bang else (None, text)
    i = 1
    while i < len(text):
        if text[i] == "'":
            if text[i + 1 : i + 2] != "'":
                break
            i += 1  # '' is an escaped quote inside the name
        i += 1
    if text[i + 1 : i + 2] != "!":
        return None, text
    return text[1:i].replace("''", "'"), text[i + 2 :]


def without_spaces(items: list[Token], where: str) -> list[Token]:
    """Drop white space, refusing it where Excel reads it as the intersection operator."""
    tokens: list[Token] = []
    for k, tok in enumerate(items):
        if tok.type != Token.WSPACE:
            tokens.append(tok)
            continue
        before = items[k - 1] if k else None
        after = items[k + 1] if k + 1 < len(items) else None
        if _ends_operand(before) and _starts_operand(after):
            raise FormulaError(f"{where}: the intersection operator (space) is not supported")
    return tokens


def _ends_operand(tok: Token | None) -> bool:
    if tok is None:
        return False
    return tok.type == Token.OPERAND or (
        tok.type in (Token.FUNC, Token.PAREN) and tok.subtype == Token.CLOSE
    )


def _starts_operand(tok: Token | None) -> bool:
    if tok is None:
        return False
    return tok.type == Token.OPERAND or (
        tok.type in (Token.FUNC, Token.PAREN) and tok.subtype == Token.OPEN
    )
