"""Guarded access to the parts of an .xlsx zip.

Every failure of the file itself (bad zip, missing part, broken or hostile XML, oversized entry)
becomes one ``BookError`` line naming the file, so callers never see zipfile or XML exceptions.
Sizes are counted on the bytes actually inflated, never taken from the zip's headers.

Spreadsheet applications find parts case-insensitively (the Open Packaging Conventions say
part names are compared so), so two entries whose names differ only in case, or an entry
repeated, are refused: which one an application reads is up to its zip library, and ours
must not pick another.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO
from xml.parsers import expat

from worksheet.errors import BookError
from worksheet.evaluator import xmlstream
from worksheet.evaluator.limits import MAX_ELEMENTS, MAX_ENTRIES, MAX_PART_BYTES, MAX_TOTAL_BYTES
from worksheet.evaluator.xmlstream import Handler

# An entry name as writers make them: ASCII segments without '\', '%' or control characters.
_ENTRY_NAME = re.compile(
    r"(?:[!$&'()*+,\-.0-9;=@A-Z\[\]_a-z~]+/)*[!$&'()*+,\-.0-9;=@A-Z\[\]_a-z~]*"
)


class Package:
    """The parts of an open .xlsx zip, found case-insensitively, each read at most once and
    every byte inflated and every XML element counted against the limits (see ``limits``)."""

    def __init__(self, zf: zipfile.ZipFile, label: str) -> None:
        self.label = label
        self._zf = zf
        infos = zf.infolist()
        if len(infos) > MAX_ENTRIES:
            raise self.fail(f"too many zip entries ({len(infos):,}; at most {MAX_ENTRIES:,})")
        self._infos: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            self._add(info)
        self._read = 0  # bytes inflated so far, all parts together
        self.elements = xmlstream.Elements(MAX_ELEMENTS)  # XML elements left, all parts

    def _add(self, info: zipfile.ZipInfo) -> None:
        """Index an entry by its case-folded name; refuse names that could be read two ways."""
        name = info.filename
        if not _ENTRY_NAME.fullmatch(name) or any(s in (".", "..") for s in name.split("/")):
            raise self.fail(f"zip entry with a name spreadsheets do not write: {ascii(name[:80])}")
        key = name.lower()  # the names are ASCII, so lower() is the whole case folding
        if key in self._infos:
            other = self._infos[key].filename
            if other == name:
                raise self.fail(f"zip entry {name} appears twice")
            raise self.fail(f"zip entries {other} and {name} differ only in case")
        self._infos[key] = info

    def has(self, part: str) -> bool:
        """Whether the zip holds ``part`` (a path inside the zip, without a leading slash)."""
        return part.lower() in self._infos

    def names(self) -> list[str]:
        """Every part's path, as written in the zip."""
        return [info.filename for info in self._infos.values()]

    def fail(self, problem: str) -> BookError:
        """A BookError naming this file."""
        return BookError(f"{self.label}: {problem}")

    @contextmanager
    def open(self, part: str, limit: int | None = None) -> Iterator[IO[bytes]]:
        """Open a part for streaming, turning zip failures into BookError.

        The header's sizes are only a first filter: the stream itself stops at ``limit``
        inflated bytes (``MAX_PART_BYTES`` by default), whatever the header claims.
        """
        info = self._infos.get(part.lower())
        if info is None:
            raise self.fail(f"missing part {part}")
        limit = MAX_PART_BYTES if limit is None else min(limit, MAX_PART_BYTES)
        if info.file_size > limit:
            raise self.fail(f"part {part} is too large ({info.file_size:,} bytes)")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            # zipfile inflates bzip2 and LZMA without a size bound per read: a bomb's way in
            raise self.fail(f"part {part} uses a compression spreadsheets do not write")
        try:
            with self._zf.open(info) as raw:
                yield _Capped(raw, self, part, limit)
        except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError) as exc:
            raise self.fail(f"cannot read part {part} ({exc})") from exc
        except EOFError as exc:
            raise self.fail(f"cannot read part {part} (truncated)") from exc

    def spend(self, part: str, n: int, limit: int, total: int) -> None:
        """Count ``n`` more inflated bytes of ``part`` (``total`` so far); refuse past a limit."""
        self._read += n
        if total > limit:
            raise self.fail(f"part {part} is too large (more than {limit:,} bytes inflated)")
        if self._read > MAX_TOTAL_BYTES:
            raise self.fail(f"the parts inflate to more than {MAX_TOTAL_BYTES:,} bytes")

    def stream(self, part: str, handler: Handler, limit: int | None = None) -> None:
        """Stream a part through ``handler``'s callbacks, bounded (see ``xmlstream``).

        A tag is held whole by expat, so one that grows past ``MAX_TOKEN_BYTES`` is refused
        before it can fill the memory; running out of memory anyway is one line too.
        """

        def refuse(problem: str) -> BookError:
            return self.fail(f"refused XML in {part} ({problem})")

        with self.open(part, limit) as stream:
            try:
                xmlstream.parse(stream, handler, refuse, self.elements)
            except expat.ExpatError as exc:
                raise self.fail(f"malformed XML in {part} ({exc})") from exc
            except (LookupError, ValueError) as exc:  # an encoding expat cannot take
                raise refuse(f"unsupported encoding: {exc}") from exc
            except MemoryError:
                raise self.fail(f"out of memory reading {part}") from None


class _Capped:
    """A part's inflated stream that counts what it hands out and stops at the limits."""

    def __init__(self, raw: IO[bytes], pkg: Package, part: str, limit: int) -> None:
        self._raw, self._pkg, self._part, self._limit = raw, pkg, part, limit
        self._total = 0

    def read(self, n: int | None = -1) -> bytes:
        room = self._limit + 1 - self._total  # one byte past the limit proves it crossed
        data = self._raw.read(room if n is None or n < 0 else min(n, room))
        self._total += len(data)
        self._pkg.spend(self._part, len(data), self._limit, self._total)
        return data


def resolve_target(base_dir: str, target: str) -> str:
    """A relationship target as a zip path: absolute ``/xl/x.xml`` or relative to ``base_dir``."""
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join(base_dir, target))
