"""Every temporary file an output is written to before its rename, so that an interrupt can
remove them all and leave nothing half-written behind.

An interrupt does not travel as an exception: raised at an arbitrary moment, it can land in
a library's bare ``except`` (openpyxl turns it into a TypeError) or in a weakref callback
(where Python ignores it), and the run goes on.  So the signal handler removes what is
registered here and ends the process itself (``cli.main``).
"""

from __future__ import annotations

import os
import tempfile
from contextlib import suppress
from pathlib import Path

_open: set[Path] = set()


def make(folder: Path, suffix: str, prefix: str = ".") -> Path:
    """A new empty file in ``folder`` (``mkstemp``: unique, 0600), registered until ``done``."""
    handle, name = tempfile.mkstemp(prefix=prefix, suffix=suffix, dir=folder)
    path = Path(name)
    _open.add(path)
    os.close(handle)
    return path


def done(path: Path) -> None:
    """``path`` was renamed into place or removed: nothing to clean up any more."""
    _open.discard(Path(path))


def remove_all() -> None:
    """Remove every temporary still registered (the process is being interrupted)."""
    for path in list(_open):
        with suppress(OSError):
            path.unlink()
        _open.discard(path)
