"""Student handout and answer key, made from one layout so they match cell for cell.

The key is the live workbook ``generate`` writes.  The student's copy is the same workbook
with the quantities of the chosen sections emptied into highlighted, unlocked answer cells
(symbol, meaning, maths and defined name stay; the formula text would give the answer away)
and every sheet protected without a password, so the givens stay the teacher's.  Both leave
out the gradient check and the training sheets: they would show the answers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from worksheet.classroom.consequences import waiting_cells
from worksheet.classroom.record import (
    HEADING,
    KEY_KIND,
    SECTION_KEYS,
    STUDENT_KIND,
    Record,
    new_secret,
)
from worksheet.files.outputs import refuse_existing
from worksheet.model.spec import NetworkSpec
from worksheet.reference.steps_by_name import starting_values
from worksheet.render.book import build_workbook, save_atomic
from worksheet.render.handout import ANSWER_FILL, ANSWER_LEGEND, add_record, make_student_copy
from worksheet.render.properties import describe
from worksheet.render.stored_values import computed_values
from worksheet.sheets.layout import BookLayout, plan

__all__ = ["ANSWER_FILL", "ANSWER_LEGEND", "build_handout", "write_handout"]
Book = Any  # an openpyxl workbook: made and saved by ``render``, only passed along here
Finish = Callable[[Book, str | None], None]


def handout_spec(spec: NetworkSpec) -> NetworkSpec:
    """The spec without the gradient check and training sheets, which reveal answers."""
    return replace(spec, gradcheck=False, epochs=0, batch=False, lr_sweep=())


@dataclass(frozen=True)
class Handout:
    key: Book
    student: Book
    answers: int  # answer cells the student fills in


def build_handout(
    spec: NetworkSpec,
    sections: tuple[str, ...] = SECTION_KEYS,
    student: str | None = None,
    seed: int | None = None,
    secret: str | None = None,
) -> Handout:
    """Key and student workbooks for ``spec``, without what ``handout_spec`` leaves out.

    The key's record holds ``secret`` (a new one when None: a class shares one); the
    student's holds only the fingerprint made with it."""
    spec = handout_spec(spec)
    layout = plan(spec)
    if student:
        for sheet in layout.sheets:
            sheet.title = f"{sheet.title} ({student})"
    formats = _formats(spec)
    seed_text = None if seed is None else str(seed)
    key = Record(KEY_KIND, sections, None, student, seed_text, secret or new_secret())
    key = replace(key, fingerprint=key.fingerprint_of(spec))
    records = {KEY_KIND: key, STUDENT_KIND: replace(key, kind=STUDENT_KIND, secret=None)}
    books = {}
    for kind, record in records.items():
        books[kind] = build_workbook(layout, formats, spec.digits, spec.round_digits)
        rows = [(sym.text, sym.name, words, value) for sym, words, value in record.rows()]
        add_record(books[kind], layout, HEADING, rows)
    cells = answer_rows(layout, sections)
    make_student_copy(books[STUDENT_KIND], cells, waiting_cells(layout, sections))
    return Handout(books[KEY_KIND], books[STUDENT_KIND], len(cells))


def check_computable(spec: NetworkSpec) -> None:
    """Refuse (``SpecError``) a handout a spreadsheet could not compute, building nothing."""
    _formats(handout_spec(spec))


def _formats(spec: NetworkSpec) -> dict[str, float]:
    """Starting values by name, for number formats (as ``generate`` does)."""
    return starting_values(spec)


def answer_rows(layout: BookLayout, sections: tuple[str, ...]) -> list:
    """(sheet, row, value column, formula column) of each quantity of the chosen sections."""
    return [
        (sheet.name, row, sheet.col("value"), sheet.col("formula"))
        for sheet in layout.steps
        for row, item in sheet.lines
        if item.section in sections
    ]


@dataclass(frozen=True)
class Written:
    student: Path
    key: Path
    answers: int


def handout_paths(path: Path) -> tuple[Path, Path]:
    """``out/x.xlsx`` -> ``out/x-student.xlsx``, ``out/x-key.xlsx``."""
    path = Path(path)
    stem = path.stem if path.suffix.lower() == ".xlsx" else path.name
    return path.with_name(f"{stem}-student.xlsx"), path.with_name(f"{stem}-key.xlsx")


def write_handout(
    spec: NetworkSpec,
    path: Path,
    sections: tuple[str, ...] = SECTION_KEYS,
    force: bool = False,
    student: str | None = None,
    seed: int | None = None,
    finish: Finish | None = None,
    secret: str | None = None,
) -> Written:
    """Write ``NAME-student.xlsx`` and ``NAME-key.xlsx`` beside ``path``; neither when one
    exists already (without ``force``).  ``finish(book, student)`` may touch up both books
    before they are saved (page setup for printing, say)."""
    student_path, key_path = handout_paths(path)
    for target in (student_path, key_path):
        refuse_existing(target, force)
    handout = build_handout(spec, sections, student, seed, secret)
    for book in (handout.key, handout.student) if finish else ():
        finish(book, student)
    copies = ((handout.key, key_path, "answer key"), (handout.student, student_path, "handout"))
    for book, target, what in copies:
        describe(book, f"{spec.title}: {what}" + (f" for {student}" if student else ""))
        save_atomic(book, target, force, values=computed_values(book))
    return Written(student_path, key_path, handout.answers)


def handout_notes(spec: NetworkSpec) -> list[str]:
    """What a handout leaves out of ``spec``, worth a note."""
    if spec.epochs or spec.lr_sweep:
        return ["handouts leave out the Training and sweep sheets (they show the answers)"]
    return []
