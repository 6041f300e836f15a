"""Grade against the teacher's record, never the student's claims.

The key (``--key``), or the key a class manifest names for the student (``--class``), says
what the handout was: its givens, its blank sections, whose it is.  A submission is graded
on a copy where everything but the answer cells is the key's (so changed givens, a narrowed
``blank_sections`` or an edited locked formula gain nothing), and every difference between
what the file says and the record is reported as a problem: the grade is then flagged.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from worksheet.classroom.manifest import Row, find_row, key_of, read_manifest
from worksheet.classroom.record import (
    BLANKS,
    FINGERPRINT,
    KIND,
    SECRET,
    SEED,
    STUDENT,
    Record,
    givens_text,
    keyed,
    read_key_record,
    stored_text,
)
from worksheet.errors import WorksheetError
from worksheet.evaluator import Book, Cell, CellRef, read_book
from worksheet.files.reading import check_workbook_file
from worksheet.model.spec import NetworkSpec
from worksheet.verify.readback import given_refs, spec_from_book

RECORD_NAMES = {s.name.lower() for s in (KIND, BLANKS, FINGERPRINT, STUDENT, SEED, SECRET)}
SHOWN = 3  # differences named per kind of problem


@dataclass(frozen=True)
class Integrity:
    """Whether a grade was checked against the teacher's record, and what disagreed."""

    verified: bool
    problems: tuple[str, ...] = ()
    source: str = ""

    @property
    def flagged(self) -> bool:
        return bool(self.problems)

    @property
    def status(self) -> str:
        if not self.verified:
            return "NOT VERIFIED (graded without --key or --class: the file's own givens)"
        if self.problems:
            return "FLAGGED: " + "; ".join(self.problems)
        return f"verified against {self.source}"


UNVERIFIED = Integrity(False)


@dataclass(frozen=True)
class Teacher:
    """The teacher's record of one handout: its key workbook, read."""

    book: Book
    record: Record
    spec: NetworkSpec
    source: str  # "--key class/ada-key.xlsx", for messages
    rows: tuple[Row, ...] = ()  # the class, to tell whose givens a file holds


def load_key(path: Path, option: str = "--key") -> Teacher:
    """The key at ``path``; one-line WorksheetError naming ``option`` when it is not one."""
    try:
        check_workbook_file(path)
        book = read_book(path)
    except WorksheetError as exc:
        raise WorksheetError(f"{option} {exc}") from None
    record = read_key_record(book, option)
    try:
        spec = spec_from_book(book)
    except WorksheetError as exc:
        raise WorksheetError(f"{option} {exc}") from None
    return Teacher(book, record, spec, f"{option} {path}")


class ClassRecord:
    """A manifest, read (and so refused) before the submission; the student's key is
    chosen once the submission's claimed name is known."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.rows = read_manifest(self.path)

    def teacher_for(self, submission: Path, claimed: Record) -> Teacher:
        row = find_row(self.path, self.rows, claimed.student, submission)
        teacher = load_key(key_of(self.path, row), "--class")
        if (teacher.record.student, teacher.record.seed) != (row.name, row.seed):
            raise WorksheetError(
                f"--class {self.path}: {row.key_file} is not {row.name!r}'s key"
                f" (it says {teacher.record.student!r}, seed {teacher.record.seed})"
            )
        return replace(teacher, source=f"--class {self.path}", rows=tuple(self.rows))


def check_integrity(
    book: Book, claimed: Record, teacher: Teacher, submission: Path | None = None
) -> Integrity:
    """What the submission says differently from the teacher's record, and (with a class's
    manifest) a file named as another student's handout."""
    record, problems = teacher.record, []
    if submission is not None:
        for row in teacher.rows:
            if row.student_file == submission.name and row.name != record.student:
                problems.append(
                    f"the file is named as {row.name}'s handout, its content is"
                    f" {record.student}'s"
                )
    for what, says, truth in (
        (STUDENT.name, claimed.student, record.student),
        (SEED.name, claimed.seed, record.seed),
        (BLANKS.name, ",".join(claimed.sections), ",".join(record.sections)),
    ):
        if says != truth:
            problems.append(f"{what} says {says or 'nothing'!r}, the record {truth or 'nothing'!r}")
    if book.name_ref(SECRET.name) is not None:
        problems.append(f"it holds {SECRET.name}: it is an answer key, not a student's copy")
    fingerprint, wrong = stored_text(book, FINGERPRINT)
    if wrong is not None:
        problems.append(wrong)
    elif fingerprint != record.fingerprint:
        problems.append(f"{FINGERPRINT.name} is not the key's (the file was changed or swapped)")
    problems += _given_changes(book, teacher)
    problems += _moved_names(book, teacher.book)
    problems += _whose_givens(book, teacher)
    return Integrity(True, tuple(problems), teacher.source)


def graded_book(book: Book, teacher: Teacher, answers: set[CellRef]) -> Book:
    """The submission with every cell but its answers (and its own scratch cells) the key's,
    and the key's defined names."""
    key = teacher.book
    record = {key.name_ref(name) for name in RECORD_NAMES}
    cells = dict(book.cells)
    cells.update((r, c) for r, c in key.cells.items() if r not in answers and r not in record)
    sheets = key.sheet_names + [s for s in book.sheet_names if s not in key.sheet_names]
    ours = {name for _, name in key.names}  # a student's name never shadows one of the key's
    names = {k: v for k, v in book.names.items() if k[1] not in ours or k in key.names}
    return replace(book, sheet_names=sheets, cells=cells, names={**names, **key.names})


def _shown(cell: Cell | None) -> str:
    if cell is None or cell.formula is None and cell.value is None:
        return "empty"
    if cell.formula is not None:
        return cell.formula
    value = cell.value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{value:.12g}"
    return repr(value)


def _given_changes(book: Book, teacher: Teacher) -> list[str]:
    changed = []
    for name, ref in given_refs(teacher.book).items():
        want, got = _shown(teacher.book.cells.get(ref)), _shown(book.cells.get(ref))
        if name not in RECORD_NAMES and want != got:
            changed.append(f"{name} {got} (key: {want})")
    if not changed:
        return []
    more = f" and {len(changed) - SHOWN} more" if len(changed) > SHOWN else ""
    return [f"givens differ from the key's: {', '.join(changed[:SHOWN])}{more}"]


def _moved_names(book: Book, key: Book) -> list[str]:
    """The key's names that point elsewhere in the submission, or that it redefines on a
    sheet (where that sheet's formulas would read the student's instead)."""
    moved = [
        name.lower()
        for scope, name in key.names
        if name.lower() not in RECORD_NAMES
        and (ref := key.name_ref(name, scope)) is not None
        and book.name_ref(name, scope) != ref
    ]
    ours = {name for _, name in key.names}
    moved += [
        f"{name.lower()} on {scope}"
        for scope, name in book.names
        if scope and name in ours and (scope, name) not in key.names
    ]
    if not moved:
        return []
    more = f" and {len(moved) - SHOWN} more" if len(moved) > SHOWN else ""
    return [f"defined names changed: {', '.join(moved[:SHOWN])}{more}"]


def _whose_givens(book: Book, teacher: Teacher) -> list[str]:
    """In a class, the student whose variant the submission's givens are, when another's."""
    if not teacher.rows or teacher.record.secret is None:
        return []
    try:
        text = givens_text(spec_from_book(book))
    except WorksheetError as exc:
        return [f"givens unreadable ({exc})"]
    mine = keyed(teacher.record.secret, text)
    owner = next((row for row in teacher.rows if row.givens_fingerprint == mine), None)
    if owner is None or owner.name == teacher.record.student:
        return []
    return [f"its givens are {owner.name!r}'s variant (seed {owner.seed})"]
