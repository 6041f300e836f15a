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

from worksheet.evaluator.colours import BLACK, WHITE, blend, font_problem, readable, resolve
from worksheet.evaluator.limits import MAX_STYLES
from worksheet.evaluator.sheetformulas import Fail
from worksheet.evaluator.sheetxml import MAIN_NAMESPACES
from worksheet.evaluator.xmlstream import Tags

# Built-in formats (ECMA-376 18.8.30) the accepted codes have; other built-ins are refused.
_BUILTIN = {"0": "General", "1": "0", "2": "0.00", "11": "0.00E+00", "49": "@"}
# General (any case: LibreOffice writes GENERAL too), 0, 0.0 to 15 decimals, scientific, @.
PLAIN_FORMAT = re.compile(r"(?i:general)|0(?:\.0{1,15})?(?:E\+0{2,3})?|@")
# How much of a cell a pattern's foreground covers (the rest shows its background).
_COVER = {"gray0625": 0.0625, "gray125": 0.125, "lightGray": 0.25, "mediumGray": 0.5}
_COVER["darkGray"] = 0.75
_MAX_INDENT = 15  # levels of indent: more pushes a number out of its cell
_MIN_POINTS = 6.0  # smaller text cannot be read
_MC = "}http://schemas.openxmlformats.org/markup-compatibility/2006}"
_FONT_PARTS = frozenset({"color", "sz", "name", "charset", "vertAlign", "scheme"})
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
        self.fills: list[Fill] = []  # each fill's pattern and colours
        self.xfs: list[Attrs] = []  # cellXfs: numFmtId, fontId, fillId, alignment
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
        elif name in _FONT_PARTS and where == f"fonts/font/{name}":
            self.fonts[-1][name] = attrs
        elif where == "fills/fill":
            self._count(self.fills)
            self.fills.append(Fill())
        elif where == "fills/fill/patternFill":
            self.fills[-1].pattern = attrs.get("patternType")
        elif where in ("fills/fill/patternFill/fgColor", "fills/fill/patternFill/bgColor"):
            self.fills[-1].colours[name] = attrs
        elif where == "fills/fill/gradientFill":
            self.fills[-1].pattern = "gradient"
        elif where == "fills/fill/gradientFill/stop/color":
            self.fills[-1].stops.append(attrs)
        elif where == "cellXfs/xf":
            self._count(self.xfs)
            self.xfs.append(dict(attrs))
        elif where == "cellXfs/xf/alignment":
            self.xfs[-1].update({"alignment " + key: value for key, value in attrs.items()})
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
        if not PLAIN_FORMAT.fullmatch(code):
            return f"number format {_shown(code)} could show another value {where}"
        font, fill = _entry(self.fonts, xf.get("fontId", "0")), _entry(self.fills, xf.get("fillId"))
        if font is None or fill is None:
            return f"a font or fill that is not in the file {where}"
        size = font.get("sz", {}).get("val", "11")
        if not _at_least(size, _MIN_POINTS):
            return f"a font of {_shown(size)} points could hide the value {where}"
        face = font.get("name", {}).get("val")
        scheme = font.get("scheme", {}).get("val")
        if scheme in ("minor", "major"):  # the theme's font, whatever the name says
            face = getattr(self.theme, "fonts", {}).get(scheme, face)
        vert = font.get("vertAlign", {}).get("val")
        charset = font.get("charset", {}).get("val")
        hides = font_problem(face, charset, _number(size) or 0.0, vert)
        if hides:
            return f"{hides} could hide the value {where}"
        text = resolve(font.get("color", {}), BLACK, self.theme, self.palette)
        grounds = fill.grounds(self.theme, self.palette) if fill else [WHITE]
        if not all(readable(text, ground) for ground in grounds):
            return f"text too close in colour to its fill could hide the value {where}"
        if xf.get("alignment shrinkToFit", "0") not in ("0", "false"):
            return f"text shrunk to fit its cell could hide the value {where}"
        if xf.get("alignment textRotation", "0") not in ("0",):
            return f"rotated text could hide the value {where}"
        if xf.get("alignment horizontal") == "fill":
            return f"an alignment that repeats the value across its cell {where}"
        if not _at_most(xf.get("alignment indent", "0"), _MAX_INDENT):
            return f"an indent that could push the value out of its cell {where}"
        return ""


class Fill:
    """A fill as styles.xml gives it: a pattern (or "gradient") and its colours."""

    def __init__(self) -> None:
        self.pattern: str | None = "none"  # no patternFill at all: no fill
        self.colours: dict[str, Attrs] = {}  # fgColor, bgColor
        self.stops: list[Attrs] = []  # a gradient's stop colours

    def grounds(self, theme: list[str], palette: list[str]) -> list[str | None]:
        """Every colour text in a cell of this fill may stand on; a pattern of dots or
        lines counts as its two colours mixed by how much of the cell each covers."""
        fg = resolve(self.colours.get("fgColor", {}), BLACK, theme, palette)
        bg = resolve(self.colours.get("bgColor", {}), WHITE, theme, palette)
        if self.pattern == "gradient":
            return [resolve(stop, BLACK, theme, palette) for stop in self.stops] or [None]
        if self.pattern is None:  # no patternType: none by the standard, solid for some
            return [WHITE, fg] if "fgColor" in self.colours else [WHITE]
        if self.pattern == "none":
            return [WHITE]
        if self.pattern == "solid":
            return [fg]
        return [blend(fg, bg, _COVER.get(self.pattern, 0.5))]


def _entry(items: list, index: str | None) -> object | None:
    """The item at a style's index, or None when it is no index into ``items``; "" for no
    index at all (the default)."""
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
