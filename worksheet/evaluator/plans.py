"""Compile each distinct formula once, recognising copies of a formula filled down a column.

A column of ``=A{r-1}*0.5+B{r}`` is one formula, not half a million: its copies share a
*skeleton* (the text with digit runs blanked) and the same row offsets. The key of a formula is
its sheet, column, skeleton and, for each digit run, the row offset when the run is the row of
a row-relative address, else the digits themselves. Building that key costs two C-level regex
calls; the full regex and the parser run once per skeleton, and a skeleton is trusted only when
the parser found exactly the references the regex found, from the skeleton's second copy on
(the first copy of each is compiled on its own: one extra compile per shape).

A formula whose skeleton is not (yet) known to share falls back to its *shape*: the text with
every cell address written relative to its host (``a1.shape``, one regex pass). Copies across
columns share a shape (a deep network's gradient check repeats one forward pass in a column per
parameter: 5,000 shapes among 79,000 formulas), and so does the first copy down a column. A
shape is trusted on the same terms as a skeleton: the parser found exactly the addresses the
regex found. Compiled formulas read their host's row and column at run time, so one compiled
formula serves every host of its shape.
"""

from __future__ import annotations

from worksheet.errors import FormulaError
from worksheet.evaluator import a1
from worksheet.evaluator.book import CellRef
from worksheet.evaluator.compiler import Compiled, Compiler
from worksheet.evaluator.parser import parse


class Plans:
    """Compiled formulas of one evaluation, shared between copies of the same formula."""

    def __init__(self, compiler: Compiler) -> None:
        self.compiler = compiler
        self.rows_by_skeleton: dict[str, tuple[int, ...]] = {}  # digit runs that are rows
        self.seen: set[str] = set()  # skeletons met once: a second copy is worth sharing
        self.units: dict[tuple, Compiled] = {}
        self.shapes: dict[tuple[str, str], Compiled] = {}  # (sheet, shape) -> trusted unit
        self.parses = 0  # how many formulas were parsed, for tests and benchmarks

    def get(self, ref: CellRef, text: str) -> Compiled:
        """The compiled formula for ``text`` written in ``ref``."""
        skeleton = a1.skeleton(text)
        key = self._key(ref, text, skeleton)
        unit = self.units.get(key) if key is not None else None
        if unit is None:
            shape = (ref.sheet, a1.shape(text, ref.row, ref.col))
            unit = self.shapes.get(shape)
            if unit is None:
                unit = self._compile(ref, text, skeleton, shape)
            elif skeleton not in self.rows_by_skeleton:
                # A trusted shape's copy: its addresses are the parser's, so its skeleton
                # can share from here on by the cheaper key (a column of copies down).
                self._share(ref, text, skeleton, unit)
        return unit

    def _key(self, ref: CellRef, text: str, skeleton: str) -> tuple | None:
        slots = self.rows_by_skeleton.get(skeleton)
        if slots is None:
            return None
        parts: list[object] = a1.DIGIT_RUN.findall(text)
        host_row = ref.row
        for i in slots:
            run = parts[i]
            if len(run) > 7:  # type: ignore[arg-type]  # same skeleton, but no row here
                return None
            row = int(run)  # type: ignore[call-overload]
            if not 1 <= row <= a1.MAX_ROW:
                return None
            parts[i] = row - host_row
        # One string, not a tuple of a string per digit run: a hostile formula of 800
        # absolute addresses kept 800 small strings alive per distinct formula.
        return (ref.sheet, ref.col, skeleton, ",".join(map(str, parts)))

    def _compile(self, ref: CellRef, text: str, skeleton: str, shape: tuple) -> Compiled:
        where = str(ref)
        self.parses += 1
        self.compiler.spend_parse(len(text), where)
        try:
            node, parsed = parse(text, ref.row, ref.col, where)
        except RecursionError as exc:
            raise FormulaError(f"{where}: formula nested too deeply") from exc
        unit = self.compiler.compile(node, ref.sheet, where)
        found = a1.references(text, ref.row, ref.col)
        if parsed == found:
            self.shapes[shape] = unit
        if skeleton not in self.seen:
            # Most formulas of a hand-traced sheet are one of a kind (their names differ):
            # the regexes that prove a skeleton shareable run from its second copy on.
            self.seen.add(skeleton)
        elif parsed == found:
            self._share(ref, text, skeleton, unit)
        else:
            self.rows_by_skeleton.pop(skeleton, None)  # the regex misreads it: no sharing
        return unit

    def _share(self, ref: CellRef, text: str, skeleton: str, unit: Compiled) -> None:
        """Let the copies of ``text`` down its column find ``unit`` by their skeleton."""
        rows = a1.relative_rows(text)
        self.rows_by_skeleton[skeleton] = tuple(i for i, rel in enumerate(rows) if rel)
        key = self._key(ref, text, skeleton)
        if key is not None:
            self.units[key] = unit
