"""Split formula text into tokens exactly as openpyxl's ``Tokenizer`` does, without openpyxl.

``check`` must not load openpyxl (a quarter of a second of start-up, and the writer's library
has no business in the reader), yet the parser's tokens must stay those of the tokenizer it
was proven against: this is the same algorithm (Eric Bachtal's, as openpyxl implements it),
quirks included, so that tests can compare the two token for token on every formula the
generator writes and on the fuzz corpus.  It differs only in speed: a run of ordinary
characters is taken with one regex match instead of one Python step per character.

The quirks kept on purpose: a line feed is white space that does not end the operand being
read; a run of white space is one token whose value is its first character; ``,`` inside
parentheses (not a function's) is the union operator; ``1E`` followed by ``+``/``-`` stays one
number; a ``)`` with nothing open is an ``IndexError``, as openpyxl's is.
"""

from __future__ import annotations

import re


class TokenizerError(Exception):
    """Text the tokenizer cannot split (an open string, an unknown error code...)."""


class Token:
    """One token: ``value`` as written, ``type`` and ``subtype`` as openpyxl names them."""

    __slots__ = ("value", "type", "subtype")

    LITERAL = "LITERAL"
    OPERAND = "OPERAND"
    FUNC = "FUNC"
    ARRAY = "ARRAY"
    PAREN = "PAREN"
    SEP = "SEP"
    OP_PRE = "OPERATOR-PREFIX"
    OP_IN = "OPERATOR-INFIX"
    OP_POST = "OPERATOR-POSTFIX"
    WSPACE = "WHITE-SPACE"
    TEXT = "TEXT"
    NUMBER = "NUMBER"
    LOGICAL = "LOGICAL"
    ERROR = "ERROR"
    RANGE = "RANGE"
    OPEN = "OPEN"
    CLOSE = "CLOSE"
    ARG = "ARG"
    ROW = "ROW"

    def __init__(self, value: str, type_: str, subtype: str = "") -> None:
        self.value = value
        self.type = type_
        self.subtype = subtype

    def __repr__(self) -> str:
        return f"{self.type} {self.subtype} {self.value}:"


def operand(value: str) -> Token:
    """An operand token, its subtype told from its text as openpyxl tells it."""
    if value.startswith('"'):
        subtype = Token.TEXT
    elif value.startswith("#"):
        subtype = Token.ERROR
    elif value in ("TRUE", "FALSE"):
        subtype = Token.LOGICAL
    elif value[0] in _NOT_A_NUMBER:  # no float starts so: spare the ValueError
        subtype = Token.RANGE
    else:
        try:
            float(value)
            subtype = Token.NUMBER
        except ValueError:
            subtype = Token.RANGE
    return Token(value, Token.OPERAND, subtype)


# float() accepts digits, a sign, a point, white space, inf and nan: nothing else starts one.
_NOT_A_NUMBER = frozenset("ABCDEFGHJKLMOPQRSTUVWXYZabcdefghjklmopqrstuvwxyz$'_\\!:[]")
_SCIENTIFIC = re.compile(r"^[1-9](\.[0-9]+)?[Ee]$")
_SPACES = re.compile(r"[ \n]+")
_QUOTED = {
    '"': re.compile('"(?:[^"]*"")*[^"]*"(?!")'),
    "'": re.compile("'(?:[^']*'')*[^']*'(?!')"),
}
_ORDINARY = re.compile(r"[^\"'\[# \n+\-*/^&=><%{()};,]+")
_BRACKETS = re.compile(r"[\[\]]")
ERROR_CODES = ("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA")
_ENDERS = frozenset(",;}) +-*/^&=><%")
_CLOSERS = {Token.FUNC: ")", Token.PAREN: ")", Token.ARRAY: "}"}


def tokenize(formula: str, strict: bool = False) -> list[Token]:
    """The tokens of ``formula`` (with its leading ``=``; without, one LITERAL token).

    With ``strict``, a line feed inside an operand (``w_<LF>1``, ``EXP<LF>(``) raises
    TokenizerError: openpyxl's algorithm joins the two halves into one name, which neither
    Excel nor LibreOffice does (LibreOffice shows #VALUE!)."""
    if not formula:
        return []
    if formula[0] != "=":
        return [Token(formula, Token.LITERAL)]
    return _Lexer(formula, strict).run()


class _Lexer:
    def __init__(self, formula: str, strict: bool = False) -> None:
        self.text = formula
        self.strict = strict
        self.items: list[Token] = []
        self.stack: list[Token] = []  # open functions, parentheses and arrays
        self.token: list[str] = []  # the operand being read, in pieces

    def run(self) -> list[Token]:
        text, n, i = self.text, len(self.text), 1
        ordinary = _ORDINARY.match
        while i < n:
            run = ordinary(text, i)
            if run is not None:
                self.token.append(run.group())
                i = run.end()
                continue
            char = text[i]
            if char in "+-" and self.token and _SCIENTIFIC.match("".join(self.token)):
                self.token.append(char)  # 1E+5: the sign belongs to the number
                i += 1
                continue
            if char in _ENDERS:
                self.save()
            i += self.consume(char, i)
        self.save()
        return self.items

    def consume(self, char: str, i: int) -> int:
        """Read the token starting with ``char`` at ``i``; return its length."""
        if char in "\"'":
            return self.quoted(char, i)
        if char == "[":
            return self.brackets(i)
        if char == "#":
            return self.error(i)
        if char in " \n":
            self.items.append(Token(char, Token.WSPACE))
            end = _SPACES.match(self.text, i).end()  # type: ignore[union-attr]
            if self.strict and self.token and end < len(self.text):
                if self.text[end] not in _ENDERS:  # the operand goes on after the line feed
                    raise TokenizerError("a line break inside a name or number")
            return end - i
        if char in "+-*/^&=><%":
            return self.operator(char, i)
        if char in "{(":
            return self.opener(char)
        if char in ")}":
            return self.closer(char)
        return self.separator(char)

    def quoted(self, delim: str, i: int) -> int:
        self.expect_empty(i, ":")
        match = _QUOTED[delim].match(self.text, i)
        if match is None:
            what = "string" if delim == '"' else "link"
            raise TokenizerError(f"Reached end of formula while parsing {what} in {self.text}")
        if delim == '"':
            self.items.append(operand(match.group()))
        else:
            self.token.append(match.group())  # a quoted sheet name: part of the reference
        return match.end() - i

    def brackets(self, i: int) -> int:
        depth = 0
        for mark in _BRACKETS.finditer(self.text, i):
            depth += 1 if mark.group() == "[" else -1
            if depth == 0:
                self.token.append(self.text[i : mark.end()])
                return mark.end() - i
        raise TokenizerError(f"Encountered unmatched '[' in {self.text}")

    def error(self, i: int) -> int:
        self.expect_empty(i, "!")
        for code in ERROR_CODES:
            if self.text.startswith(code, i):
                self.items.append(operand("".join(self.token) + code))
                self.token.clear()
                return len(code)
        raise TokenizerError(f"Invalid error code at position {i} in '{self.text}'")

    def operator(self, char: str, i: int) -> int:
        pair = self.text[i : i + 2]
        if pair in (">=", "<=", "<>"):
            self.items.append(Token(pair, Token.OP_IN))
            return 2
        if char == "%":
            self.items.append(Token("%", Token.OP_POST))
        elif char in "*/^&=><":
            self.items.append(Token(char, Token.OP_IN))
        else:  # + or -: infix after an operand, a closing bracket or a %
            prev = next((t for t in reversed(self.items) if t.type != Token.WSPACE), None)
            infix = prev is not None and (
                prev.subtype == Token.CLOSE or prev.type in (Token.OP_POST, Token.OPERAND)
            )
            self.items.append(Token(char, Token.OP_IN if infix else Token.OP_PRE))
        return 1

    def opener(self, char: str) -> int:
        if char == "{":
            self.expect_empty(None, ())
            token = Token("{", Token.ARRAY, Token.OPEN)
        elif self.token:
            token = Token("".join(self.token) + "(", Token.FUNC, Token.OPEN)
            self.token.clear()
        else:
            token = Token("(", Token.PAREN, Token.OPEN)
        self.items.append(token)
        self.stack.append(token)
        return 1

    def closer(self, char: str) -> int:
        opened = self.stack.pop()  # IndexError with nothing open, as openpyxl's
        value = _CLOSERS[opened.type]
        if value != char:
            raise TokenizerError(f"Mismatched ( and {{ pair in '{self.text}'")
        self.items.append(Token(value, opened.type, Token.CLOSE))
        return 1

    def separator(self, char: str) -> int:
        if char == ";":
            self.items.append(Token(";", Token.SEP, Token.ROW))
        elif not self.stack or self.stack[-1].type == Token.PAREN:
            self.items.append(Token(",", Token.OP_IN))  # the union operator
        else:
            self.items.append(Token(",", Token.SEP, Token.ARG))
        return 1

    def save(self) -> None:
        if self.token:
            self.items.append(operand("".join(self.token)))
            self.token.clear()

    def expect_empty(self, i: int | None, can_follow) -> None:
        if self.token and self.token[-1][-1] not in can_follow:
            raise TokenizerError(f"Unexpected character at position {i} in '{self.text}'")
