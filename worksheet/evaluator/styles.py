"""What each cell style (a cell's ``s``) would make a value look like, read from styles.xml.

A number format or a font can show something other than the value the check proves: a format
with sections shows a negative without its sign (``0.0;0.0``), a literal or ``;;;`` shows
text or nothing in its place, a white font or one the colour of its fill shows nothing. The
generator writes only General, fixed decimals, scientific and ``@``, in dark text, so every
other look is refused for a stored cell (see ``sheetxml``). The part streams through the same
bounded stream as every other; only the attributes a cell style is judged by are kept.

A cell style (``cellXfs``) inherits from its named style (``cellStyleXfs``, by ``xfId``)
what it leaves out or does not apply (``applyFont="0"``...), and LibreOffice then from the
Normal style: Excel and LibreOffice resolve this differently, so a style is judged by every
look either could give it. Its own values and its named style's, Normal's as well, must each
pass, and so must every pairing of a font it may wear with a fill it may stand on.
"""

from __future__ import annotations

import re

from worksheet.evaluator.colours import BLACK, WHITE, Fill, font_problem, readable, resolve
from worksheet.evaluator.limits import MAX_STYLE_VALUES, MAX_STYLES
from worksheet.evaluator.sheetformulas import Fail
from worksheet.evaluator.sheetxml import MAIN_NAMESPACES
from worksheet.evaluator.xmlstream import Tags

# Built-in formats (ECMA-376 18.8.30) the accepted codes have; other built-ins are refused.
_BUILTIN = {"0": "General", "1": "0", "2": "0.00", "11": "0.00E+00", "49": "@"}
# General (any case: LibreOffice writes GENERAL too), 0, 0.0 to 15 decimals, scientific, @.
PLAIN_FORMAT = re.compile(r"(?i:general)|0(?:\.0{1,15})?(?:E\+0{2,3})?|@")
_MAX_INDENT = 15  # levels of indent: more pushes a number out of its cell
_MIN_POINTS = 6.0  # smaller text cannot be read
_DEFAULT_POINTS = "11"  # a font without sz: the applications' default size
_MC = "}http://schemas.openxmlformats.org/markup-compatibility/2006}"
_FONT_PARTS = frozenset({"color", "sz", "name", "charset", "vertAlign", "scheme"})
_LISTS = frozenset({"numFmts", "fonts", "fills", "cellStyleXfs", "cellXfs", "cellStyles"})
_LISTS |= {"colors"}
_COLOUR_KEYS = ("rgb", "indexed", "theme", "tint", "auto")
# The only attributes of an xf that are kept (an xf may carry 64): its ids, what it applies,
# and the alignment judged. ``applyX`` false (or the id left out) lets the named style's show.
_XF_KEYS = ("numFmtId", "fontId", "fillId", "xfId")
_XF_KEYS += ("applyNumberFormat", "applyFont", "applyFill")
_ALIGN_KEYS = ("shrinkToFit", "textRotation", "horizontal", "indent", "wrapText")
_NUMFMT, _FONT, _FILL, _PARENT = range(4)
_APPLIES = {_NUMFMT: 4, _FONT: 5, _FILL: 6}
_ALIGN = len(_XF_KEYS)
_FALSE = ("0", "false")

Attrs = dict[str, str]
Xf = tuple  # the values of _XF_KEYS then _ALIGN_KEYS, None where the file gives none


class StyleLooks(dict):
    """Each cell style's index, as ``s`` writes it, to what it hides ("" for nothing), with
    ``points``: the largest font size in points a cell of that style may be drawn in."""

    points: dict[str, float]
    wraps: frozenset[str]  # the styles whose own alignment wraps text


class StylesReader:
    """Expat callbacks keeping formats, fonts, fills, named and cell styles and the palette."""

    def __init__(self, fail: Fail, part: str, theme: list[str] | None = None) -> None:
        self.fail, self.part = fail, part
        self.theme = theme or []  # the theme's colours by font ``theme`` index (see ``theme``)
        self.names = Tags(MAIN_NAMESPACES)
        self.path: list[str] = []
        self.formats: dict[str, str] = {}  # numFmtId -> format code
        self.fonts: list[dict] = []  # each font's colour (its attributes) and sz, name... (val)
        self.fills: list[Fill] = []  # each fill's pattern and colours
        self.parents: list[list[str | None]] = []  # cellStyleXfs: the named styles
        self.xfs: list[list[str | None]] = []  # cellXfs: what a cell's ``s`` counts
        self.normal = "0"  # the named style of builtinId 0 (Normal), LibreOffice's default
        self.palette: list[str] = []  # indexedColors, when the file replaces the default
        self.seen: set[str] = set()  # lists met: a second one would shift every index
        self.values: dict[str, str] = {}  # each attribute value kept once, however often used
        self.stops = 0  # gradient stops, all fills together
        self.memo: dict[tuple, object] = {}  # looks judged: named styles, font and fill pairs

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
        elif where.startswith("fonts/") or where.startswith("fills/"):
            self._font_or_fill(where, name, attrs)
        elif where in ("cellXfs/xf", "cellStyleXfs/xf"):
            found = self.xfs if where == "cellXfs/xf" else self.parents
            self._count(found)
            found.append([self._kept(attrs.get(key)) for key in _XF_KEYS] + [None] * 5)
        elif where in ("cellXfs/xf/alignment", "cellStyleXfs/xf/alignment"):
            xf = (self.xfs if where[4] == "X" else self.parents)[-1]
            xf[_ALIGN:] = [self._kept(attrs.get(key)) for key in _ALIGN_KEYS]
        elif where == "cellStyles/cellStyle" and attrs.get("builtinId") == "0":
            self.normal = self._kept(attrs.get("xfId", "0"))
        elif where == "colors/indexedColors/rgbColor":
            self._count(self.palette)
            self.palette.append(attrs.get("rgb", "")[-6:].upper())

    def _font_or_fill(self, where: str, name: str, attrs: Attrs) -> None:
        if where == "fonts/font":
            self._count(self.fonts)
            self.fonts.append({})
        elif name in _FONT_PARTS and where == f"fonts/font/{name}":
            font = self.fonts[-1]  # a colour's attributes, any other part's val alone
            font[name] = self._colour(attrs) if name == "color" else self._kept(attrs.get("val"))
        elif where == "fills/fill":
            self._count(self.fills)
            self.fills.append(Fill())
        elif where == "fills/fill/patternFill":
            self.fills[-1].pattern = attrs.get("patternType")
        elif where in ("fills/fill/patternFill/fgColor", "fills/fill/patternFill/bgColor"):
            self.fills[-1].colours[name] = self._colour(attrs)
        elif where == "fills/fill/gradientFill":
            self.fills[-1].pattern = "gradient"
        elif where == "fills/fill/gradientFill/stop/color":
            self.stops += 1  # two or three to a gradient: counted across all of them
            if self.stops > MAX_STYLES:
                raise self.fail(f"{self.part}: more than {MAX_STYLES:,} gradient stops")
            self.fills[-1].stops.append(self._colour(attrs))

    def _colour(self, attrs: Attrs) -> Attrs:
        return {key: self._kept(attrs[key]) for key in _COLOUR_KEYS if key in attrs}

    def _kept(self, value: str | None) -> str | None:
        """One copy of each value: 65,536 styles of equal attributes keep one of each."""
        if value is None:
            return None
        if len(self.values) >= MAX_STYLE_VALUES:
            raise self.fail(f"{self.part}: more than {MAX_STYLE_VALUES:,} distinct attributes")
        return self.values.setdefault(value, value)

    def end(self, tag: str) -> None:
        self.path.pop()

    def data(self, text: str) -> None:
        pass

    def _count(self, found: list[object] | dict[str, str]) -> None:
        if len(found) >= MAX_STYLES:
            raise self.fail(f"{self.part}: more than {MAX_STYLES:,} entries in one list")

    def problems(self) -> StyleLooks:
        """Each cell style's index, as ``s`` writes it, to what it hides ("" for nothing)."""
        looks, judged = StyleLooks(), {}  # equal styles judged once
        looks.points = {}
        looks.wraps = frozenset(str(i) for i, xf in enumerate(self.xfs) if _wraps(xf))
        if not self.xfs:
            looks["0"], looks.points["0"] = "", float(_DEFAULT_POINTS)
        for i, xf in enumerate(self.xfs):
            key = tuple(xf)
            if key not in judged:
                judged[key] = self._judged(key)
            problem, points = judged[key]
            looks[str(i)] = f"{problem} (style {i} of {self.part})" if problem else ""
            looks.points[str(i)] = points
        return looks

    def _judged(self, xf: Xf) -> tuple[str, float]:
        """What a cell style hides, and the largest font it may be drawn in."""
        parent, normal = self._parent(xf[_PARENT]), self._parent(self.normal)
        if parent is False or normal is False:
            return "a named style (xfId) that is not in the file", 0.0
        chain = tuple(dict.fromkeys(p for p in (parent, normal) if p is not None))
        if chain not in self.memo:  # a few named styles, shared by many cell styles
            self.memo[chain] = next(
                (p for named in chain if (p := self._look(named, chain)[0])), ""
            )
        if self.memo[chain]:
            return f"its named style: {self.memo[chain]}", 0.0
        return self._look(xf, chain)

    def _parent(self, index: str | None) -> Xf | None | bool:
        """The named style an index gives (None: no named styles at all; False: not one)."""
        if not self.parents:
            return None
        found = _entry(self.parents, index or "0")
        return tuple(found) if isinstance(found, list) else False

    def _look(self, xf: Xf, named: tuple[Xf, ...]) -> tuple[str, float]:
        """What a style hides with what it may inherit from ``named``, and its largest font."""
        for fmt in self._choices(xf, named, _NUMFMT):
            code = self.formats.get(fmt or "0", _BUILTIN.get(fmt or "0"))
            if code is None:
                return f"number format {_shown(fmt or '0')} is not one the generator writes", 0.0
            if not PLAIN_FORMAT.fullmatch(code):
                return f"number format {_shown(code)} could show another value", 0.0
        points = 0.0
        for font in self._choices(xf, named, _FONT):
            for fill in self._choices(xf, named, _FILL):
                problem, size = self._pair(font or "0", fill)
                if problem:
                    return problem, 0.0
                points = max(points, size)
        return _alignment(xf), points

    def _pair(self, font_id: str, fill_id: str | None) -> tuple[str, float]:
        """What text in one font on one fill hides, and the font's size (judged once)."""
        key = (font_id, fill_id)
        if key not in self.memo:
            font, fill = _entry(self.fonts, font_id), _entry(self.fills, fill_id)
            if font is None or fill is None:
                self.memo[key] = "a font or fill that is not in the file", 0.0
                return self.memo[key]
            problem, size = self._font(font)
            text = resolve(font.get("color", {}), BLACK, self.theme, self.palette)
            grounds = fill.grounds(self.theme, self.palette) if fill else [WHITE]
            if not problem and not all(readable(text, ground) for ground in grounds):
                problem = "text too close in colour to its fill could hide the value"
            self.memo[key] = problem, size
        return self.memo[key]

    def _choices(self, xf: Xf, named: tuple[Xf, ...], at: int) -> list[str | None]:
        """The values of one attribute a cell of this style may show: its own, and those of
        the named styles it inherits from when it leaves the attribute out or unapplied."""
        found = [xf[at]]
        if xf[at] is None or xf[_APPLIES[at]] in _FALSE:
            found += [parent[at] for parent in named if parent is not xf]
        return list(dict.fromkeys(found))

    def _font(self, font: dict[str, Attrs]) -> tuple[str, float]:
        """What a font hides (a size, a picture font), and its size in points."""
        size = font.get("sz") or _DEFAULT_POINTS
        if not _at_least(size, _MIN_POINTS):
            return f"a font of {_shown(size)} points could hide the value", 0.0
        face = font.get("name")
        scheme = font.get("scheme")
        if scheme in ("minor", "major"):  # the theme's font, whatever the name says
            face = getattr(self.theme, "fonts", {}).get(scheme, face)
        vert = font.get("vertAlign")
        charset = font.get("charset")
        hides = font_problem(face, charset, _number(size) or 0.0, vert)
        return (f"{hides} could hide the value" if hides else ""), _number(size) or 0.0


def _wraps(xf: Xf) -> bool:
    return (xf[-1] or "0") not in _FALSE


def _alignment(xf: Xf) -> str:
    shrink, rotation, horizontal, indent, _ = xf[_ALIGN:]
    if (shrink or "0") not in _FALSE:
        return "text shrunk to fit its cell could hide the value"
    if (rotation or "0") != "0":
        return "rotated text could hide the value"
    if horizontal == "fill":
        return "an alignment that repeats the value across its cell"
    if not _at_most(indent or "0", _MAX_INDENT):
        return "an indent that could push the value out of its cell"
    return ""


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
