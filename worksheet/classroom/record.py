"""The record a handout carries on its Givens sheet, so ``worksheet grade`` knows it.

Student and key workbooks both get a few grey text cells below the givens, each with a
workbook-wide defined name: what the file is (``worksheet_kind``), which sections the
student fills in (``blank_sections``), a digest of the givens (so a grader can tell when
someone unlocked the sheet and changed a weight), and, for class variants, the student's
name and seed.  Formulas never read them; ``worksheet check`` ignores them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.workbook.defined_name import DefinedName

from worksheet.errors import BookError, SpecError
from worksheet.evaluator import Book
from worksheet.model.names import Symbol
from worksheet.model.spec import NetworkSpec
from worksheet.render import styles
from worksheet.sheets.cells import absolute, column_letter
from worksheet.sheets.layout import GIVENS, BookLayout
from worksheet.sheets.step_rows import SECTIONS

SECTION_KEYS = tuple(SECTIONS)  # forward, loss, backward, gradient, update, check
STUDENT_KIND, KEY_KIND, MARKED_KIND = "student", "key", "marked"
HEADING = "Handout (fixed when generated)"

KIND = Symbol("worksheet_kind", "kind")
BLANKS = Symbol("blank_sections", "answers")
DIGEST = Symbol("givens_digest", "givens check")
STUDENT = Symbol("student_name", "student")
SEED = Symbol("student_seed", "seed")


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


def givens_digest(spec: NetworkSpec) -> str:
    """12 hex digits over everything ``spec_from_book`` reads back (numbers to 12 digits,
    so a copy re-saved by a spreadsheet application gives the same digest)."""
    numbers = [v for m in spec.weights for row in m for v in row]
    numbers += [v for vector in spec.biases for v in vector]
    numbers += [v for e in spec.examples for v in (*e.inputs, *e.targets)]
    numbers.append(spec.learning_rate)
    words = [spec.layers, spec.loss, spec.activations, spec.update_biases, spec.steps]
    text = repr(words + [spec.round_digits]) + ",".join(f"{v:.12g}" for v in numbers)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


@dataclass(frozen=True)
class Record:
    """What a handout says about itself."""

    kind: str
    sections: tuple[str, ...]
    digest: str | None = None
    student: str | None = None
    seed: str | None = None

    def rows(self) -> list[tuple[Symbol, str, str]]:
        rows = [
            (KIND, "what this file is: student (to fill in), key or marked", self.kind),
            (BLANKS, "sections the student fills in", ",".join(self.sections)),
            (DIGEST, "fingerprint of the givens when the handout was made", self.digest),
            (STUDENT, "the student this variant is for", self.student),
            (SEED, "seed of this student's weights and example", self.seed),
        ]
        return [(symbol, words, value) for symbol, words, value in rows if value is not None]


def add_record(book: Workbook, layout: BookLayout, record: Record) -> None:
    """Grey text cells with workbook-wide names, under a heading below the givens."""
    sheet, given = book[GIVENS], layout.givens
    row = given.lines[-1][0] + 2
    sheet.cell(row, 1, HEADING).font = styles.BOLD
    for col in range(1, len(given.columns) + 1):
        sheet.cell(row, col).fill = styles.HEADING_FILL
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(given.columns))
    for symbol, words, value in record.rows():
        row += 1
        sheet.cell(row, given.col("symbol"), symbol.text)
        sheet.cell(row, given.col("meaning"), words)
        cell = sheet.cell(row, given.col("value"), value)
        cell.data_type, cell.fill = "s", styles.FIXED_FILL
        name = sheet.cell(row, given.col("name"), symbol.name)
        name.font, name.alignment = styles.CODE_FONT, styles.INDENTED
        ref = absolute(GIVENS, row, given.col("value"))
        book.defined_names[symbol.name] = DefinedName(symbol.name, attr_text=ref)
    sheet.print_area = f"A1:{column_letter(len(given.columns))}{row}"


def _text(book: Book, symbol: Symbol) -> str | None:
    ref = book.name_ref(symbol.name)
    cell = book.cells.get(ref) if ref is not None else None
    if cell is None or cell.formula is not None or cell.value is None:
        return None
    value = cell.value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a seed an application chose to store as a number
    return str(value)


def kind_of(book: Book) -> str | None:
    """What a workbook of ours says it is: student, key, marked, or None (a plain one)."""
    return _text(book, KIND)


def read_record(book: Book) -> Record:
    """The record of a student workbook; BookError for anything else."""
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
    try:
        sections = parse_sections(_text(book, BLANKS) or "")
    except SpecError:
        raise BookError(f"{book.path}: given {BLANKS.name} names no sections to grade") from None
    return Record(kind, sections, _text(book, DIGEST), _text(book, STUDENT), _text(book, SEED))
