"""Read back the class manifest ``batch`` writes: which key belongs to which student.

The manifest is the teacher's record of the class: each student's name, seed, files, the
sections left blank and a keyed fingerprint of their givens.  A submission is matched to its
row by the name it claims, else by its file name; the rest comes from that row's key.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from worksheet.classroom.roster import MANIFEST_HEADER, MAX_ROSTER_BYTES
from worksheet.errors import WorksheetError
from worksheet.files.csv_cells import plain
from worksheet.files.reading import read_text

OPTION = "--class"


@dataclass(frozen=True)
class Row:
    name: str
    seed: str
    student_file: str
    key_file: str
    blank_sections: str
    givens_fingerprint: str


def read_manifest(path: Path) -> list[Row]:
    """The rows of a manifest written by ``worksheet batch``; WorksheetError otherwise."""
    path = Path(path)
    text = read_text(path, "class manifest", 4 * MAX_ROSTER_BYTES, WorksheetError)
    try:
        lines = list(csv.reader(text.splitlines()))
    except csv.Error as exc:
        raise WorksheetError(f"{OPTION} {path}: cannot read the manifest ({exc})") from None
    if not lines or tuple(lines[0]) != MANIFEST_HEADER:
        raise WorksheetError(
            f"{OPTION} {path}: not a manifest written by worksheet batch"
            f" (its columns are not {','.join(MANIFEST_HEADER)})"
        )
    rows = []
    for number, line in enumerate(lines[1:], 2):
        if len(line) != len(MANIFEST_HEADER):
            raise WorksheetError(f"{OPTION} {path}: line {number} has {len(line)} columns")
        rows.append(Row(*(plain(cell) for cell in line)))
    return rows


def find_row(path: Path, rows: list[Row], claimed: str | None, submission: Path) -> Row:
    """The row of the student a submission claims to be, else of its file's name."""
    for row in rows:
        if claimed is not None and row.name == claimed:
            return row
    for row in rows:
        if row.student_file == Path(submission).name:
            return row
    who = f"student {claimed!r}" if claimed else "a student"
    raise WorksheetError(
        f"{OPTION} {path}: no row for {who} nor for the file name {Path(submission).name!r}"
    )


def key_of(path: Path, row: Row) -> Path:
    """The key beside the manifest; only a plain file name (the manifest is ours)."""
    name = row.key_file
    if not name or Path(name).name != name or name in (".", ".."):
        raise WorksheetError(
            f"{OPTION} {path}: key_file {name!r} of {row.name!r} is not a file name"
        )
    return Path(path).parent / name
