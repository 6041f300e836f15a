"""Refuse, before any work, an output file that cannot or must not be written.

Every command that writes asks here first, so that a bad path costs one line and exit code 2
before seconds or minutes of work, and never leaves a half-written file, a stray folder, or an
input overwritten by its own output (``--force`` replaces outputs, never inputs).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from worksheet.errors import WorksheetError


def check_output(
    path: Path,
    suffix: str | None,
    force: bool,
    inputs: Iterable[Path] = (),
) -> None:
    """``path`` can be written: a file name (ending in ``suffix``), none of ``inputs``, not
    already there unless ``force``, in a folder that exists or can be made and takes a file."""
    raw, path = str(path), Path(path)  # Path("x.pdf/") drops the slash that says "folder"
    kind = f"a file name ending in {suffix}" if suffix else "a file name"
    if raw.endswith(("/", os.sep)) or path.is_dir():
        raise WorksheetError(f"{raw}: is a folder; give {kind}")
    if path.exists() and not path.is_file():  # a device or a pipe: never written through
        raise WorksheetError(f"{path}: not a regular file; give {kind}")
    if suffix and path.suffix.lower() != suffix:
        raise WorksheetError(f"{path}: give {kind}")
    for source in inputs:
        if same_file(path, source):
            raise WorksheetError(f"{path}: is also an input of this command; give another name")
    if (path.exists() or path.is_symlink()) and not force:  # a dangling link is there too
        raise WorksheetError(f"{path}: already exists (use --force to replace it)")
    check_folder(path.parent)


def check_folder(folder: Path) -> None:
    """A file can be made in ``folder``, or in the nearest folder above it that exists (the
    rest is made when writing): tried with a temporary file, since permission bits do not
    tell the whole story (a read-only mount, root's rights)."""
    existing = Path(folder)
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise WorksheetError(f"{existing}: is a file, not a folder")
    try:
        with tempfile.TemporaryFile(dir=existing):
            pass
    except OSError as exc:
        raise WorksheetError(f"{existing}: cannot write here ({exc.strerror})") from None


def usual_permissions(path: Path) -> None:
    """A file from ``mkstemp`` (0600) gets the permissions a new file would have had."""
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(path, 0o666 & ~umask)


def same_file(a: Path, b: Path) -> bool:
    """The same file, even through a link or another spelling of its path."""
    a, b = Path(a), Path(b)
    if a.exists() and b.exists():
        return os.path.samefile(a, b)
    return a.resolve() == b.resolve()
