"""The workbook's calculation settings (``<calcPr>``), refused where they change what is computed;
and its view settings, where they hide the charts or the whole window.

The check evaluates every formula in full precision, once, as soon as its inputs change.
"Precision as shown" (``fullPrecision="0"``) makes the application compute from the rounded
values it displays, iterative calculation (``iterate``) gives circular references a value,
and manual calculation (``calcMode="manual"``) leaves a person looking at values that no
longer follow an edited weight. None is written by openpyxl or LibreOffice for our files
(LibreOffice writes ``iterate="false"``, read here as XML Schema's false), so each is refused.
"""

from __future__ import annotations

from worksheet.evaluator.sheetformulas import Fail
from worksheet.evaluator.sheetlayout import true
from worksheet.evaluator.sheetxml import MAIN_NAMESPACES
from worksheet.evaluator.xmlstream import Handler, Tags

_MODES = ("auto", "autoNoTable")  # data tables, the only difference, are refused anyway


class CalcSettings:
    """Expat callbacks that check every ``calcPr`` of the workbook part, wherever it is."""

    def __init__(self, fail: Fail, part: str) -> None:
        self.fail, self.part = fail, part
        self.names = Tags(MAIN_NAMESPACES)

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        name = self.names[tag]
        if name == "workbookPr" and attrs.get("showObjects", "all") != "all":
            raise self.fail(f"{self.part}: charts hidden (showObjects) are not supported")
        if name == "workbookView" and attrs.get("visibility", "visible") != "visible":
            raise self.fail(f"{self.part}: a hidden workbook window is not supported")
        if name != "calcPr":
            return
        if attrs.get("fullPrecision") in ("0", "false") or not _boolean(attrs, "fullPrecision"):
            raise self._refuse("precision as shown (fullPrecision)")
        if true(attrs.get("iterate")):
            raise self._refuse("iterative calculation (iterate)")
        if attrs.get("calcMode", "auto") not in _MODES:
            raise self._refuse(f"calculation mode {ascii(attrs['calcMode'][:20])} (calcMode)")

    def _refuse(self, what: str) -> Exception:
        return self.fail(f"{self.part}: {what} is not supported (it changes what is computed)")

    def end(self, tag: str) -> None:
        pass

    def data(self, text: str) -> None:
        pass


def _boolean(attrs: dict[str, str], key: str) -> bool:
    """Whether an optional boolean attribute is absent or spelled as XML Schema allows."""
    return attrs.get(key, "1") in ("0", "1", "false", "true")


class Tee:
    """Callbacks that feed one part to several handlers, in order."""

    def __init__(self, *handlers: Handler) -> None:
        self.handlers = handlers

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        for handler in self.handlers:
            handler.start(tag, attrs)

    def end(self, tag: str) -> None:
        for handler in self.handlers:
            handler.end(tag)

    def data(self, text: str) -> None:
        for handler in self.handlers:
            handler.data(text)
