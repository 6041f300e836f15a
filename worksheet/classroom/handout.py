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

from openpyxl import Workbook
from openpyxl.styles import PatternFill, Protection

from worksheet.classroom.record import (
    KEY_KIND,
    SECTION_KEYS,
    STUDENT_KIND,
    Record,
    add_record,
    givens_digest,
)
from worksheet.errors import WorksheetError
from worksheet.model.spec import NetworkSpec
from worksheet.model.topology import Topology
from worksheet.reference.by_name import assert_computable, expected_values
from worksheet.reference.step import trace_steps
from worksheet.render import styles
from worksheet.render.book import build_workbook, save_atomic
from worksheet.sheets.layout import BookLayout, plan

ANSWER_FILL = PatternFill("solid", fgColor="E4DFEC")  # lavender: your answer
ANSWER_LEGEND = "your answer"
Finish = Callable[[Workbook, str | None], None]


def handout_spec(spec: NetworkSpec) -> NetworkSpec:
    """The spec without the gradient check and training sheets, which reveal answers."""
    return replace(spec, gradcheck=False, epochs=0, batch=False, lr_sweep=())


@dataclass(frozen=True)
class Handout:
    key: Workbook
    student: Workbook
    answers: int  # answer cells the student fills in


def build_handout(
    spec: NetworkSpec,
    sections: tuple[str, ...] = SECTION_KEYS,
    student: str | None = None,
    seed: int | None = None,
) -> Handout:
    """Key and student workbooks for ``spec``, without what ``handout_spec`` leaves out."""
    spec = handout_spec(spec)
    layout = plan(spec)
    if student:
        for sheet in layout.sheets:
            sheet.title = f"{sheet.title} ({student})"
    formats = _formats(spec)
    digest, seed_text = givens_digest(spec), None if seed is None else str(seed)
    books = {}
    for kind in (KEY_KIND, STUDENT_KIND):
        books[kind] = build_workbook(layout, formats=formats)
        add_record(books[kind], layout, Record(kind, sections, digest, student, seed_text))
    answers = _blank(books[STUDENT_KIND], layout, sections)
    return Handout(books[KEY_KIND], books[STUDENT_KIND], answers)


def check_computable(spec: NetworkSpec) -> None:
    """Refuse (``SpecError``) a handout a spreadsheet could not compute, building nothing."""
    _formats(handout_spec(spec))


def _formats(spec: NetworkSpec) -> dict[str, float]:
    """Starting values by name, for number formats (as ``generate`` does)."""
    topo, formats = Topology(spec.layers), {}
    for trace in trace_steps(spec):
        values = expected_values(topo, trace)
        assert_computable(values, spec.loss)
        formats.update(values)
    return formats


def _blank(book: Workbook, layout: BookLayout, sections: tuple[str, ...]) -> int:
    """Empty the chosen rows into unlocked answer cells; protect every sheet."""
    answers = 0
    for sheet_layout in layout.steps:
        sheet = book[sheet_layout.name]
        for row, item in sheet_layout.lines:
            if item.section not in sections:
                continue
            cell = sheet.cell(row, sheet_layout.col("value"))
            cell.value, cell.fill, cell.number_format = None, ANSWER_FILL, "General"
            cell.protection = Protection(locked=False)
            sheet.cell(row, sheet_layout.col("formula")).value = None
            answers += 1
    for sheet in book.worksheets:
        _legend(sheet)
        sheet.protection.sheet = True  # no password: the teacher can still unlock it
    return answers


def _legend(sheet) -> None:
    """Givens are locked; the answer colour takes the gradient check's place (a handout has
    no gradient check), so the legend stays within the printed columns."""
    labels = [label for label, _ in styles.LEGEND]
    if "given: edit me" in labels:
        sheet.cell(2, 2 + labels.index("given: edit me"), "given")
    spare = labels.index("gradient check") if "gradient check" in labels else len(labels)
    sheet.cell(2, 2 + spare, ANSWER_LEGEND).fill = ANSWER_FILL


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
) -> Written:
    """Write ``NAME-student.xlsx`` and ``NAME-key.xlsx`` beside ``path``; neither when one
    exists already (without ``force``).  ``finish(book, student)`` may touch up both books
    before they are saved (page setup for printing, say)."""
    student_path, key_path = handout_paths(path)
    for target in (student_path, key_path):
        if target.exists() and not force:
            raise WorksheetError(f"{target}: already exists (use --force to replace it)")
    handout = build_handout(spec, sections, student, seed)
    for book in (handout.key, handout.student) if finish else ():
        finish(book, student)
    save_atomic(handout.key, key_path, force)
    save_atomic(handout.student, student_path, force)
    return Written(student_path, key_path, handout.answers)


def handout_notes(spec: NetworkSpec) -> list[str]:
    """What a handout leaves out of ``spec``, worth a note."""
    if spec.epochs or spec.lr_sweep:
        return ["handouts leave out the Training and sweep sheets (they show the answers)"]
    return []
