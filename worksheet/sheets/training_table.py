"""The Training table as text: one column per quantity, one formula template per column.

No openpyxl here.  A row of the table is one update, so a formula can only point at cells of
its own row (``{r}``) and of the row above (``{p}``); the givens are reached by name (``eta``,
``x_1_ex2``).  Each template is built from the same builders as the Step sheet (``formulas``,
``activations``), with addresses in place of names, so both sheets write the same maths.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from worksheet.model import names as n
from worksheet.model.names import Symbol
from worksheet.model.spec import NetworkSpec
from worksheet.model.topology import Topology
from worksheet.sheets.training_optimizer import state_keys
from worksheet.sheets.training_rules import Addresses, Key, Rules

FIRST_ROW = 4  # rows 1-3: title, column groups, symbols
SEPARATOR = "\x1f"  # joins a row's templates so that one str.format fills the whole row

UPDATE = Symbol("update", "update")
EXAMPLE = Symbol("example", "example")
EPOCH_LOSS = Symbol("L_epoch", "L̄ (last epoch)")


@dataclass(frozen=True)
class Column:
    """A quantity's column: its key, symbol, group heading and formula templates.

    ``cycle`` holds one template per example when the column depends on the row's example
    (inputs and targets), else one; ``head`` replaces it on the first rows (the givens on
    row 1; the shorter windows of the epoch mean)."""

    key: Key
    symbol: Symbol
    group: str
    cycle: tuple[str, ...]
    head: tuple[str, ...] = ()

    def template(self, u: int) -> str:
        """The template of update ``u`` (1-based)."""
        if u <= len(self.head):
            return self.head[u - 1]
        return self.cycle[(u - 1) % len(self.cycle)]


def of_example(symbol: Symbol, e: int) -> Symbol:
    """``z_1`` of example ``e`` in batch mode (``z_1_ex2``, ``z₁⁽²⁾``); ``e = 0``: the row's own."""
    return symbol if e == 0 else n.of_example(symbol, e, alias=True)


def of_slot(symbol: Symbol, s: int) -> Symbol:
    """``z_1`` of the ``s``-th example of a mini-batch (``z_1_mb2``, ``z₁[2]``): which example
    that is changes from row to row, so the label names the place, not the example."""
    return Symbol(f"{symbol.name}_mb{s}", f"{symbol.text}[{s}]")


def _slots(spec: NetworkSpec) -> range | tuple[int]:
    """The traces of a row: every example (batch), each place of a mini-batch, or the row's."""
    if spec.averaged:
        return range(1, spec.batch_size + 1)
    return (0,)


def quantity_keys(spec: NetworkSpec) -> list[tuple[Key, Symbol, str]]:
    """Every column's key, symbol and group, left to right, in the order of the computation."""
    topo = Topology(spec.layers)
    keys: list[tuple[Key, Symbol, str]] = [(("t",), UPDATE, "update")]
    if not spec.averaged:
        keys.append((("example",), EXAMPLE, "example"))
        keys += [(("x", i), n.x(i), "inputs") for i in range(1, spec.layers[0] + 1)]
        keys += [(("y", j), n.y(j), "targets") for j in range(1, spec.layers[-1] + 1)]
    group = "parameters at the start of the update"
    keys += [(("w", w.i), n.w(w.i), group) for w in topo.weights()]
    keys += [(("b", nr.k), n.b(nr.k), group) for nr in topo.neurons()]
    for e in _slots(spec):
        keys += _example_keys(topo, e, spec)
    if spec.batch:
        keys.append((("L",), n.LOSS, "loss: mean over the data set"))
    elif spec.mini:
        keys.append((("L",), n.LOSS, "loss: mean over the mini-batch"))
    keys += [(("dw", w.i), n.dL_dw(w.i), "gradients") for w in topo.weights()]
    keys += [(("db", nr.k), n.dL_db(nr.k), "gradients") for nr in topo.neurons()]
    return keys + state_keys(spec)


def _example_keys(topo: Topology, e: int, spec: NetworkSpec) -> list[tuple[Key, Symbol, str]]:
    """Forward pass, loss and error signals of one example (the row's own when ``e`` is 0;
    the ``e``-th of the row's mini-batch)."""
    where = f" (example {e})" if e else ""
    label = of_slot if spec.mini else of_example
    if spec.mini:
        where = f" (example {e} of the mini-batch)"
    keys = []
    for nr in topo.neurons():
        keys.append((("z", nr.k, e), label(n.z(nr.k), e), "forward pass" + where))
        keys.append((("a", nr.k, e), label(topo.activation(nr), e), "forward pass" + where))
    terms = range(1, topo.layers[-1] + 1)
    keys += [(("Lj", j, e), label(n.loss_term(j), e), "loss" + where) for j in terms]
    keys.append((("L",) if not e else ("Le", e), label(n.LOSS, e), "loss" + where))
    if not e and len(spec.examples) > 1:  # a stochastic loss zigzags from example to example
        keys.append((("Lbar",), EPOCH_LOSS, "loss"))
    backward = [nr for layer in range(topo.depth, 0, -1) for nr in topo.layer_neurons(layer)]
    group = "error signals δ (backward pass)" + where
    keys += [(("delta", nr.k, e), label(n.delta(nr.k), e), group) for nr in backward]
    return keys


def columns(spec: NetworkSpec, eta: str) -> list[Column]:
    """The table's columns for ``spec``, updating with the learning rate named ``eta``."""
    keyed = quantity_keys(spec)
    rules = Rules(spec, eta, Addresses([key for key, _, _ in keyed]))
    return [Column(key, symbol, group, *rules.templates(key)) for key, symbol, group in keyed]


class Back:
    """``{b[k]}`` in a template: the row ``k`` rows above ``row``."""

    def __init__(self, row: int) -> None:
        self.row = row

    def __getitem__(self, k: int) -> int:
        return self.row - k


@dataclass(frozen=True)
class Table:
    """The whole table: update ``u`` (1-based) is on row ``FIRST_ROW + u - 1``; the row after
    the last update holds only the parameters it leaves (the ``end`` row)."""

    spec: NetworkSpec
    eta: str
    columns: tuple[Column, ...]

    @property
    def last_row(self) -> int:
        return FIRST_ROW + self.spec.updates - 1

    @property
    def end_row(self) -> int:
        return self.last_row + 1

    @property
    def smooth(self) -> Key:
        """The loss a chart of many runs shows: the epoch mean where the loss zigzags."""
        return ("Lbar",) if any(c.key == ("Lbar",) for c in self.columns) else ("L",)

    def col(self, key: Key) -> int:
        """1-based column of ``key``."""
        return next(c for c, column in enumerate(self.columns, 1) if column.key == key)

    def rows(self):
        """The formulas of each update's row, in order (a list per row)."""
        for u in range(1, self.spec.updates + 1):
            yield self.row(u)

    def row(self, u: int) -> list[str]:
        """The formulas of update ``u``'s row alone (``check`` asks for a few rows)."""
        row = FIRST_ROW + u - 1
        text = self._texts[self.phase(u) - 1]
        return text.format(r=row, p=row - 1, b=Back(row)).split(SEPARATOR)

    def phase(self, u: int) -> int:
        """Which text update ``u``'s row repeats: rows 1..n_head each have their own text;
        after them the texts repeat every N rows (N examples)."""
        n_head = self._n_head
        return u if u <= n_head else n_head + (u - n_head - 1) % len(self.spec.examples) + 1

    @cached_property
    def _n_head(self) -> int:
        return max(len(c.head) for c in self.columns)

    @cached_property
    def _texts(self) -> list[str]:
        n_head = self._n_head
        return [
            SEPARATOR.join(c.template(u) for c in self.columns)
            for u in range(1, n_head + len(self.spec.examples) + 1)
        ]

    def end(self) -> list[str | None]:
        """The ``end`` row: the label, then the parameters after the last update."""
        row = self.end_row
        cells: list[str | None] = ["end"]
        for column in self.columns[1:]:
            is_parameter = column.key[0] in ("w", "b")
            cells.append(column.cycle[0].format(r=row, p=row - 1) if is_parameter else None)
        return cells


def table(spec: NetworkSpec, eta: str = n.ETA.name) -> Table:
    """The Training table of ``spec`` updating with the rate named ``eta``."""
    return Table(spec, eta, tuple(columns(spec, eta)))
