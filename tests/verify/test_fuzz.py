"""Fuzzing ``check``: mutate generated workbooks and hold the check to its promise.

Each example takes the classic or the Mazur workbook, mutates it (a formula's text, an
operator, a reference, a number, a cell or a defined name deleted, bytes of a part or of the
zip broken) and runs ``check_file`` under an alarm. It must refuse the file with a
``WorksheetError``, or report mismatches by cell, or pass; nothing else, and never hang. A pass
is believed only if an independent evaluator, written here from scratch on ``zipfile`` and
ElementTree, finds every quantity of the mutated file equal to numpy's: a mutation that keeps
every value (``w_1*x_1`` for ``x_1*w_1``) may pass, one that changes a value may not.

    python -m pytest tests/test_fuzz.py                        # 60 examples, seconds
    FUZZ_EXAMPLES=10000 python -m pytest tests/test_fuzz.py    # the long run
"""

from __future__ import annotations

import io
import math
import os
import posixpath
import re
import signal
import tempfile
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from worksheet.errors import WorksheetError
from worksheet.evaluator import read_book
from worksheet.model.template import load_template, resolve
from worksheet.render.generate import generate
from worksheet.verify.check import check_file
from worksheet.verify.compare import agree
from worksheet.verify.expectations import expectations
from worksheet.verify.readback import spec_from_book

pytestmark = pytest.mark.slow

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "60"))
SECONDS = 20  # per example; a check of these workbooks takes a tenth of a second
TEMPLATES = ("classic", "mazur")

Entries = dict[str, bytes]


def _workbook(template: str) -> Entries:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{template}.xlsx"
        generate(resolve(load_template(template)).spec, path)
        with zipfile.ZipFile(path) as zf:
            return {name: zf.read(name) for name in zf.namelist()}


BASES = {template: _workbook(template) for template in TEMPLATES}


# --- an independent reader and evaluator ------------------------------------------------------


class Unverifiable(Exception):
    """The independent evaluator does not know this construct: it cannot vouch for a pass."""


class Err(str):
    """An error value such as #DIV/0!."""


CELL = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]{1,7})")
TOKEN = re.compile(
    r"""\s*(?:
      (?P<num>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)(?![A-Za-z_(])
    | (?P<str>"(?:[^"]|"")*")
    | (?P<err>\#(?:DIV/0!|N/A|NAME\?|NULL!|NUM!|REF!|VALUE!))
    | (?P<func>[A-Za-z_][A-Za-z0-9_.]*)\(
    | (?P<ref>(?:(?:'(?:[^']|'')+'|[A-Za-z_][A-Za-z0-9_.]*)!)?[A-Za-z0-9_.$\\?]+)
    | (?P<op><>|<=|>=|[-+*/^&=<>(),%])
    )""",
    re.VERBOSE,
)


def col_number(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def local(tag: str) -> str:
    return tag.rpartition("}")[2]


def elements(root: ElementTree.Element, name: str) -> list[ElementTree.Element]:
    """Descendants by local name: SpreadsheetML's namespace is not checked (Strict files use
    another one), as the project's reader does not check it either."""
    return [e for e in root.iter() if local(e.tag) == name]


def attribute(elem: ElementTree.Element, name: str) -> str | None:
    return next((v for k, v in elem.attrib.items() if local(k) == name), None)


class MiniBook:
    """The sheets, cells and defined names of an .xlsx, read with the standard library."""

    def __init__(self, data: bytes) -> None:
        zf = zipfile.ZipFile(io.BytesIO(data))
        parts = {info.filename.lower(): info for info in zf.infolist()}  # OPC: any case

        def read(part: str) -> ElementTree.Element:
            return ElementTree.fromstring(zf.read(parts[part.lower()]))

        workbook, rels = read("xl/workbook.xml"), read("xl/_rels/workbook.xml.rels")
        targets = {r.get("Id"): r.get("Target", "") for r in rels}
        self.sheets = [s.get("name", "") for s in elements(workbook, "sheet")]
        self.hidden = {
            s.get("name", "")
            for s in elements(workbook, "sheet")
            if s.get("state") in ("hidden", "veryHidden")
        }
        self.cells: dict[tuple[str, int, int], tuple[str, object]] = {}
        for sheet in elements(workbook, "sheet"):
            target = targets[attribute(sheet, "id")]
            part = posixpath.normpath(posixpath.join("/xl", target)).lstrip("/")
            self._read_sheet(sheet.get("name", ""), read(part))
        self.names: dict[tuple[str | None, str], str] = {}
        for name in elements(workbook, "definedName"):
            local_id = name.get("localSheetId")
            scope = self.sheets[int(local_id)] if local_id is not None else None
            self.names[(scope, name.get("name", "").upper())] = name.text or ""

    def _read_sheet(self, sheet: str, root: ElementTree.Element) -> None:
        for c in elements(root, "c"):
            m = CELL.fullmatch(c.get("r", ""))
            if m is None:
                raise Unverifiable(f"cell address {c.get('r')!r}")
            key = (sheet, int(m[2]), col_number(m[1]))
            parts = {local(e.tag): e for e in c}
            f, v, t = parts.get("f"), parts.get("v"), c.get("t", "n")
            if f is not None and f.text:
                self.cells[key] = ("f", f.text)
            elif t == "inlineStr":
                texts = [e.text or "" for e in c.iter() if local(e.tag) == "t"]
                self.cells[key] = ("v", "".join(texts))
            elif v is not None and v.text:
                self.cells[key] = ("v", float(v.text) if t == "n" else v.text)


class MiniEvaluator:
    """Excel's rules for what the generated formulas use: + - * / ^ & comparisons, unary minus
    before ^, EXP LN TANH ABS MAX MIN IF, names and A1 references, error values."""

    def __init__(self, book: MiniBook) -> None:
        self.book = book
        self.values: dict[tuple[str, int, int], object] = {}
        self.busy: set[tuple[str, int, int]] = set()
        # the Givens cells each formula reads, directly or through other formulas
        self.deps: dict[tuple[str, int, int], frozenset] = {}
        self.reading: list[set] = [set()]

    def cell(self, key: tuple[str, int, int]) -> object:
        if key in self.values:
            self.reading[-1].update(self.deps[key])
            return self.values[key]
        kind, content = self.book.cells.get(key, ("v", None))
        if kind == "v":
            if key[0] == "Givens" and isinstance(content, float):
                self.reading[-1].add(key)
            return content
        if key in self.busy:
            raise Unverifiable("circular reference")
        self.busy.add(key)
        self.reading.append(set())
        value = Formula(self, key[0], str(content)).run()
        self.deps[key] = frozenset(self.reading.pop())
        self.reading[-1].update(self.deps[key])
        self.values[key] = 0.0 if value is None else value
        self.busy.discard(key)
        return self.values[key]

    def name(self, sheet: str, name: str) -> object:
        text = self.book.names.get((sheet, name.upper()), self.book.names.get((None, name.upper())))
        if text is None:
            return Err("#NAME?")
        return Formula(self, sheet, text).run()


class Formula:
    """One formula, parsed and evaluated at once by recursive descent."""

    def __init__(self, ev: MiniEvaluator, sheet: str, text: str) -> None:
        self.ev, self.sheet = ev, sheet
        self.tokens: list[tuple[str, str]] = []
        pos, text = 0, text.removeprefix("=")
        while pos < len(text):
            m = TOKEN.match(text, pos)
            if m is None or m.end() == pos:
                if text[pos:].strip() == "":
                    break
                raise Unverifiable(f"syntax at {text[pos:]!r}")
            self.tokens.append((m.lastgroup or "", m[m.lastgroup or 0]))
            pos = m.end()
        self.i = 0

    def run(self) -> object:
        value = self.expr()
        if self.i != len(self.tokens):
            raise Unverifiable("trailing tokens")
        return value

    def peek(self) -> str | None:
        return self.tokens[self.i][1] if self.i < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        if self.i >= len(self.tokens):
            raise Unverifiable("formula ends early")
        self.i += 1
        return self.tokens[self.i - 1]

    def binary(self, ops: tuple[str, ...], operand, apply) -> object:
        left = operand()
        while self.peek() in ops:
            op = self.take()[1]
            left = apply(op, left, operand())
        return left

    def expr(self) -> object:
        return self.binary(("=", "<>", "<", ">", "<=", ">="), self.concat, compare)

    def concat(self) -> object:
        return self.binary(("&",), self.additive, lambda op, a, b: concat(a, b))

    def additive(self) -> object:
        return self.binary(("+", "-"), self.term, arithmetic)

    def term(self) -> object:
        return self.binary(("*", "/"), self.power, arithmetic)

    def power(self) -> object:
        return self.binary(("^",), self.unary, arithmetic)

    def unary(self) -> object:
        if self.peek() in ("-", "+"):
            op = self.take()[1]
            value = self.unary()
            return arithmetic("*", -1.0 if op == "-" else 1.0, value)
        value = self.primary()
        while self.peek() == "%":
            self.take()
            value = arithmetic("/", value, 100.0)
        return value

    def primary(self) -> object:
        kind, text = self.take()
        if kind == "num":
            return float(text)
        if kind == "str":
            return text[1:-1].replace('""', '"')
        if kind == "err":
            return Err(text)
        if kind == "func":
            return self.call(text.upper())
        if kind == "ref":
            return self.reference(text)
        if text == "(":
            value = self.expr()
            if self.take()[1] != ")":
                raise Unverifiable("unclosed parenthesis")
            return value
        raise Unverifiable(f"unexpected {text!r}")

    def reference(self, text: str) -> object:
        sheet, _, body = text.rpartition("!")
        sheet = sheet.strip("'").replace("''", "'") if sheet else self.sheet
        sheets = {name.upper(): name for name in self.ev.book.sheets}  # case does not matter
        if sheet.upper() not in sheets:
            raise Unverifiable(f"sheet {sheet!r}")
        sheet = sheets[sheet.upper()]
        m = CELL.fullmatch(body)
        if m and int(m[2]) >= 1 and col_number(m[1]) <= 16384:
            return self.ev.cell((sheet, int(m[2]), col_number(m[1])))
        if body.upper() in ("TRUE", "FALSE"):
            return body.upper() == "TRUE"
        if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.]*", body) and body.upper() not in ("R", "C"):
            return self.ev.name(sheet, body)
        raise Unverifiable(f"reference {text!r}")

    def call(self, name: str) -> object:
        """A function call; its '(' came with the name. Branches are evaluated eagerly, which
        is harmless: an error value in the branch not taken is only a value."""
        values = []
        if self.peek() == ")":
            self.take()
        else:
            while True:
                values.append(self.expr())
                token = self.take()[1]
                if token == ")":
                    break
                if token != ",":
                    raise Unverifiable(f"{token!r} in {name}")
        if name == "IF":
            if len(values) not in (2, 3):
                raise Unverifiable("IF arity")
            test = values[0]
            if isinstance(test, Err):
                return test
            if not isinstance(test, (float, bool)):
                raise Unverifiable("IF test type")
            return values[1] if test else (values[2] if len(values) == 3 else False)
        for v in values:
            if isinstance(v, Err):
                return v
        if name in ("MAX", "MIN") and values and all(type(v) is float for v in values):
            return (max if name == "MAX" else min)(values)
        if len(values) != 1 or type(values[0]) is not float:
            raise Unverifiable(f"{name} of {values!r}")
        x = values[0]
        if name == "EXP":
            try:
                return math.exp(x)
            except OverflowError:
                return Err("#NUM!")
        if name == "LN":
            return math.log(x) if x > 0 else Err("#NUM!")
        if name == "TANH":
            return math.tanh(x)
        if name == "ABS":
            return abs(x)
        raise Unverifiable(f"function {name}")


def number(v: object) -> float | Err:
    if isinstance(v, Err):
        return v
    if v is None:
        return 0.0
    if isinstance(v, bool):
        return float(v)
    if isinstance(v, float):
        return v
    if re.fullmatch(r"\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*", str(v)):
        return float(str(v))
    return Err("#VALUE!")


def arithmetic(op: str, a: object, b: object) -> object:
    x, y = number(a), number(b)
    if isinstance(x, Err):
        return x
    if isinstance(y, Err):
        return y
    if op == "/" and y == 0:
        return Err("#DIV/0!")
    if op == "^":
        if x == 0 and y <= 0:
            return Err("#NUM!" if y == 0 else "#DIV/0!")
        if x < 0 and not y.is_integer():
            raise Unverifiable("root of a negative number")
        try:
            result = math.pow(x, y)
        except OverflowError:
            return Err("#NUM!")
    else:
        result = {"+": x + y, "-": x - y, "*": x * y, "/": x / y if y else 0.0}[op]
    return result if math.isfinite(result) else Err("#NUM!")


def compare(op: str, a: object, b: object) -> object:
    for v in (a, b):
        if isinstance(v, Err):
            return v
    if type(a) is not float or type(b) is not float:
        raise Unverifiable("comparison of non-numbers")
    if a != b and abs(a - b) < 1e-12 * max(abs(a), abs(b)):
        raise Unverifiable("comparison within rounding")
    return {"=": a == b, "<>": a != b, "<": a < b, ">": a > b, "<=": a <= b, ">=": a >= b}[op]


def concat(a: object, b: object) -> object:
    for v in (a, b):
        if isinstance(v, Err):
            return v
        if not isinstance(v, str):
            raise Unverifiable("& of a non-text")
    return str(a) + str(b)


# --- mutations --------------------------------------------------------------------------------

FORMULA = re.compile(rb"(<c r=\"([A-Z]+[0-9]+)\"[^>]*><f>)([^<]*)(</f>)")
OPERATOR = re.compile(rb"[-+*/^]")
NAME = re.compile(rb"[A-Za-z_][A-Za-z0-9_]*(?![A-Za-z0-9_(])")
NUMBER = re.compile(rb"(?<![A-Za-z0-9_.])[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?(?![A-Za-z0-9_])")
ALPHABET = b"+-*/^()_,.:;!$%&<>=\" '0123456789ACEHLMNPSTXbdehstwxyz#"
NUMBERS = st.sampled_from([b"0", b"1", b"2", b"0.5", b"-1", b"1e-300", b"1e308", b"800", b"1E5"])


def _sheets(entries: Entries) -> list[str]:
    return sorted(k for k in entries if k.startswith("xl/worksheets/sheet"))


def pick(data: st.DataObject, items: list):
    """One of ``items``, or None when an earlier mutation left nothing to choose from."""
    return data.draw(st.sampled_from(items)) if items else None


def _formula_site(data: st.DataObject, entries: Entries) -> tuple[str, re.Match[bytes] | None]:
    part = pick(data, [p for p in _sheets(entries) if FORMULA.search(entries[p])])
    return part, None if part is None else pick(data, list(FORMULA.finditer(entries[part])))


def _replace_formula(entries: Entries, part: str, site: re.Match[bytes], text: bytes) -> Entries:
    xml = entries[part]
    return entries | {part: xml[: site.start(3)] + text + xml[site.end(3) :]}


def edit_formula_text(data: st.DataObject, entries: Entries) -> Entries:
    part, site = _formula_site(data, entries)
    if site is None:
        return entries
    text = bytearray(site[3])
    at = data.draw(st.integers(0, len(text)))
    char = data.draw(st.sampled_from(list(ALPHABET)))
    how = data.draw(st.sampled_from(["replace", "insert", "delete"]))
    if how == "insert" or not text:
        text.insert(at, char)
    elif how == "replace":
        text[min(at, len(text) - 1)] = char
    else:
        del text[min(at, len(text) - 1)]
    return _replace_formula(entries, part, site, bytes(text).replace(b"<", b"&lt;"))


def _swap_match(data: st.DataObject, entries: Entries, pattern: re.Pattern, choices) -> Entries:
    part, site = _formula_site(data, entries)
    m = None if site is None else pick(data, list(pattern.finditer(site[3])))
    if m is None:
        return entries
    new = data.draw(choices(m[0]))
    text = site[3][: m.start()] + new + site[3][m.end() :]
    return _replace_formula(entries, part, site, text.replace(b"<", b"&lt;"))


def change_operator(data: st.DataObject, entries: Entries) -> Entries:
    return _swap_match(
        data, entries, OPERATOR, lambda old: st.sampled_from([b"+", b"-", b"*", b"/", b"^"])
    )


def change_reference(data: st.DataObject, entries: Entries) -> Entries:
    names = re.findall(rb'<definedName name="([^"]+)"', entries["xl/workbook.xml"])
    cells = [b"D5", b"D6", b"J5", b"Givens!$C$10", b"Givens!C14", b"A1", b"Step!D7"]
    pool = [n for n in names if not n.startswith(b"_xlnm")] + cells
    return _swap_match(data, entries, NAME, lambda old: st.sampled_from(pool))


def change_number(data: st.DataObject, entries: Entries) -> Entries:
    if data.draw(st.booleans()):
        return _swap_match(data, entries, NUMBER, lambda old: NUMBERS)
    part = data.draw(st.sampled_from(_sheets(entries)))
    m = pick(data, list(re.finditer(rb"<v>([^<]*)</v>", entries[part])))
    if m is None:
        return entries
    xml = entries[part]
    return entries | {part: xml[: m.start(1)] + data.draw(NUMBERS) + xml[m.end(1) :]}


def delete_cell(data: st.DataObject, entries: Entries) -> Entries:
    part = data.draw(st.sampled_from(_sheets(entries)))
    m = pick(data, list(re.finditer(rb"<c [^>]*?(?:/>|>.*?</c>)", entries[part])))
    if m is None:
        return entries
    xml = entries[part]
    return entries | {part: xml[: m.start()] + xml[m.end() :]}


def delete_name(data: st.DataObject, entries: Entries) -> Entries:
    xml = entries["xl/workbook.xml"]
    m = pick(data, list(re.finditer(rb"<definedName [^>]*>[^<]*</definedName>", xml)))
    if m is None:
        return entries
    return entries | {"xl/workbook.xml": xml[: m.start()] + xml[m.end() :]}


def break_part(data: st.DataObject, entries: Entries) -> Entries:
    part = data.draw(st.sampled_from(sorted(entries)))
    raw = bytearray(entries[part])
    at = data.draw(st.integers(0, max(0, len(raw) - 1)))
    how = data.draw(st.sampled_from(["flip", "truncate", "cut", "insert"]))
    if how == "flip" and raw:
        raw[at] ^= 1 << data.draw(st.integers(0, 7))
    elif how == "truncate":
        del raw[at:]
    elif how == "cut":
        del raw[at : at + data.draw(st.integers(1, 64))]
    else:
        raw[at:at] = data.draw(st.binary(min_size=1, max_size=16))
    return entries | {part: bytes(raw)}


# --- semantic mutations: wrong files that keep every value, or hide where values come from ---


def _givens(entries: Entries) -> dict[bytes, float]:
    """Each given's name and value, as the file has them (none when a mutation before
    broke the file beyond reading)."""
    book = _readable(entries)
    if book is None:
        return {}
    found = {}
    for (scope, name), text in book.names.items():
        m = re.fullmatch(r"Givens!\$([A-Z]+)\$([0-9]+)", text)
        if scope is None and m:
            kind, value = book.cells.get(("Givens", int(m[2]), col_number(m[1])), ("v", None))
            if kind == "v" and isinstance(value, float):
                found[name.lower().encode()] = value
    return found


def _readable(entries: Entries) -> MiniBook | None:
    try:
        return MiniBook(zipped(entries))
    except (ElementTree.ParseError, KeyError, ValueError, IndexError, zipfile.BadZipFile):
        return None


def _given_site(data: st.DataObject, entries: Entries):
    """A formula, and in it one name of a given."""
    givens = _givens(entries)
    sites = [
        (part, site, m)
        for part in _sheets(entries)
        for site in FORMULA.finditer(entries[part])
        for m in NAME.finditer(site[3])
        if m[0].lower() in givens
    ]
    return givens, pick(data, sites)


def given_for_equal_given(data: st.DataObject, entries: Entries) -> Entries:
    """A given's name swapped for another given, one of equal value where there is one
    (Mazur's b_1 = b_2): the values stay right, the dependence does not."""
    givens, found = _given_site(data, entries)
    if found is None:
        return entries
    part, site, m = found
    others = [n for n in givens if n != m[0].lower()]
    equal = [n for n in others if givens[n] == givens[m[0].lower()]]
    new = pick(data, equal or others)
    if new is None:
        return entries
    text = site[3][: m.start()] + new + site[3][m.end() :]
    return _replace_formula(entries, part, site, text)


def literal_for_given(data: st.DataObject, entries: Entries) -> Entries:
    """A given's name replaced by the number it holds: right until the given changes."""
    givens, found = _given_site(data, entries)
    if found is None:
        return entries
    part, site, m = found
    literal = repr(givens[m[0].lower()]).encode()
    text = site[3][: m.start()] + literal + site[3][m.end() :]
    return _replace_formula(entries, part, site, text)


def formula_to_value(data: st.DataObject, entries: Entries) -> Entries:
    """A formula replaced by the number it computes (as an unchecked tool might save it)."""
    part, site = _formula_site(data, entries)
    if site is None:
        return entries
    book = _readable(entries)
    if book is None or len(book.sheets) != len(_sheets(entries)):
        return entries
    sheet = book.sheets[_sheets(entries).index(part)]
    m = CELL.fullmatch(site[2].decode())
    try:
        value = MiniEvaluator(book).cell((sheet, int(m[2]), col_number(m[1])))
    except (Unverifiable, RecursionError, IndexError):
        return entries
    if type(value) is not float:
        return entries
    xml = entries[part]
    end = xml.index(b"</c>", site.end())
    cell = site[1][: -len(b"<f>")] + b"<v>" + repr(value).encode() + b"</v></c>"
    return entries | {part: xml[: site.start()] + cell + xml[end + len(b"</c>") :]}


def retarget_name(data: st.DataObject, entries: Entries) -> Entries:
    """A defined name pointed at another cell of its sheet."""
    xml = entries["xl/workbook.xml"]
    m = pick(data, list(re.finditer(rb"(<definedName [^>]*>)([^<!]+)!\$([A-Z]+)\$([0-9]+)<", xml)))
    if m is None:
        return entries
    row = int(m[4]) + data.draw(st.sampled_from([-2, -1, 1, 2, 30]))
    new = m[1] + m[2] + b"!$" + m[3] + b"$" + str(max(row, 1)).encode() + b"<"
    return entries | {"xl/workbook.xml": xml[: m.start()] + new + xml[m.end() :]}


def hide_sheet(data: st.DataObject, entries: Entries) -> Entries:
    """A sheet marked hidden or very hidden: what a person sees is no longer all there is."""
    xml = entries["xl/workbook.xml"]
    m = pick(data, list(re.finditer(rb"<sheet [^>]*>", xml)))
    if m is None:
        return entries
    state = data.draw(st.sampled_from([b'state="hidden"', b'state="veryHidden"']))
    tag = re.sub(rb'\s+state="[^"]*"', b"", m[0])
    tag = tag[: len(b"<sheet ")] + state + b" " + tag[len(b"<sheet ") :]
    return entries | {"xl/workbook.xml": xml[: m.start()] + tag + xml[m.end() :]}


MUTATIONS = {
    f.__name__: f
    for f in (
        given_for_equal_given,
        literal_for_given,
        formula_to_value,
        retarget_name,
        hide_sheet,
        edit_formula_text,
        change_operator,
        change_reference,
        change_number,
        delete_cell,
        delete_name,
        break_part,
    )
}


def zipped(entries: Entries) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in entries.items():
            zf.writestr(name, content)
    return out.getvalue()


def break_zip(data: st.DataObject, raw: bytes) -> bytes:
    """Bytes of the zip container itself (headers, directory) flipped or cut."""
    mutable = bytearray(raw)
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(mutable) - 1))
        mutable[at] = data.draw(st.integers(0, 255))
    if data.draw(st.booleans()):
        del mutable[data.draw(st.integers(0, len(mutable) - 1)) :]
    return bytes(mutable)


# --- the property -----------------------------------------------------------------------------


class Hung(Exception):
    pass


def _alarm(signum, frame):
    raise Hung(f"check_file ran for more than {SECONDS} s")


def _base_dependence(template: str) -> dict:
    """The Givens cells each formula of the generated workbook reads: what is right."""
    ev = MiniEvaluator(MiniBook(zipped(BASES[template])))
    for key, (kind, _) in ev.book.cells.items():
        if kind == "f":
            ev.cell(key)
    return ev.deps


BASE_DEPENDENCE = {template: _base_dependence(template) for template in TEMPLATES}
HAND_TRACED = re.compile(r"Step( \d+)?|Network")


def verify_pass(path: Path, raw: bytes, template: str) -> None:
    """A passing file: no sheet hidden; every quantity, evaluated independently, equals
    numpy's value; and every hand-traced quantity reads the same givens as in the file as
    generated (so a right value from the wrong givens cannot pass)."""
    book = read_book(path)
    expected, missing = expectations(book, spec_from_book(book))
    assert not missing
    mini = MiniBook(raw)
    assert not mini.hidden, mini.hidden
    ev = MiniEvaluator(mini)
    right = BASE_DEPENDENCE[template]
    for ref, (label, want, slack) in expected.items():
        key = (ref.sheet, ref.row, ref.col)
        got = ev.cell(key)
        assert not isinstance(got, Err) and agree(want, got, slack), (str(ref), label, want, got)
        if HAND_TRACED.fullmatch(ref.sheet) and key in right and key in ev.deps:
            assert ev.deps[key] == right[key], (str(ref), label, ev.deps[key] ^ right[key])
    for key, (kind, _) in ev.book.cells.items():
        if kind == "f":
            assert not isinstance(ev.cell(key), Err), key


# a cell, a defined name or a sheet: what check names when it reports a mismatch
CELL_LABEL = re.compile(r"[^!]+!(\$?[A-Z]{1,3}\$?[0-9]+|\?\w+)|name \S+|sheet .+|givens")


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=EXAMPLES <= 100,  # the bounded run is the same every time; the long one explores
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    template=st.sampled_from(TEMPLATES),
    kinds=st.lists(st.sampled_from(sorted(MUTATIONS)), min_size=1, max_size=2),
    container=st.integers(0, 19),
    data=st.data(),
)
def test_check_refuses_or_names_a_cell_and_never_passes_a_wrong_workbook(
    template: str, kinds: list[str], container: int, data: st.DataObject
) -> None:
    entries = BASES[template]
    for kind in kinds:
        entries = MUTATIONS[kind](data, entries)
    raw = zipped(entries)
    if container == 0:  # one example in twenty breaks the zip itself
        raw, kinds = break_zip(data, raw), [*kinds, "break_zip"]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "mutated.xlsx"
        path.write_bytes(raw)
        previous = signal.signal(signal.SIGALRM, _alarm)
        signal.alarm(SECONDS)
        try:
            report = check_file(path)
        except WorksheetError as exc:
            assert "\n" not in str(exc)
            event(f"refused: {type(exc).__name__}")
            return
        finally:
            signal.alarm(0)
            signal.signal(signal.SIGALRM, previous)
        if not report.ok:
            event("mismatch")
            assert all(CELL_LABEL.fullmatch(label) for label in report.mismatches), list(
                report.mismatches
            )
            return
        event("passed")
        try:
            verify_pass(path, raw, template)
        except Unverifiable as exc:
            pytest.fail(f"passed, but the independent evaluator cannot confirm it: {exc}")
