"""Read a small text file given on the command line (a template, a roster), refusing in one
line what is not one: no file, a folder, a device or pipe (reading might never end), a file
too large to be what it claims, bytes that are not UTF-8.
"""

from __future__ import annotations

from pathlib import Path

from worksheet.errors import WorksheetError


def check_workbook_file(path: Path) -> None:
    """``path`` is a file to read a workbook from: there, and neither a folder nor a device."""
    path = Path(path)
    if path.is_dir():
        raise WorksheetError(f"{path}: is a folder, not a workbook")
    if path.exists() and not path.is_file():  # a device or a pipe: reading might not end
        raise WorksheetError(f"{path}: not a regular file, so not a workbook")
    if not path.is_file():
        raise WorksheetError(f"{path}: no such file")


def read_text(path: Path, what: str, max_bytes: int, error: type[WorksheetError]) -> str:
    """The text of ``path``, a ``what`` ("template file"); ``error`` is raised otherwise."""
    path = Path(path)
    if not path.exists():
        raise error(f"{path}: no such {what}")
    if path.is_dir():
        raise error(f"{path}: is a folder, not a {what}")
    if not path.is_file():
        raise error(f"{path}: not a regular file, so not a {what}")
    if path.stat().st_size > max_bytes:
        raise error(f"{path}: too large for a {what} (over {max_bytes:,} bytes)")
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise error(f"{path}: cannot read the {what} ({exc})") from None
