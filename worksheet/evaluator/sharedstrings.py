"""Stream the shared string table, where most text cells keep their text.

One ``<si>`` per string, rich-text runs joined and phonetic hints dropped; the count of strings
and the length of each are capped as the part streams (see ``limits``).
"""

from __future__ import annotations

from worksheet.evaluator.limits import MAX_STRINGS, MAX_TEXT
from worksheet.evaluator.package import LocalNames, unescape
from worksheet.evaluator.sheetxml import MAX_RAW_TEXT, Fail


class SharedStringsReader:
    """Expat callbacks collecting the shared string table: runs joined, phonetic hints dropped."""

    def __init__(self, fail: Fail) -> None:
        self.fail = fail
        self.strings: list[str] = []
        self.size = 0  # characters of the current string
        self.names = LocalNames()
        self.parts: list[str] = []
        self.buf: list[str] | None = None
        self.phonetic = False

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        name = self.names[tag]
        if name == "si":
            self.parts, self.size = [], 0
            if len(self.strings) >= MAX_STRINGS:
                raise self.fail(f"more than {MAX_STRINGS:,} shared strings")
        elif name == "t" and not self.phonetic:
            self.buf = []
        elif name == "rPh":
            self.phonetic = True

    def end(self, tag: str) -> None:
        name = self.names[tag]
        if name == "si":
            self.strings.append(unescape("".join(self.parts)))
        elif name == "t" and self.buf is not None:
            self.parts.append("".join(self.buf))
            self.buf = None
        elif name == "rPh":
            self.phonetic = False

    def data(self, text: str) -> None:
        if self.buf is not None:
            self.buf.append(text)
            self.size += len(text)
            if self.size > MAX_RAW_TEXT:
                raise self.fail(f"shared string longer than {MAX_TEXT} characters")
