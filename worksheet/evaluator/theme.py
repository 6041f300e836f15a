"""The theme's colour scheme, which a font colour given as ``theme="1"`` stands for.

The generator's text is theme colour 1 (dark 1, black in the Office theme); a theme part
that makes dark 1 white hides every value without touching a style. So the scheme is read
(only ``theme/themeElements/clrScheme``, through the bounded stream) and each slot becomes an
RRGGBB text, or "" when it is anything but a plain or system colour without modifiers.
"""

from __future__ import annotations

from worksheet.evaluator.sheetformulas import Fail
from worksheet.evaluator.xmlstream import Tags

DRAWING_NS = frozenset({"http://schemas.openxmlformats.org/drawingml/2006/main"})
# A font's theme="i" names the slots in this order (dark and light swapped, as Excel does).
SLOTS = ("lt1", "dk1", "lt2", "dk2", "accent1", "accent2", "accent3", "accent4", "accent5")
SLOTS += ("accent6", "hlink", "folHlink")
_SYSTEM = {"windowText": "000000", "window": "FFFFFF"}
_SCHEME = ["theme", "themeElements", "clrScheme"]
_FONTS = ["theme", "themeElements", "fontScheme"]


class Scheme(list):
    """The theme's colours in the order a ``theme`` index counts them, with its fonts:
    ``fonts["minor"]`` is the body font a cell font with ``scheme="minor"`` stands for."""

    fonts: dict[str, str]


class ThemeReader:
    """Expat callbacks keeping the colour of each slot of the theme's colour scheme."""

    def __init__(self, fail: Fail, part: str) -> None:
        self.fail, self.part = fail, part
        self.names = Tags(DRAWING_NS)
        self.path: list[str] = []
        self.colours: dict[str, str] = {}
        self.fonts: dict[str, str] = {}  # "minor", "major" -> latin typeface

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        name = self.names[tag]
        self.path.append(name)
        if len(self.path) == 5 and self.path[:3] == _SCHEME and self.path[3] in SLOTS:
            slot = self.path[3]
            if name == "srgbClr":
                rgb = attrs.get("val", "")
            elif name == "sysClr":
                rgb = _SYSTEM.get(attrs.get("val", ""), attrs.get("lastClr", ""))
            else:
                rgb = ""
            self.colours[slot] = "" if slot in self.colours else rgb.upper()  # one colour each
        elif len(self.path) == 6 and self.path[:3] == _SCHEME and self.path[3] in SLOTS:
            self.colours[self.path[3]] = ""  # a modifier (lumMod, tint...): not read here
        elif self.path[:3] == _FONTS and len(self.path) == 5 and name == "latin":
            self.fonts[self.path[3].removesuffix("Font")] = attrs.get("typeface", "")

    def end(self, tag: str) -> None:
        self.path.pop()

    def data(self, text: str) -> None:
        pass

    def scheme(self) -> list[str]:
        """The colours in the order a font's ``theme`` index counts them (and the fonts)."""
        found = Scheme(self.colours.get(slot, "") for slot in SLOTS)
        found.fonts = dict(self.fonts)
        return found
