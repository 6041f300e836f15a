"""Open an .xlsx file as a ``Package``, measuring the zip before zipfile reads it.

zipfile builds an object per entry of the zip's table of contents, however many the file
declares, and reads the table by its declared size; so that size is read from the zip's end
records first and capped (``MAX_DIRECTORY_BYTES``).
"""

from __future__ import annotations

import os
import struct
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

from worksheet.errors import BookError
from worksheet.evaluator.limits import MAX_DIRECTORY_BYTES
from worksheet.evaluator.package import Package

_EOCD_SEARCH = 22 + 65_535 + 20  # the end record, its longest comment, a ZIP64 locator


@contextmanager
def open_package(path: str | os.PathLike[str], label: str) -> Iterator[Package]:
    """Open an .xlsx file as a ``Package``; BookError when it is no zip or an outsized one."""
    try:
        fp = open(path, "rb")  # closed below, after the zip
    except OSError as exc:
        raise BookError(f"{label}: cannot open ({exc.strerror or exc})") from exc
    with fp:
        size = directory_size(fp)
        if size is not None and size > MAX_DIRECTORY_BYTES:
            raise BookError(f"{label}: zip table of contents too large ({size:,} bytes)")
        try:
            zf = zipfile.ZipFile(fp)
        except (zipfile.BadZipFile, EOFError, ValueError) as exc:
            raise BookError(f"{label}: not an .xlsx workbook (not a zip file)") from exc
        except OSError as exc:
            raise BookError(f"{label}: cannot open ({exc.strerror or exc})") from exc
        with zf:
            yield Package(zf, label)


def directory_size(fp: IO[bytes]) -> int | None:
    """The size in bytes of a zip's central directory, from its end records; None if absent."""
    fp.seek(0, os.SEEK_END)
    end = fp.tell()
    fp.seek(max(0, end - _EOCD_SEARCH))
    tail = fp.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        return None
    (size,) = struct.unpack_from("<I", tail, at + 12)
    locator = at - 20  # a ZIP64 file keeps the true size in a record the locator points at
    if size == 0xFFFFFFFF and locator >= 0 and tail[locator : locator + 4] == b"PK\x06\x07":
        (offset,) = struct.unpack_from("<Q", tail, locator + 8)
        fp.seek(offset)
        record = fp.read(56)
        if len(record) == 56 and record[:4] == b"PK\x06\x06":
            (size,) = struct.unpack_from("<Q", record, 40)
    fp.seek(0)
    return size
