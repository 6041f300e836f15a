"""Parse formula text to a tree: ``lexer``'s tokens (openpyxl's algorithm), then precedence
climbing over them.

The tokenizer already knows Excel's lexical rules (quoted sheets, "" in strings, error
literals); the climbing loop adds Excel's precedence, which differs from Python's in two ways
that matter here: unary minus binds tighter than ``^`` (``=-2^2`` is 4) and ``^`` is
left-associative (``=2^3^2`` is 64).
"""

from __future__ import annotations

import math
import re

from worksheet.errors import FormulaError
from worksheet.evaluator import a1
from worksheet.evaluator.lexer import Token, TokenizerError, tokenize
from worksheet.evaluator.nodes import (
    Binary,
    Bool,
    Call,
    CellNode,
    Error,
    Missing,
    NameNode,
    Node,
    Number,
    Percent,
    RangeNode,
    Text,
    Unary,
)
from worksheet.evaluator.tokens import split_sheet, without_spaces
from worksheet.evaluator.values import ERROR_CODES, XLError

# Binding powers, loosest first. Every infix operator is left-associative in Excel, ^ included.
INFIX = {"=": 10, "<>": 10, "<": 10, ">": 10, "<=": 10, ">=": 10, "&": 20, "+": 30, "-": 30}
INFIX |= {"*": 40, "/": 40, "^": 50}
PERCENT = 60
PREFIX = 70

_NAME = re.compile(r"[A-Za-z_\\][A-Za-z0-9_.\\?]*")
# A number as Excel and LibreOffice read one. Python's float() reads more: other scripts'
# digits ("\u0661" is 1), "1_0", "nan", "infinity", white space around it ("1\u00a0"), all
# of which a spreadsheet shows as #NAME? or #VALUE!.
_NUMBER = re.compile(r"(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[Ee][+-]?[0-9]+)?")
_STARTS_OPERAND = {Token.OPERAND, Token.FUNC, Token.PAREN, Token.ARRAY}


class _Parser:
    """One parse: a token cursor plus the references met so far, in text order."""

    def __init__(self, tokens: list[Token], host_row: int, host_col: int, where: str) -> None:
        self.tokens = tokens
        self.i = 0
        self.host_row, self.host_col = host_row, host_col
        self.where = where
        self.refs: list[tuple[int, int, bool, bool]] = []

    def fail(self, problem: str) -> FormulaError:
        return FormulaError(f"{self.where}: {problem}")

    def peek(self) -> Token | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> Token:
        tok = self.peek()
        if tok is None:
            raise self.fail("bad formula syntax (formula ends too early)")
        self.i += 1
        return tok

    def expression(self, min_bp: int = 0) -> Node:
        """Precedence climbing: an operand, then operators binding at least ``min_bp``."""
        left = self.prefix()
        while (tok := self.peek()) is not None:
            if tok.type == Token.OP_POST and tok.value == "%":
                if PERCENT < min_bp:
                    break
                self.i += 1
                left = Percent(left)
            elif tok.type == Token.OP_IN and tok.value in INFIX:
                bp = INFIX[tok.value]
                if bp < min_bp:
                    break
                self.i += 1
                left = Binary(tok.value, left, self.expression(bp + 1))
            elif tok.type in _STARTS_OPERAND and tok.subtype != Token.CLOSE:
                raise self.fail(f"bad formula syntax (unexpected {tok.value!r})")
            elif tok.type == Token.OP_IN:
                raise self.fail(f"unsupported operator {tok.value!r}")
            else:
                break
        return left

    def prefix(self) -> Node:
        tok = self.take()
        if tok.type == Token.OP_PRE:
            return Unary(tok.value, self.expression(PREFIX))
        if tok.type == Token.OPERAND:
            return self.operand(tok)
        if tok.type == Token.FUNC and tok.subtype == Token.OPEN:
            return self.call(tok.value[:-1])
        if tok.type == Token.PAREN and tok.subtype == Token.OPEN:
            inner = self.expression()
            self.expect(Token.PAREN, ")")
            return inner
        if tok.type == Token.ARRAY:
            raise self.fail("array constants are not supported")
        raise self.fail(f"bad formula syntax (unexpected {tok.value!r})")

    def expect(self, kind: str, value: str) -> None:
        tok = self.take()
        if tok.type != kind or tok.value != value:
            raise self.fail(f"bad formula syntax (expected {value!r}, found {tok.value!r})")

    def call(self, raw_name: str) -> Call:
        if not raw_name.isascii():  # "\u017fum".upper() is "SUM": no function is spelled so
            raise self.fail(f"unsupported function {ascii(raw_name[:40])}")
        name = raw_name.upper()  # _xlfn.-prefixed (post-2007) functions keep their prefix
        args: list[Node] = []
        if self._at(Token.FUNC, Token.CLOSE):
            self.i += 1
            return Call(name, ())
        while True:
            at_gap = self._at(Token.SEP, Token.ARG) or self._at(Token.FUNC, Token.CLOSE)
            args.append(Missing() if at_gap else self.expression())
            tok = self.take()
            if tok.type == Token.FUNC and tok.subtype == Token.CLOSE:
                return Call(name, tuple(args))
            if tok.type != Token.SEP or tok.subtype != Token.ARG:
                raise self.fail(f"bad formula syntax (unexpected {tok.value!r} in {name})")

    def _at(self, kind: str, subtype: str) -> bool:
        tok = self.peek()
        return tok is not None and tok.type == kind and tok.subtype == subtype

    def operand(self, tok: Token) -> Node:
        if tok.subtype == Token.NUMBER:
            x = float(tok.value) if _NUMBER.fullmatch(tok.value) else math.nan
            if not math.isfinite(x):
                raise self.fail(f"a number spreadsheets do not read: {ascii(tok.value[:40])}")
            return Number(x)
        if tok.subtype == Token.TEXT:
            return Text(tok.value[1:-1].replace('""', '"'))
        if tok.subtype == Token.LOGICAL:
            return Bool(tok.value.upper() == "TRUE")
        if tok.subtype == Token.ERROR:
            if tok.value.upper() not in ERROR_CODES:
                raise self.fail(f"bad formula syntax (unknown error {tok.value})")
            return Error(XLError(tok.value.upper()))
        return self.reference(tok.value)

    def reference(self, text: str) -> Node:
        """A cell, a range or a defined name, optionally qualified by a sheet."""
        sheet, body = split_sheet(text)
        if sheet is not None and (sheet.startswith("[") or "]" in sheet):
            raise self.fail(f"reference to another workbook {text}")
        if sheet is not None and ":" in sheet:
            raise self.fail(f"3-D references are not supported ({text})")
        if body.upper() == "#REF!":
            return Error(XLError.REF)
        if ":" in body:
            first, _, last = body.partition(":")
            return RangeNode(sheet, self.cell(None, first, text), self.cell(None, last, text))
        parsed = a1.parse_cell(body)
        if parsed is not None:
            return self.cell(sheet, body, text, parsed)
        if _NAME.fullmatch(body) and body.upper() not in ("R", "C"):
            return NameNode(sheet, body.upper())
        raise self.fail(f"unsupported reference {text}")

    def cell(self, sheet: str | None, body: str, text: str, parsed=None) -> CellNode:
        parsed = parsed or a1.parse_cell(body)
        if parsed is None:
            raise self.fail(f"unsupported reference {text}")
        row, col, row_abs, col_abs = parsed
        key = (
            row if row_abs else row - self.host_row,
            col if col_abs else col - self.host_col,
            row_abs,
            col_abs,
        )
        self.refs.append(key)
        return CellNode(sheet, *key)


def parse(
    text: str, host_row: int = 1, host_col: int = 1, where: str = "formula"
) -> tuple[Node, list[tuple[int, int, bool, bool]]]:
    """Parse ``=...`` text as written in ``host``; return the tree and its references in order.

    ``where`` names the cell in error messages. Raises FormulaError on text it cannot read.
    """
    try:
        items = tokenize(text if text.startswith("=") else "=" + text, strict=True)
    except (TokenizerError, IndexError, ValueError) as exc:
        raise FormulaError(f"{where}: bad formula syntax ({exc})") from exc
    tokens = without_spaces(items, where)
    parser = _Parser(tokens, host_row, host_col, where)
    if not tokens:
        raise parser.fail("empty formula")
    node = parser.expression()
    if parser.peek() is not None:
        raise parser.fail(f"bad formula syntax (unexpected {parser.peek().value!r})")
    return node, parser.refs
