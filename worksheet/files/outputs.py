"""Refuse, before any work, an output file that cannot or must not be written.

Every command that writes asks here first, so that a bad path costs one line and exit code 2
before seconds or minutes of work, and never leaves a half-written file, a stray folder, or an
input overwritten by its own output (``--force`` replaces outputs, never inputs).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from worksheet.errors import WorksheetError
from worksheet.files import temporaries


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
    refuse_existing(path, force)
    check_folder(path.parent)


def refuse_existing(path: Path, force: bool) -> None:
    """The one place that says "already exists": ``path`` is there (a dangling link is
    there too) and ``force`` was not given."""
    path = Path(path)
    if (path.exists() or path.is_symlink()) and not force:
        raise WorksheetError(f"{path}: already exists (use --force to replace it)")


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


Writer = Callable[[Path], None]


def write_together(writers: dict[Path, Writer]) -> None:
    """Write several files as one: each ``writer(temporary)`` writes beside its target, and
    only when every one has succeeded are they renamed into place.  A failure while writing
    leaves every target as it was; a failure while renaming puts back the ones renamed."""
    temps: dict[Path, Path] = {}
    where = None
    try:
        for where, writer in writers.items():
            temps[where] = _temporary(Path(where))
            writer(temps[where])
            usual_permissions(temps[where])
        where = ", ".join(map(str, writers))
        _rename_all(temps)
    except OSError as exc:
        raise WorksheetError(f"{where}: cannot write ({exc.strerror or exc})") from None
    finally:
        for temp in temps.values():
            temp.unlink(missing_ok=True)
            temporaries.done(temp)


def _temporary(target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    return temporaries.make(target.parent, f"{target.suffix}.tmp")


def _rename_all(temps: dict[Path, Path]) -> None:
    """Rename each temporary over its target, keeping the old targets (as hard links) until
    all are in place, to put them back if a later rename fails."""
    kept: dict[Path, Path | None] = {}
    try:
        for target, temp in temps.items():
            kept[target] = _keep(target)
            os.replace(temp, target)
    except OSError:
        for target, old in kept.items():
            if old is not None:
                os.replace(old, target)
            else:
                target.unlink(missing_ok=True)
        raise
    finally:
        for old in kept.values():
            if old is not None:
                old.unlink(missing_ok=True)


def _keep(target: Path) -> Path | None:
    if not target.is_file():
        return None
    old = _temporary(target)
    try:
        old.unlink()
        os.link(target, old)
    except OSError:  # a file system without hard links: a copy will do
        shutil.copy2(target, old)
    return old
