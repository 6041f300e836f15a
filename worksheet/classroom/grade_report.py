"""How a grade is told: a short text for the teacher, one CSV line per student for the class."""

from __future__ import annotations

import csv
from pathlib import Path

from worksheet.classroom.grade import BLANK, CARRIED, CORRECT, Grade, Mark
from worksheet.classroom.record import SECTION_KEYS
from worksheet.errors import WorksheetError
from worksheet.evaluator import XLError
from worksheet.files.csv_cells import neutral

CSV_HEADER = ("name", "file", "seed", *SECTION_KEYS, "points", "out_of", "total", "integrity")


def shown(value: object) -> str:
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, (int, float)):
        return f"{value:.6g}"
    if isinstance(value, XLError):
        return value.code
    return repr(value)


def _number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def percent(earned: int, out_of: int) -> str:
    return f"{100 * earned / out_of:.1f}"


def comment(mark: Mark) -> str:
    """What the marked copy says in the cell's note."""
    text = f"{mark.verdict}: expected {shown(mark.expected)}"
    if mark.verdict in (CORRECT, CARRIED):
        if mark.verdict == CARRIED:
            text += f"; from your own earlier values {shown(mark.own)}"
        text += f" ({mark.note})" if mark.note else ""  # a decimal comma read, say
    elif mark.verdict != BLANK:
        text += f", got {shown(mark.got)}" + (f" ({mark.note})" if mark.note else "")
        if _number(mark.own):
            text += f"; from your own earlier values it would be {shown(mark.own)}"
    return text


def verdict_text(mark: Mark) -> str:
    """The verdict as the marked copy prints it beside the answer: with its note (why it
    is not a number, or a decimal comma read as a point)."""
    return mark.verdict + (f" ({mark.note})" if mark.note else "")


def grade_text(grade: Grade) -> str:
    earned, out_of = grade.score()
    lines = [f"{grade.path}: {grade.student}: {earned}/{out_of} ({percent(earned, out_of)}%)"]
    for section in grade.record.sections:
        got, total = grade.score(section)
        lines.append(f"  {section:<9} {got}/{total}")
    for m in grade.marks:
        if m.verdict not in (CORRECT, BLANK) or m.note:  # a decimal comma read is said too
            said = " ".join(comment(m).splitlines())  # a formula quoted in a note may break
            lines.append(f"  {m.ref}  {m.name}  {said}")
    blanks = [f"{m.ref} {m.name}" for m in grade.marks if m.verdict == BLANK]
    if blanks:
        shown_ = ", ".join(blanks[:8]) + (", ..." if len(blanks) > 8 else "")
        lines.append(f"  {len(blanks)} blank: {shown_}")
    return "\n".join(lines)


def csv_row(grade: Grade) -> list[str]:
    """The student's line: every text cell neutralised against formula injection."""
    sections = []
    for section in SECTION_KEYS:
        earned, out_of = grade.score(section)
        sections.append(percent(earned, out_of) if out_of else "")
    earned, out_of = grade.score()
    seed = grade.record.seed or ""
    total = [str(earned), str(out_of), percent(earned, out_of)]
    row = [grade.student, str(grade.path), seed, *sections, *total, grade.integrity.status]
    return [neutral(cell) for cell in row]


def class_lines(path: Path, grade: Grade | None = None, force: bool = False) -> list[list[str]]:
    """The class file's lines (header first), with ``grade``'s line added, or in place of
    the student's line already there (only with ``force``).  A file that is not a grade
    list of ours is refused; a new or empty one starts with the header."""
    lines = _read_lines(Path(path))
    if grade is None:
        return lines
    row = csv_row(grade)
    same = [k for k, line in enumerate(lines) if k and line[:1] == row[:1]]
    if same and not force:
        raise WorksheetError(
            f"{path}: already has a line for {grade.student!r} (use --force to replace it)"
        )
    if same:
        lines[same[0]] = row
        return [line for k, line in enumerate(lines) if k not in same[1:]]
    return lines + [row]


def _read_lines(path: Path) -> list[list[str]]:
    if path.is_dir():
        raise WorksheetError(f"{path}: is a folder; give a .csv file name")
    if not path.exists() or path.stat().st_size == 0:
        return [list(CSV_HEADER)]
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            lines = list(csv.reader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise WorksheetError(f"{path}: cannot read ({exc})") from None
    if not lines or tuple(lines[0]) != CSV_HEADER:
        raise WorksheetError(
            f"{path}: its columns are not a grade list's ({','.join(CSV_HEADER)}); give a new file"
        )
    return lines


def write_lines(lines: list[list[str]], path: Path) -> None:
    with Path(path).open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(lines)
