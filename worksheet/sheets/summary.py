"""The Summary sheet as text: first and last loss, and every example before and after training.

No openpyxl here.  The predictions are not copied from the Training sheet: each is a forward
pass of its own, from the first row's parameters (before) and from the ``end`` row's (after),
so a reader sees the trained network answer every example of the data set, by formula.
"""

from __future__ import annotations

from dataclasses import dataclass

from worksheet.model import names as n
from worksheet.model.activations import ACTIVATIONS, softmax_formula
from worksheet.model.names import Symbol
from worksheet.model.spec import NetworkSpec
from worksheet.model.topology import Topology
from worksheet.sheets import formulas as f
from worksheet.sheets.cells import absolute, address
from worksheet.sheets.training_rules import inner, mean
from worksheet.sheets.training_table import FIRST_ROW, Table

SUMMARY = "Summary"
LOSS_ROW = 4  # first loss, last loss, mean loss before, mean loss after: rows 4-7
HEAD_ROW = 10  # group headings; symbols on the next row; examples below
WHEN = {"before": "before training", "after": "after training"}


@dataclass(frozen=True)
class Item:
    """A formula cell: where it is, its text, and the quantity it computes (``key``)."""

    row: int
    col: int
    formula: str
    key: tuple
    label: str


@dataclass(frozen=True)
class Text:
    row: int
    col: int
    text: str
    bold: bool = False


class Summary:
    """Items and texts of the Summary sheet of ``table`` (on the sheet named ``source``)."""

    def __init__(self, spec: NetworkSpec, table: Table, source: str) -> None:
        self.spec, self.table, self.source = spec, table, source
        self.topo = Topology(spec.layers)
        self.items: list[Item] = []
        self.texts: list[Text] = [Text(1, 1, f"{spec.title}: training summary", True)]
        self._losses()
        self._examples()

    @property
    def chart_row(self) -> int:
        """The first free row under the example table, where the chart goes."""
        return HEAD_ROW + 3 + len(self.spec.examples)

    def _at(self, row: int, key: tuple) -> str:
        return absolute(self.source, row, self.table.col(key))

    def _losses(self) -> None:
        first, last = self.table.spec.updates, self.table.last_row
        rows = [
            ("first loss (update 1)", ("first_loss",), f.reference(self._at(FIRST_ROW, ("L",)))),
            (f"last loss (update {first})", ("last_loss",), f.reference(self._at(last, ("L",)))),
        ]
        for (label, key, formula), row in zip(rows, (LOSS_ROW, LOSS_ROW + 1)):
            self.texts.append(Text(row, 1, label))
            self.items.append(Item(row, 2, formula, key, label))
        # The mean-loss rows need the example rows' loss cells: written in _examples.

    def _examples(self) -> None:
        n_in, n_out = self.spec.layers[0], self.spec.layers[-1]
        heads = [(2, "inputs"), (2 + n_in, "targets")]
        self.texts += [Text(HEAD_ROW, c, t, True) for c, t in heads]
        symbols = [(1, "example")] + [(1 + i, n.x(i).text) for i in range(1, n_in + 1)]
        symbols += [(1 + n_in + j, n.y(j).text) for j in range(1, n_out + 1)]
        self.texts += [Text(HEAD_ROW + 1, c, t, True) for c, t in symbols]
        start = 2 + n_in + n_out
        losses: dict[str, list[str]] = {"before": [], "after": []}
        for e in range(1, len(self.spec.examples) + 1):
            row = HEAD_ROW + 1 + e
            self.texts.append(Text(row, 1, str(e)))
            inputs, targets = self._givens(row, e)
            col = start
            for when in WHEN:
                loss_cell = self._pass(row, col, e, when, inputs, targets)
                losses[when].append(loss_cell)
                col += 2 * sum(self.spec.layers[1:]) + 1
        col = start
        for when, row in zip(WHEN, (LOSS_ROW + 2, LOSS_ROW + 3)):
            label = f"mean loss over the examples, {when}"
            self.texts.append(Text(row, 1, label))
            self.items.append(Item(row, 2, mean(losses[when]), ("mean_loss", when), label))
            self.texts.append(Text(HEAD_ROW, col, f"{WHEN[when]}", True))
            col += 2 * sum(self.spec.layers[1:]) + 1

    def _givens(self, row: int, e: int) -> tuple[list[str], list[str]]:
        """The example's inputs and targets, by name, in the row's first cells."""
        cells = []
        pairs = [("x", i, n.x(i)) for i in range(1, self.spec.layers[0] + 1)]
        pairs += [("y", j, n.y(j)) for j in range(1, self.spec.layers[-1] + 1)]
        for col, (kind, index, symbol) in enumerate(pairs, 2):
            name = n.of_example(symbol, e).name
            self.items.append(Item(row, col, f.reference(name), (kind, index, e), name))
            cells.append(address(row, col))
        n_in = self.spec.layers[0]
        return cells[:n_in], cells[n_in:]

    def _pass(self, row, col, e, when, inputs, targets) -> str:
        """A forward pass and the loss of example ``e``; returns the loss cell's address."""
        param_row = FIRST_ROW if when == "before" else self.table.end_row
        acts: dict[int, str] = {}
        # where each neuron's z goes (a beside it): a softmax reads its whole layer's
        zs = {nr.k: address(row, col + 2 * i) for i, nr in enumerate(self.topo.neurons())}
        for nr in self.topo.neurons():
            if nr.layer == 1:
                sources = inputs
            else:
                sources = [acts[s.k] for s in self.topo.layer_neurons(nr.layer - 1)]
            pairs = [
                (self._at(param_row, ("w", w.i)), src)
                for w, src in zip(self.topo.weights_into(nr), sources)
            ]
            z = f.weighted_sum(pairs, self._at(param_row, ("b", nr.k)))
            self._put(row, col, z, ("z", nr.k, e, when), n.z(nr.k), e, when)
            kind = self.spec.activations[nr.layer - 1]
            if kind == "softmax":
                layer = [zs[other.k] for other in self.topo.layer_neurons(nr.layer)]
                a = softmax_formula(layer, nr.j)
            else:
                a = ACTIVATIONS[kind].formula(address(row, col))
            self._put(row, col + 1, a, ("a", nr.k, e, when), self.topo.activation(nr), e, when)
            acts[nr.k] = address(row, col + 1)
            col += 2
        outputs = [acts[nr.k] for nr in self.topo.layer_neurons(self.topo.depth)]
        terms = [
            f.loss_term(self.spec.loss, y, yhat, len(outputs)) for y, yhat in zip(targets, outputs)
        ]
        self._put(row, col, "=" + "+".join(map(inner, terms)), ("L", e, when), n.LOSS, e, when)
        return address(row, col)

    def _put(self, row, col, formula, key, symbol: Symbol, e: int, when: str) -> None:
        self.items.append(Item(row, col, formula, key, f"example {e} {when} {symbol.name}"))
        if e == 1:
            self.texts.append(Text(HEAD_ROW + 1, col, symbol.text, True))
