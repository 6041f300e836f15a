"""How a grade is told: a short text for the teacher, one CSV line per student for the class."""

from __future__ import annotations

import csv
from pathlib import Path

from worksheet.classroom.grade import BLANK, CARRIED, CORRECT, Grade, Mark
from worksheet.classroom.record import SECTION_KEYS
from worksheet.errors import WorksheetError
from worksheet.evaluator import XLError

CSV_HEADER = ("name", "file", "seed", *SECTION_KEYS, "points", "out_of", "total")


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
    if mark.verdict == CARRIED:
        text += f"; from your own earlier values {shown(mark.own)}"
    elif mark.verdict not in (CORRECT, BLANK):
        text += f", got {shown(mark.got)}" + (f" ({mark.note})" if mark.note else "")
        if _number(mark.own):
            text += f"; from your own earlier values it would be {shown(mark.own)}"
    return text


def grade_text(grade: Grade) -> str:
    earned, out_of = grade.score()
    lines = [f"{grade.path}: {grade.student}: {earned}/{out_of} ({percent(earned, out_of)}%)"]
    for section in grade.record.sections:
        got, total = grade.score(section)
        lines.append(f"  {section:<9} {got}/{total}")
    for m in grade.marks:
        if m.verdict not in (CORRECT, BLANK):
            lines.append(f"  {m.ref}  {m.name}  {comment(m)}")
    blanks = [f"{m.ref} {m.name}" for m in grade.marks if m.verdict == BLANK]
    if blanks:
        shown_ = ", ".join(blanks[:8]) + (", ..." if len(blanks) > 8 else "")
        lines.append(f"  {len(blanks)} blank: {shown_}")
    return "\n".join(lines)


def csv_row(grade: Grade) -> list[str]:
    sections = []
    for section in SECTION_KEYS:
        earned, out_of = grade.score(section)
        sections.append(percent(earned, out_of) if out_of else "")
    earned, out_of = grade.score()
    seed = grade.record.seed or ""
    total = [str(earned), str(out_of), percent(earned, out_of)]
    return [grade.student, str(grade.path), seed, *sections, *total]


def check_csv(path: Path) -> None:
    """A class file to append to must be ours: the same header, or empty, or new."""
    path = Path(path)
    if path.is_dir():
        raise WorksheetError(f"{path}: is a folder; give a .csv file name")
    if not path.exists() or path.stat().st_size == 0:
        return
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            header = next(csv.reader(handle), [])
    except (OSError, UnicodeDecodeError) as exc:
        raise WorksheetError(f"{path}: cannot read ({exc})") from None
    if tuple(header) != CSV_HEADER:
        raise WorksheetError(
            f"{path}: its columns are not a grade list's ({','.join(CSV_HEADER)}); give a new file"
        )


def append_csv(grade: Grade, path: Path) -> None:
    """One line for this student; the header first when the file is new."""
    check_csv(path)
    path = Path(path)
    new = not path.exists() or path.stat().st_size == 0
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            if new:
                writer.writerow(CSV_HEADER)
            writer.writerow(csv_row(grade))
    except OSError as exc:
        raise WorksheetError(f"{path}: cannot write ({exc.strerror})") from None
