"""The record a handout carries on its Givens sheet, so ``worksheet grade`` knows it.

Student and key workbooks both get a few grey text cells below the givens, each with a
workbook-wide defined name: what the file is (``worksheet_kind``), which sections the
student fills in (``blank_sections``), a fingerprint of the handout and, for class
variants, the student's name and seed.  Formulas never read them; ``worksheet check``
ignores them.

A student can edit any of these cells, so they are claims, not facts.  The fingerprint is
an HMAC-SHA256 of the givens, name, seed and sections under a secret that only the key
workbook holds (``handout_secret``; never the student's copy): without the key nobody can
make a fingerprint that matches changed givens.  What is graded comes from the key.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from worksheet.errors import BookError, SpecError
from worksheet.evaluator import Book
from worksheet.model.names import BLANKS, FINGERPRINT, KIND, SECRET, SEED, STUDENT, Symbol
from worksheet.model.spec import NetworkSpec
from worksheet.sheets.step_rows import SECTIONS

SECTION_KEYS = tuple(SECTIONS)  # forward, loss, backward, gradient, update, check
STUDENT_KIND, KEY_KIND, MARKED_KIND = "student", "key", "marked"
HEADING = "Handout (fixed when generated)"


def parse_sections(text: str | None) -> tuple[str, ...]:
    """``"loss,forward"`` -> ("forward", "loss"), in the order of the step sheet."""
    if text is None:
        return SECTION_KEYS
    asked = [part.strip() for part in text.split(",") if part.strip()]
    unknown = [part for part in asked if part not in SECTION_KEYS]
    if unknown or not asked:
        shown = repr(unknown[0]) if unknown else "nothing"
        raise SpecError(f"--blank: got {shown}; expected some of {','.join(SECTION_KEYS)}")
    return tuple(key for key in SECTION_KEYS if key in asked)


def givens_text(spec: NetworkSpec) -> str:
    """Everything ``spec_from_book`` reads back, as one text (numbers to 12 digits, so a
    copy re-saved by a spreadsheet application gives the same text)."""
    numbers = [v for m in spec.weights for row in m for v in row]
    numbers += [v for vector in spec.biases for v in vector]
    numbers += [v for e in spec.examples for v in (*e.inputs, *e.targets)]
    numbers.append(spec.learning_rate)
    words = [spec.layers, spec.loss, spec.activations, spec.update_biases, spec.steps]
    return repr(words + [spec.round_digits]) + ",".join(f"{v:.12g}" for v in numbers)


def new_secret() -> str:
    return secrets.token_hex(16)


def keyed(secret: str, *parts: str) -> str:
    """HMAC-SHA256 of ``parts`` (joined by a separator no part holds) under ``secret``."""
    message = "\x1f".join(parts).encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Record:
    """What a handout says about itself (a claim, in a student's file)."""

    kind: str
    sections: tuple[str, ...]
    fingerprint: str | None = None
    student: str | None = None
    seed: str | None = None
    secret: str | None = None  # the key's only

    def rows(self) -> list[tuple[Symbol, str, str]]:
        rows = [
            (KIND, "what this file is: student (to fill in), key or marked", self.kind),
            (BLANKS, "sections the student fills in", ",".join(self.sections)),
            (FINGERPRINT, "fingerprint of this handout, checked against the key", self.fingerprint),
            (STUDENT, "the student this variant is for", self.student),
            (SEED, "seed of this student's weights and example", self.seed),
            (SECRET, "the teacher's secret: never give this file to a student", self.secret),
        ]
        return [(symbol, words, value) for symbol, words, value in rows if value is not None]

    def fingerprint_of(self, spec: NetworkSpec) -> str:
        """The fingerprint a handout of ``spec`` made with this (key's) record carries."""
        if self.secret is None:
            raise ValueError("only a key's record holds the secret")
        parts = (givens_text(spec), self.student or "", self.seed or "", ",".join(self.sections))
        return keyed(self.secret, *parts)


def stored_text(book: Book, symbol: Symbol) -> tuple[str | None, str | None]:
    """(the text of a record cell, None) or (None, what is wrong with it)."""
    ref = book.name_ref(symbol.name)
    cell = book.cells.get(ref) if ref is not None else None
    if ref is None:
        return None, f"no cell named {symbol.name}"
    if cell is None or cell.value is None and cell.formula is None:
        return None, f"{symbol.name} ({ref}) is empty"
    if cell.formula is not None:
        return None, f"{symbol.name} ({ref}) is a formula, not the text written there"
    value = cell.value
    if isinstance(value, float) and value.is_integer():
        return str(int(value)), None  # a seed an application chose to store as a number
    return str(value), None


def _text(book: Book, symbol: Symbol) -> str | None:
    return stored_text(book, symbol)[0]


def kind_of(book: Book) -> str | None:
    """What a workbook of ours says it is: student, key, marked, or None (a plain one)."""
    return _text(book, KIND)


def _read(book: Book, lenient: bool = False) -> Record:
    try:
        sections = parse_sections(_text(book, BLANKS) or "")
    except SpecError:
        if not lenient:
            raise BookError(
                f"{book.path}: given {BLANKS.name} names no sections to grade"
            ) from None
        sections = ()
    texts = [_text(book, s) for s in (FINGERPRINT, STUDENT, SEED, SECRET)]
    return Record(_text(book, KIND) or "", sections, *texts)


def read_record(book: Book, lenient: bool = False) -> Record:
    """The record of a student workbook; BookError for anything else.  ``lenient`` (when a
    key will say which sections to grade) takes unreadable sections for none."""
    kind = _text(book, KIND)
    if kind == MARKED_KIND:
        raise BookError(f"{book.path}: is a marked copy; grade the student's own file")
    if kind == KEY_KIND:
        raise BookError(f"{book.path}: is an answer key, not a student's workbook")
    if kind != STUDENT_KIND:
        raise BookError(
            f"{book.path}: not a student workbook of ours (no given {KIND.name} = student);"
            " make one with: worksheet generate --student"
        )
    return _read(book, lenient)


def read_key_record(book: Book, option: str = "--key") -> Record:
    """The record of an answer key (the teacher's record); BookError naming ``option``."""
    kind = _text(book, KIND)
    if kind != KEY_KIND:
        what = {STUDENT_KIND: "is a student's copy", MARKED_KIND: "is a marked copy"}
        shown = what.get(kind or "", "is not made by worksheet generate --student")
        raise BookError(f"{option} {book.path}: {shown}, not an answer key (NAME-key.xlsx)")
    record = _read(book)
    if record.secret is None:
        raise BookError(
            f"{option} {book.path}: the key holds no {SECRET.name} (made by an older version);"
            " regenerate the handout"
        )
    return record
