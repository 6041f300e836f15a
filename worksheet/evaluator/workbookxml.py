"""Stream the small parts that say what a workbook holds: the workbook part, relationships
and content types, each read as lists of attributes.

They used to be parsed into element trees; streaming them keeps them inside the same bounds
as the sheets (see ``xmlstream``). Each reader takes its elements only at the one place the
format puts them (``workbook/sheets/sheet``, ``workbook/definedNames/definedName``,
``Relationships/Relationship``) and refuses the same element anywhere else, where another
application, following markup-compatibility choices for instance, might still read it.
"""

from __future__ import annotations

from worksheet.evaluator.limits import (
    MAX_ENTRIES,
    MAX_FORMULA,
    MAX_NAMES,
    MAX_NAMES_CHARS,
    MAX_SHEETS,
)
from worksheet.evaluator.sheetformulas import Fail
from worksheet.evaluator.sheetxml import MAIN_NAMESPACES
from worksheet.evaluator.xmlstream import Tags

RELATIONSHIPS_NS = frozenset({"http://schemas.openxmlformats.org/package/2006/relationships"})
CONTENT_TYPES_NS = frozenset({"http://schemas.openxmlformats.org/package/2006/content-types"})

Attrs = dict[str, str]
MAX_PART_ENTRIES = 2 * MAX_ENTRIES  # relationships or content types: about one per zip entry

ROOT, BOOK, SHEETS, SHEET, NAMES, NAME = range(6)
_PLACED = frozenset({"sheets", "sheet", "definedNames", "definedName"})
_GROUPS = {"sheets": SHEETS, "definedNames": NAMES}


def _shown(name: str) -> str:
    return ascii(name.rpartition("}")[2][:40]).strip("'")


class WorkbookReader:
    """The workbook part's ``<sheet>`` attributes and ``<definedName>`` attributes and text."""

    def __init__(self, fail: Fail, part: str) -> None:
        self.fail, self.part = fail, part
        self.names = Tags(MAIN_NAMESPACES)
        self.sheets: list[Attrs] = []
        self.defined: list[tuple[Attrs, str]] = []
        self.states = [ROOT]
        self.skipped = 0
        self.seen: set[int] = set()
        self.buf: list[str] = []
        self.size = 0  # characters of the name being read
        self.total = 0  # and of all names so far

    def start(self, tag: str, attrs: Attrs) -> None:
        name = self.names[tag]
        if self.skipped:
            self.skipped += 1
            if name in _PLACED:
                raise self._misplaced(name)
            return
        state = self.states[-1]
        if state == ROOT:
            if name != "workbook":
                raise self.fail(f"{self.part} holds no workbook")
            self.states.append(BOOK)
        elif state == BOOK and name in _GROUPS:
            group = _GROUPS[name]
            if group in self.seen:
                raise self.fail(f"{self.part}: more than one <{name}>")
            if group == NAMES and SHEETS not in self.seen:  # a name's localSheetId needs them
                raise self.fail(f"{self.part}: <definedNames> before <sheets>")
            self.seen.add(group)
            self.states.append(group)
        elif state == SHEETS and name == "sheet":
            self.sheets.append(attrs)
            if len(self.sheets) > MAX_SHEETS:
                raise self.fail(f"more than {MAX_SHEETS:,} sheets")
            self.states.append(SHEET)
        elif state == NAMES and name == "definedName":
            self.defined.append((attrs, ""))
            if len(self.defined) > MAX_NAMES:
                raise self.fail(f"more than {MAX_NAMES:,} defined names")
            self.buf, self.size = [], 0
            self.states.append(NAME)
        elif state == BOOK and name not in _PLACED:
            self.skipped = 1
        elif state in (SHEETS, NAMES) and name == "extLst":
            self.skipped = 1
        else:
            raise self._misplaced(name)

    def end(self, tag: str) -> None:
        if self.skipped:
            self.skipped -= 1
            return
        if self.states.pop() == NAME:
            attrs, _ = self.defined[-1]
            self.defined[-1] = (attrs, "".join(self.buf))

    def data(self, text: str) -> None:
        if self.states[-1] == NAME and not self.skipped:
            self.buf.append(text)
            self.size += len(text)
            self.total += len(text)
            if self.total > MAX_NAMES_CHARS:
                raise self.fail(f"defined names longer than {MAX_NAMES_CHARS:,} characters in all")
            if self.size > MAX_FORMULA:
                name = self.defined[-1][0].get("name", "")
                raise self.fail(
                    f"defined name {_shown(name)} longer than {MAX_FORMULA:,} characters"
                )

    def _misplaced(self, name: str) -> Exception:
        return self.fail(f"{self.part}: <{_shown(name)}> out of its place")


class EntriesReader:
    """The attributes of the children named ``kinds`` of a part's ``root`` element: the
    relationships of a ``.rels`` part, the defaults and overrides of the content types."""

    def __init__(
        self, fail: Fail, part: str, namespaces: frozenset[str], root: str, kinds: tuple[str, ...]
    ) -> None:
        self.fail, self.part, self.root, self.kinds = fail, part, root, kinds
        self.names = Tags(namespaces)
        self.entries: list[tuple[str, Attrs]] = []
        self.depth = 0

    def start(self, tag: str, attrs: Attrs) -> None:
        name = self.names[tag]
        self.depth += 1
        if self.depth == 1 and name != self.root:
            raise self.fail(f"{self.part} holds no <{self.root}>")
        if self.depth == 2 and name in self.kinds:
            self.entries.append((name, attrs))
            if len(self.entries) > MAX_PART_ENTRIES:
                raise self.fail(f"{self.part}: more than {MAX_PART_ENTRIES:,} entries")
        elif self.depth > 1 and (name in self.kinds or name == self.root):
            raise self.fail(f"{self.part}: <{_shown(name)}> out of its place")

    def end(self, tag: str) -> None:
        self.depth -= 1

    def data(self, text: str) -> None:
        pass


def relationships_reader(fail: Fail, part: str) -> EntriesReader:
    return EntriesReader(fail, part, RELATIONSHIPS_NS, "Relationships", ("Relationship",))


def content_types_reader(fail: Fail, part: str) -> EntriesReader:
    return EntriesReader(fail, part, CONTENT_TYPES_NS, "Types", ("Default", "Override"))
