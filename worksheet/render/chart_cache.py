"""The numbers each chart line plots, stored in the chart as Excel and LibreOffice store them.

A chart refers to its cells (``'Training'!$V$4:$V$4003``); applications that recalculate
draw it from them, but a preview (Quick Look, a mail client's) draws the numbers the chart
part caches, and openpyxl caches none: the loss curve shows empty there.  So, as the cells'
stored values are written (``cached_xml``), each line's ``<numRef>`` gets a ``<numCache>`` of
the very values its cells store.  ``check`` holds such a cache to the cells' computed values,
as it does the cells' own.
"""

from __future__ import annotations

import re

from worksheet.render.stored_values import SheetValues, Stored

# A line's data as openpyxl writes it: one column of one sheet, without a cache.
_NUM_REF = re.compile(
    r"<numRef><f>(?:'((?:[^']|'')+)'|([^'!<]+))!\$([A-Z]{1,3})\$([0-9]+):\$([A-Z]{1,3})\$([0-9]+)"
    r"</f></numRef>"
)


class Lookup:
    """Each sheet's stored values by cell reference, made once a chart needs that sheet."""

    def __init__(self, values: SheetValues) -> None:
        self.values = values
        self.by_sheet: dict[str, dict[str, Stored]] = {}

    def get(self, sheet: str, ref: str) -> Stored | None:
        if sheet not in self.by_sheet:
            cells = self.values.get(sheet)
            self.by_sheet[sheet] = cells.as_dict() if cells is not None else {}
        return self.by_sheet[sheet].get(ref)


def cache_charts(data: bytes, lookup: Lookup) -> bytes:
    """A chart part with a cache in every line whose cells all store a number."""

    def cached(m: re.Match) -> str:
        sheet = (m[1] or "").replace("''", "'") or m[2]
        column, top, bottom = m[3], int(m[4]), int(m[6])
        if m[5] != column or bottom < top:
            return m[0]
        numbers = [lookup.get(sheet, f"{column}{row}") for row in range(top, bottom + 1)]
        if not all(type(x) is float for x in numbers):
            return m[0]  # a cell without a number: applications draw from the cells
        points = "".join(f'<pt idx="{i}"><v>{x!r}</v></pt>' for i, x in enumerate(numbers))
        cache = f'<numCache><formatCode>General</formatCode><ptCount val="{len(numbers)}"/>'
        return m[0].replace("</f></numRef>", f"</f>{cache}{points}</numCache></numRef>")

    return _NUM_REF.sub(cached, data.decode("utf-8")).encode("utf-8")


def is_chart(part: str) -> bool:
    return part.startswith("xl/charts/chart") and part.endswith(".xml")
