"""Colours as a spreadsheet shows them, and whether text in one can be read on another.

A colour in styles.xml is given by ``rgb`` (ARGB hex), ``indexed`` (a palette entry, the
file's own or Excel's default 64), ``theme`` (a slot of the theme's scheme, with an optional
``tint``) or ``auto``.  Text must stand out from its fill by the contrast ratio of WCAG 2
(at least 3:1, the minimum for large text): black on a theme-black fill, white on white,
yellow on white or a grey close to its fill all fail it, however the colours are written.
A colour given two ways that differ (``rgb`` black with ``theme`` white) is unreadable by
rule: Excel and LibreOffice take the theme, a reader that took the rgb would be fooled.
"""

from __future__ import annotations

MIN_CONTRAST = 3.0
MIN_POINTS = 6.0  # smaller text cannot be read
MAX_RUN_POINTS = 15.0  # a rich-text run larger than a row of the default height
BLACK, WHITE = "000000", "FFFFFF"

# Excel's default palette (indexed 0-63); 64 and 65 are the system text and background.
DEFAULT_PALETTE = (
    "000000 FFFFFF FF0000 00FF00 0000FF FFFF00 FF00FF 00FFFF "
    "000000 FFFFFF FF0000 00FF00 0000FF FFFF00 FF00FF 00FFFF "
    "800000 008000 000080 808000 800080 008080 C0C0C0 808080 "
    "9999FF 993366 FFFFCC CCFFFF 660066 FF8080 0066CC CCCCFF "
    "000080 FF00FF FFFF00 00FFFF 800080 800000 008080 0000FF "
    "00CCFF CCFFFF CCFFCC FFFF99 99CCFF FF99CC CC99FF FFCC99 "
    "3366FF 33CCCC 99CC00 FFCC00 FF9900 FF6600 666699 969696 "
    "003366 339966 003300 333300 993300 993366 333399 333333"
).split()
SYSTEM = {64: BLACK, 65: WHITE}
# The Office theme's scheme, in the order a ``theme`` index counts it (see ``theme.SLOTS``),
# which applications use when a file has no theme part.
OFFICE_THEME = (
    "FFFFFF 000000 EEECE1 1F497D 4F81BD C0504D 9BBB59 8064A2 4BACC6 F79646 0000FF 800080"
).split()

Attrs = dict[str, str]

# How much of a cell a pattern's foreground covers (the rest shows its background).
_COVER = {"gray0625": 0.0625, "gray125": 0.125, "lightGray": 0.25, "mediumGray": 0.5}
_COVER["darkGray"] = 0.75


class Fill:
    """A fill as styles.xml gives it: a pattern (or "gradient") and its colours."""

    __slots__ = ("pattern", "colours", "stops")  # a styles part may hold 65,536 fills

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


def resolve(colour: Attrs, default: str, theme: list[str], palette: list[str]) -> str | None:
    """The RRGGBB a colour element shows (``default`` for automatic or absent), or None
    when it cannot be told for sure."""
    found = []
    if "rgb" in colour:
        found.append(_rgb(colour["rgb"]))
    if "indexed" in colour:
        found.append(_indexed(colour["indexed"], palette))
    if "theme" in colour:
        found.append(_theme(colour["theme"], theme))
    if not found:
        return default  # automatic, or no colour given
    if None in found or len(set(found)) > 1:
        return None
    return _tinted(found[0], colour.get("tint"))


def readable(text: str | None, fill: str | None) -> bool:
    """Whether text in ``text`` can be read on ``fill`` (None: not known, so not)."""
    if text is None or fill is None:
        return False
    lighter, darker = sorted((_luminance(text), _luminance(fill)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05) >= MIN_CONTRAST


def blend(a: str | None, b: str | None, share: float) -> str | None:
    """``share`` of colour ``a`` over the rest in ``b``, channel by channel."""
    if a is None or b is None:
        return None
    mixed = (int(a[i : i + 2], 16) * share + int(b[i : i + 2], 16) * (1 - share) for i in (0, 2, 4))
    return "".join(f"{round(c):02X}" for c in mixed)


def _rgb(text: str) -> str | None:
    rgb = text[-6:].upper()
    ok = len(text) in (6, 8) and all(c in "0123456789ABCDEF" for c in text.upper())
    return rgb if ok else None


def _indexed(text: str, palette: list[str]) -> str | None:
    if not (text.isascii() and text.isdigit() and len(text) < 4):
        return None
    index = int(text)
    if index in SYSTEM:
        return SYSTEM[index]
    table = palette or DEFAULT_PALETTE
    return _rgb(table[index]) if index < len(table) else None


def _theme(text: str, theme: list[str]) -> str | None:
    if not (text.isascii() and text.isdigit() and len(text) < 4):
        return None
    scheme = theme or OFFICE_THEME
    index = int(text)
    return _rgb(scheme[index]) if index < len(scheme) and scheme[index] else None


def _tinted(rgb: str, tint: str | None) -> str | None:
    """``rgb`` lightened (tint > 0) or darkened (tint < 0), channel by channel: close enough
    to Excel's HSL rule for telling light from dark."""
    if tint is None:
        return rgb
    try:
        t = float(tint) if tint.isascii() and len(tint) < 30 else None
    except ValueError:
        t = None
    if t is None or not -1 <= t <= 1:
        return None
    channels = [int(rgb[i : i + 2], 16) for i in (0, 2, 4)]
    moved = [c + (255 - c) * t if t > 0 else c * (1 + t) for c in channels]
    return "".join(f"{round(c):02X}" for c in moved)


def _luminance(rgb: str) -> float:
    """WCAG 2's relative luminance of an RRGGBB colour."""

    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(int(rgb[i : i + 2], 16) / 255) for i in (0, 2, 4))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def run_problem(name: str, attrs: Attrs) -> str | None:
    """What one property of a rich-text run (``<rPr>``'s ``sz``, ``color``, ``rFont`` or
    ``charset``) would hide: part of a text in a tiny font (under 9 points, which a
    subscript draws at 6), in a colour unreadable on white or in a font of pictures, so that
    a person reads "sse" where the file holds "half-sse"; or in a font too large for a row
    of the default height, whose cut-off slice shows nothing legible (the generator writes
    no runs, and its largest font is 14 points)."""
    if name == "sz":
        try:
            size = float(attrs.get("val", "")) if len(attrs.get("val", "")) < 30 else None
        except ValueError:
            size = None
        if size is None or not size >= MIN_POINTS * 3 / 2:
            return "part of a text in a font too small to read"
        if size > MAX_RUN_POINTS:
            return "part of a text in a font too large for its row"
    if name in ("rFont", "charset") and font_problem(
        attrs.get("val") if name == "rFont" else None,
        attrs.get("val") if name == "charset" else None,
        MIN_POINTS,
        None,
    ):
        return "part of a text in a font of pictures"
    if name == "color" and not readable(resolve(attrs, BLACK, [], []), WHITE):
        return "part of a text in a colour that does not show"
    return None


# Fonts known to draw letters and digits: the generator's (Calibri, Consolas), the Office and
# LibreOffice defaults and their metric twins, and the common text fonts of Windows, macOS,
# Linux and East Asian systems. Any other is refused: a font of pictures (Wingdings, Bodoni
# Ornaments, Monotype Sorts...) shows a value as pictograms, and no list of those is whole.
TEXT_FONTS = frozenset(
    name.casefold()
    for name in (
        "Calibri", "Calibri Light", "Consolas", "Cambria", "Cambria Math", "Candara", "Corbel",
        "Constantia", "Aptos", "Aptos Narrow", "Aptos Display", "Arial", "Arial Narrow",
        "Arial Unicode MS", "Helvetica", "Helvetica Neue", "Times New Roman", "Times",
        "Courier New", "Courier", "Georgia", "Verdana", "Tahoma", "Trebuchet MS", "Segoe UI",
        "Lucida Console", "Lucida Grande", "Lucida Sans", "Garamond", "Book Antiqua",
        "Palatino", "Palatino Linotype", "Century Gothic", "Franklin Gothic Book", "Gill Sans",
        "Optima", "Menlo", "Monaco", "SF Pro", "Avenir", "Avenir Next", "Liberation Sans",
        "Liberation Serif", "Liberation Mono", "Liberation Sans Narrow", "DejaVu Sans",
        "DejaVu Serif", "DejaVu Sans Mono", "Carlito", "Caladea", "Noto Sans", "Noto Serif",
        "Noto Sans Mono", "Open Sans", "Roboto", "Source Sans Pro", "Ubuntu", "Cantarell",
        "Inter", "MS Gothic", "MS PGothic", "MS Mincho", "Meiryo", "Yu Gothic", "SimSun",
        "SimHei", "Microsoft YaHei", "Microsoft JhengHei", "PMingLiU", "MingLiU",
        "Malgun Gothic", "Noto Sans CJK JP", "Noto Sans CJK SC", "Noto Sans CJK TC",
        "Noto Sans CJK KR",
    )
)  # fmt: skip
SYMBOL_CHARSET = "2"


def font_problem(name: str | None, charset: str | None, size: float, vert: str | None) -> str:
    """What a font would hide: a picture font, or text too small once sub- or superscript
    (drawn at about two thirds of its size); "" for nothing."""
    if name is not None and name.strip().casefold() not in TEXT_FONTS:
        return f"the font {ascii(name[:40])}, not one known to draw digits,"
    if charset == SYMBOL_CHARSET:
        return "a font of pictures, not digits"
    shown = size * 2 / 3 if vert in ("subscript", "superscript") else size
    if not shown >= MIN_POINTS:
        return "text too small to read"
    return ""
