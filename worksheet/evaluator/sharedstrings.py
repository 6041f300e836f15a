"""Stream the shared string table, where most text cells keep their text.

One ``<si>`` per string, directly in ``<sst>``: its ``<t>``, or the ``<t>`` of its rich-text
runs joined, phonetic hints dropped. The count of strings, the length of each once decoded
and the characters of all of them together are capped as the part streams (see ``limits``).
"""

from __future__ import annotations

from worksheet.evaluator.cellvalues import unescape
from worksheet.evaluator.colours import run_problem
from worksheet.evaluator.limits import MAX_STRINGS, MAX_TEXT, MAX_TEXT_CHARS
from worksheet.evaluator.sheetformulas import Fail, Totals
from worksheet.evaluator.sheetxml import MAIN_NAMESPACES, MAX_RAW_TEXT
from worksheet.evaluator.xmlstream import Tags

# What may hold what: element -> its children that are read (others are refused or skipped).
_READ = {"": ("sst",), "sst": ("si",), "si": ("t", "r"), "r": ("t",)}
_SKIPPED = frozenset({"rPh", "phoneticPr", "rPr", "extLst"})


class SharedStringsReader:
    """Expat callbacks collecting the shared string table: runs joined, phonetic hints dropped."""

    def __init__(self, fail: Fail, totals: Totals | None = None) -> None:
        self.fail = fail
        self.totals = totals or Totals()
        self.strings: list[str] = []
        self.names = Tags(MAIN_NAMESPACES)
        self.path = [""]  # the elements read, outermost first
        self.skipped = 0  # depth inside an element skipped with all it holds
        self.in_run_look = False  # the element skipped is a run's properties
        self.size = 0  # raw characters of the current string
        self.parts: list[str] = []
        self.buf: list[str] | None = None

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        name = self.names[tag]
        if self.skipped:
            self.skipped += 1
            if name == "si":
                raise self.fail("shared string table: <si> outside <sst>")
            problem = run_problem(name, attrs) if self.in_run_look and self.skipped == 2 else None
            if problem:
                raise self.fail(f"shared string {len(self.strings)}: {problem}")
            return
        parent = self.path[-1]
        if name in _READ.get(parent, ()):
            self.path.append(name)
            if name == "si":
                self.parts, self.size = [], 0
                if len(self.strings) >= MAX_STRINGS:
                    raise self.fail(f"more than {MAX_STRINGS:,} shared strings")
            elif name == "t":
                self.buf = []
        elif parent == "":
            raise self.fail("shared string table: the part holds no <sst>")
        elif parent != "t" and name in _SKIPPED:
            self.skipped = 1
            self.in_run_look = name == "rPr"  # a run's own font: read for what it would hide
        else:
            raise self.fail(f"shared string table: unexpected <{_local(name)}> in <{parent}>")

    def end(self, tag: str) -> None:
        if self.skipped:
            self.skipped -= 1
            return
        name = self.path.pop()
        if name == "si":
            self._keep("".join(self.parts))
        elif name == "t" and self.buf is not None:
            self.parts.append("".join(self.buf))
            self.buf = None

    def data(self, text: str) -> None:
        if self.buf is not None and not self.skipped:
            self.buf.append(text)
            self.size += len(text)
            if self.size > MAX_RAW_TEXT:
                raise self.fail(f"shared string longer than {MAX_TEXT} characters")

    def _keep(self, raw: str) -> None:
        """Decode one string and count it against the limits on text kept."""
        try:
            text = unescape(raw)
        except ValueError as exc:
            raise self.fail(f"shared string {len(self.strings)}: {exc}") from exc
        if len(text) > MAX_TEXT:
            raise self.fail(f"shared string longer than {MAX_TEXT} characters")
        self.totals.text_chars += len(text)
        if self.totals.text_chars > MAX_TEXT_CHARS:
            raise self.fail(f"more than {MAX_TEXT_CHARS:,} characters of text in all")
        self.strings.append(text)


def _local(name: str) -> str:
    return ascii(name.rpartition("}")[2][:40]).strip("'")
