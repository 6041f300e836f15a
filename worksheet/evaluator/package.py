"""Guarded access to the parts of an .xlsx zip, and the XML helpers shared by the readers.

Every failure of the file itself (bad zip, missing part, broken or hostile XML, oversized entry)
becomes one ``BookError`` line naming the file, so callers never see zipfile or XML exceptions.
Sizes are counted on the bytes actually inflated, never taken from the zip's headers.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Protocol
from xml.etree.ElementTree import Element, ParseError
from xml.parsers import expat

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import parse as parse_xml

from worksheet.errors import BookError
from worksheet.evaluator.limits import (
    MAX_ENTRIES,
    MAX_PART_BYTES,
    MAX_TOKEN_BYTES,
    MAX_TOTAL_BYTES,
    MAX_TREE_BYTES,
)

_CHUNK = 1024 * 1024  # bytes fed to expat at a time

_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


class Handler(Protocol):
    """Callbacks for streaming a part: element start, end, and text.

    Tags arrive as written, ``c`` or ``x:c``; ``LocalNames`` strips any prefix cheaply.
    """

    def start(self, tag: str, attrs: dict[str, str]) -> None: ...

    def end(self, tag: str) -> None: ...

    def data(self, text: str) -> None: ...


def local(tag: str) -> str:
    """An element's tag without its namespace, so Excel, LibreOffice and Strict files all match."""
    return tag.rpartition("}")[2]


class LocalNames(dict[str, str]):
    """A cache from tag (``c`` or ``x:c``) to local name: one dict lookup per element."""

    def __missing__(self, tag: str) -> str:
        self[tag] = name = tag.rpartition(":")[2]
        return name


def unescape(text: str) -> str:
    """Decode OOXML's ``_xHHHH_`` escapes for characters XML cannot hold (e.g. ``_x000D_``)."""
    if "_x" not in text:
        return text
    return _ESCAPE.sub(lambda m: chr(int(m[1], 16)), text)


def attr(elem: Element, name: str) -> str | None:
    """An attribute by local name, whatever its namespace (``r:id`` has varied across writers)."""
    for key, value in elem.attrib.items():
        if local(key) == name:
            return value
    return None


class Package:
    """The parts of an open .xlsx zip, found case-insensitively, each read at most once and
    every byte inflated counted against the limits (see ``limits``)."""

    def __init__(self, zf: zipfile.ZipFile, label: str) -> None:
        self.label = label
        self._zf = zf
        infos = zf.infolist()
        if len(infos) > MAX_ENTRIES:
            raise self.fail(f"too many zip entries ({len(infos):,}; at most {MAX_ENTRIES:,})")
        self._infos = {info.filename.lower(): info for info in infos}
        self._read = 0  # bytes inflated so far, all parts together

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
        """Open a part for streaming, turning zip and XML failures into BookError.

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
        except ParseError as exc:
            raise self.fail(f"malformed XML in {part} ({exc})") from exc
        except DefusedXmlException as exc:
            raise self.fail(f"refused XML in {part} ({type(exc).__name__})") from exc
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

    def xml(self, part: str) -> Element:
        """Parse a small part (workbook, relationships) into a tree; DTDs are refused."""
        with self.open(part, MAX_TREE_BYTES) as stream:
            return parse_xml(stream, forbid_dtd=True).getroot()

    def stream(self, part: str, handler: Handler) -> None:
        """Stream a large part (a sheet, the shared strings) through ``handler``'s callbacks.

        Expat with our own callbacks is several times faster than an element tree here. It is
        guarded as defusedxml guards: any DTD is refused, so no entity can be declared, let
        alone expanded, and nothing external is ever fetched. Text reaches the handler in
        pieces; a tag is held whole by expat, so one that grows past ``MAX_TOKEN_BYTES`` is
        refused before it can fill the memory.
        """

        def refuse(*_: object) -> None:
            raise self.fail(f"refused XML in {part} (DTDs and entities are not allowed)")

        parser = expat.ParserCreate()  # no namespace processing: faster, and tags suffice
        parser.buffer_text = True
        parser.StartDoctypeDeclHandler = refuse
        parser.EntityDeclHandler = refuse
        parser.ExternalEntityRefHandler = refuse
        parser.StartElementHandler = handler.start
        parser.EndElementHandler = handler.end
        parser.CharacterDataHandler = handler.data
        with self.open(part) as stream:
            try:
                fed = 0
                while chunk := stream.read(_CHUNK):
                    parser.Parse(chunk, False)
                    fed += len(chunk)
                    if fed - parser.CurrentByteIndex > MAX_TOKEN_BYTES:
                        raise self.fail(
                            f"refused XML in {part} (a tag longer than {MAX_TOKEN_BYTES:,} bytes)"
                        )
                parser.Parse(b"", True)
            except expat.ExpatError as exc:
                raise self.fail(f"malformed XML in {part} ({exc})") from exc


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
