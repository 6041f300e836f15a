"""Guarded access to the parts of an .xlsx zip, and the XML helpers shared by the readers.

Every failure of the file itself (bad zip, missing part, broken or hostile XML, oversized entry)
becomes one ``BookError`` line naming the file, so callers never see zipfile or XML exceptions.
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

MAX_PART_BYTES = 200 * 1024 * 1024  # refuse zip bombs: no real workbook part is this large

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
    """The parts of an open .xlsx zip, found case-insensitively, size-checked before reading."""

    def __init__(self, zf: zipfile.ZipFile, label: str) -> None:
        self.label = label
        self._zf = zf
        self._infos = {info.filename.lower(): info for info in zf.infolist()}

    def has(self, part: str) -> bool:
        """Whether the zip holds ``part`` (a path inside the zip, without a leading slash)."""
        return part.lower() in self._infos

    def fail(self, problem: str) -> BookError:
        """A BookError naming this file."""
        return BookError(f"{self.label}: {problem}")

    @contextmanager
    def open(self, part: str) -> Iterator[IO[bytes]]:
        """Open a part for streaming, turning zip and XML failures into BookError."""
        info = self._infos.get(part.lower())
        if info is None:
            raise self.fail(f"missing part {part}")
        if info.file_size > MAX_PART_BYTES:
            raise self.fail(f"part {part} is too large ({info.file_size} bytes)")
        try:
            with self._zf.open(info) as stream:
                yield stream
        except ParseError as exc:
            raise self.fail(f"malformed XML in {part} ({exc})") from exc
        except DefusedXmlException as exc:
            raise self.fail(f"refused XML in {part} ({type(exc).__name__})") from exc
        except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError) as exc:
            raise self.fail(f"cannot read part {part} ({exc})") from exc

    def xml(self, part: str) -> Element:
        """Parse a small part (workbook, relationships) into a tree."""
        with self.open(part) as stream:
            return parse_xml(stream, forbid_dtd=True).getroot()

    def stream(self, part: str, handler: Handler) -> None:
        """Stream a large part (a sheet, the shared strings) through ``handler``'s callbacks.

        Expat with our own callbacks is several times faster than an element tree here. It is
        guarded as defusedxml guards: any DTD is refused, so no entity can be declared, let
        alone expanded, and nothing external is ever fetched.
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
                parser.ParseFile(stream)
            except expat.ExpatError as exc:
                raise self.fail(f"malformed XML in {part} ({exc})") from exc


def resolve_target(base_dir: str, target: str) -> str:
    """A relationship target as a zip path: absolute ``/xl/x.xml`` or relative to ``base_dir``."""
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join(base_dir, target))
