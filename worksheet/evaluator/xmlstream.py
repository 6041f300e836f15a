"""Stream one XML part through a handler, bounded in every dimension a file could inflate.

Every part of a workbook (sheets, shared strings, the workbook, relationships and content
types) is read here and nowhere else, so the bounds hold by construction: nesting depth,
elements (all parts together), attributes per element and the bytes of one tag are counted
as expat reports them, before any handler keeps anything. The handlers bound the text they
keep themselves, in decoded characters (see ``sheetxml``, ``sharedstrings``).

Expat is guarded as defusedxml guards it: any DTD is refused, so no entity can be declared,
let alone expanded, and nothing external is ever fetched. Only UTF-8 and UTF-16 are read,
the encodings the Open Packaging Conventions allow and every spreadsheet writes; a part
declaring another is refused rather than decoded one way here and another way elsewhere.
Namespaces are resolved, so a ``<c>`` in a foreign namespace is never taken for a cell.
"""

from __future__ import annotations

from typing import IO, Protocol
from xml.parsers import expat

from worksheet.errors import BookError
from worksheet.evaluator.limits import MAX_ATTRIBUTES, MAX_DEPTH, MAX_ELEMENTS, MAX_TOKEN_BYTES

_CHUNK = 1024 * 1024  # bytes fed to expat at a time
_ENCODINGS = ("utf-8", "utf-16")
_TAGS_CACHED = 1_000  # distinct tags remembered per part; real parts use a few dozen


class Handler(Protocol):
    """Callbacks for one part: element start and end (local names, see ``Tags``), and text."""

    def start(self, tag: str, attrs: dict[str, str]) -> None: ...

    def end(self, tag: str) -> None: ...

    def data(self, text: str) -> None: ...


class Tags(dict[str, str]):
    """Expat's ``namespace}local`` tags to the local name when the namespace is one of
    ``namespaces``; any other tag keeps a ``}`` so that it never equals a local name."""

    def __init__(self, namespaces: frozenset[str]) -> None:
        super().__init__()
        self.namespaces = namespaces

    def __missing__(self, tag: str) -> str:
        uri, sep, name = tag.rpartition("}")
        local = name if sep and uri in self.namespaces else "}" + tag
        if len(self) < _TAGS_CACHED and len(tag) < 200:  # a file may invent tags without end
            self[tag] = local
        return local


class Elements:
    """The elements left to read, all parts of one workbook together."""

    def __init__(self, left: int) -> None:
        self.left = left


class BoundFail(Protocol):
    def __call__(self, problem: str) -> BookError: ...


def parse(stream: IO[bytes], handler: Handler, refuse: BoundFail, elements: Elements) -> None:
    """Feed ``stream`` to expat with ``handler``'s callbacks, within the bounds.

    ``refuse(problem)`` makes the BookError for a part that breaks a bound; expat's own
    errors are left to the caller.
    """
    depth, left = 0, elements.left
    handler_start, handler_end = handler.start, handler.end

    # Closures rather than methods: these run for every element, a million times a sheet.
    def start(tag: str, attrs: dict[str, str]) -> None:
        nonlocal depth, left
        depth += 1
        left -= 1
        if depth > MAX_DEPTH or left < 0 or len(attrs) > MAX_ATTRIBUTES:
            raise refuse(_broken_bound(depth, left, len(attrs)))
        handler_start(tag, attrs)

    def end(tag: str) -> None:
        nonlocal depth
        depth -= 1
        handler_end(tag)

    def no_dtd(*_: object) -> None:
        raise refuse("DTDs and entities are not allowed")

    def declaration(version: str | None, encoding: str | None, _standalone: int) -> None:
        if version not in (None, "1.0"):
            raise refuse(f"XML version {_shown(version)}; spreadsheets write 1.0")
        if encoding is not None and encoding.lower() not in _ENCODINGS:
            raise refuse(f"unsupported encoding {_shown(encoding)}")

    parser = expat.ParserCreate(namespace_separator="}")
    parser.buffer_text = True
    parser.XmlDeclHandler = declaration
    parser.StartDoctypeDeclHandler = no_dtd
    parser.EntityDeclHandler = no_dtd
    parser.ExternalEntityRefHandler = no_dtd
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = handler.data
    fed = 0
    try:
        while chunk := stream.read(_CHUNK):
            parser.Parse(chunk, False)
            fed += len(chunk)
            if fed - parser.CurrentByteIndex > MAX_TOKEN_BYTES:
                raise refuse(f"a tag longer than {MAX_TOKEN_BYTES:,} bytes")
        parser.Parse(b"", True)
    finally:
        elements.left = left


def _broken_bound(depth: int, left: int, attributes: int) -> str:
    if depth > MAX_DEPTH:
        return f"elements nested more than {MAX_DEPTH} deep"
    if left < 0:
        return f"more than {MAX_ELEMENTS:,} XML elements in the workbook's parts"
    return f"an element with more than {MAX_ATTRIBUTES} attributes"


def _shown(text: str) -> str:
    """A value from the file, short and on one line, for a message."""
    return ascii(text[:40])
