"""What each cell style (a cell's ``s``) would make a value look like, read from styles.xml.

A number format or a font can show something other than the value the check proves: a format
with sections shows a negative without its sign (``0.0;0.0``), a literal or ``;;;`` shows
text or nothing in its place, a white font or one the colour of its fill shows nothing. The
generator writes only General, fixed decimals, scientific and ``@``, in dark text, so every
other look is refused for a stored cell (see ``sheetxml``). The part streams through the same
bounded stream as every other; only the lists a cell style points into are kept.
"""

from __future__ import annotations

import re

from worksheet.evaluator.limits import MAX_STYLES
from worksheet.evaluator.sheetformulas import Fail
from worksheet.evaluator.sheetxml import MAIN_NAMESPACES
from worksheet.evaluator.xmlstream import Tags

# Built-in formats (ECMA-376 18.8.30) the accepted codes have; other built-ins are refused.
_BUILTIN = {"0": "General", "1": "0", "2": "0.00", "11": "0.00E+00", "49": "@"}
# General (any case: LibreOffice writes GENERAL too), 0, 0.0 to 15 decimals, scientific, @.
_PLAIN_FORMAT = re.compile(r"(?i:general)|0(?:\.0{1,15})?(?:E\+0{2,3})?|@")
_DEFAULT_WHITE = frozenset({1, 9, 65})  # white in the default palette, and system background
_LIGHT_THEMES = frozenset({"0", "2"})  # lt1 and lt2: background colours of the theme
_MIN_POINTS = 6.0  # smaller text cannot be read
_MC = "}http://schemas.openxmlformats.org/markup-compatibility/2006}"
_LISTS = frozenset({"numFmts", "fonts", "fills", "cellXfs", "colors"})

Attrs = dict[str, str]


class StylesReader:
    """Expat callbacks keeping formats, fonts, solid fills, cell styles and the palette."""

    def __init__(self, fail: Fail, part: str, theme: list[str] | None = None) -> None:
        self.fail, self.part = fail, part
        self.theme = theme or []  # the theme's colours by font ``theme`` index (see ``theme``)
        self.names = Tags(MAIN_NAMESPACES)
        self.path: list[str] = []
        self.formats: dict[str, str] = {}  # numFmtId -> format code
        self.fonts: list[dict[str, Attrs]] = []  # each font's color and sz attributes
        self.fills: list[str] = []  # each fill's solid colour (RRGGBB) or ""
        self.xfs: list[Attrs] = []  # cellXfs: numFmtId, fontId, fillId
        self.palette: list[str] = []  # indexedColors, when the file replaces the default
        self.seen: set[str] = set()  # lists met: a second one would shift every index

    def start(self, tag: str, attrs: Attrs) -> None:
        name = self.names[tag]
        path = self.path
        path.append(name)
        if name.startswith(_MC):
            raise self.fail(f"{self.part}: markup-compatibility choices are not supported")
        if len(path) == 1 and name != "styleSheet":
            raise self.fail(f"{self.part} holds no styleSheet")
        where = "/".join(path[1:])
        if len(path) == 2 and name in _LISTS:
            if name in self.seen:
                raise self.fail(f"{self.part}: more than one <{name}>")
            self.seen.add(name)
        elif where == "numFmts/numFmt":
            self._count(self.formats)
            fmt = attrs.get("numFmtId", "")
            if fmt in self.formats:
                raise self.fail(f"{self.part}: number format {_shown(fmt)} defined twice")
            self.formats[fmt] = attrs.get("formatCode", "")
        elif where == "fonts/font":
            self._count(self.fonts)
            self.fonts.append({})
        elif where in ("fonts/font/color", "fonts/font/sz"):
            self.fonts[-1][name] = attrs
        elif where == "fills/fill":
            self._count(self.fills)
            self.fills.append("")
        elif where == "fills/fill/patternFill/fgColor" and "rgb" in attrs:
            self.fills[-1] = attrs["rgb"][-6:].upper()
        elif where == "cellXfs/xf":
            self._count(self.xfs)
            self.xfs.append(attrs)
        elif where == "colors/indexedColors/rgbColor":
            self._count(self.palette)
            self.palette.append(attrs.get("rgb", "")[-6:].upper())

    def end(self, tag: str) -> None:
        self.path.pop()

    def data(self, text: str) -> None:
        pass

    def _count(self, found: list[object] | dict[str, str]) -> None:
        if len(found) >= MAX_STYLES:
            raise self.fail(f"{self.part}: more than {MAX_STYLES:,} entries in one list")

    def problems(self) -> dict[str, str]:
        """Each cell style's index, as ``s`` writes it, to what it hides ("" for nothing)."""
        found = {str(i): self._problem(i, xf) for i, xf in enumerate(self.xfs)}
        return found or {"0": ""}

    def _problem(self, index: int, xf: Attrs) -> str:
        where = f"(style {index} of {self.part})"
        fmt = xf.get("numFmtId", "0")
        code = self.formats.get(fmt, _BUILTIN.get(fmt))
        if code is None:
            return f"number format {_shown(fmt)} is not one the generator writes {where}"
        if not _PLAIN_FORMAT.fullmatch(code):
            return f"number format {_shown(code)} could show another value {where}"
        font, fill = _entry(self.fonts, xf.get("fontId", "0")), _entry(self.fills, xf.get("fillId"))
        if font is None:
            return f"a font that is not in the file {where}"
        size = font.get("sz", {}).get("val", "11")
        if not _at_least(size, _MIN_POINTS):
            return f"a font of {_shown(size)} points could hide the value {where}"
        if self._invisible(font.get("color", {}), fill or ""):
            return f"a white font, or one the colour of its fill, could hide the value {where}"
        return ""

    def _invisible(self, colour: Attrs, fill: str) -> bool:
        """Whether text in ``colour`` would not show: white, very light, or the fill's colour."""
        if "rgb" in colour:
            rgb = colour["rgb"][-6:].upper()
        elif "indexed" in colour:
            index = colour["indexed"]
            if not (index.isascii() and index.isdigit() and len(index) < 4):
                return True
            if not self.palette:
                return int(index) in _DEFAULT_WHITE
            rgb = self.palette[int(index)] if int(index) < len(self.palette) else "FFFFFF"
        elif "theme" in colour:
            index = colour["theme"]
            if not _at_most(colour.get("tint", "0"), 0.5):
                return True  # lightened to near white
            if not self.theme:
                return index in _LIGHT_THEMES
            ok = index.isascii() and index.isdigit() and int(index) < len(self.theme)
            rgb = self.theme[int(index)] if ok else ""
        else:
            return False  # automatic: the application's text colour
        if fill and rgb == fill:
            return True
        channels = [rgb[i : i + 2] for i in (0, 2, 4)]
        return len(rgb) != 6 or any(not _hex(c) for c in channels) or _near_white(channels)


def _near_white(channels: list[str]) -> bool:
    return all(int(c, 16) >= 0xF0 for c in channels)


def _hex(text: str) -> bool:
    return len(text) == 2 and all(c in "0123456789ABCDEF" for c in text)


def _entry(items: list[dict[str, Attrs]] | list[str], index: str | None) -> object | None:
    """The item at a style's index, or None when it is no index into ``items``."""
    if index is None:
        return ""
    if not (index.isascii() and index.isdigit() and len(index) <= 6) or int(index) >= len(items):
        return None
    return items[int(index)]


def _number(text: str) -> float | None:
    try:
        return float(text) if text.isascii() and len(text) < 30 else None
    except ValueError:
        return None


def _at_least(text: str, low: float) -> bool:
    x = _number(text)
    return x is not None and x >= low


def _at_most(text: str, high: float) -> bool:
    x = _number(text)
    return x is not None and x <= high


def _shown(text: str) -> str:
    return ascii(text[:60])
