"""The Network sheet: the network drawn with cells, every number on it a live formula.

Layers run left to right.  Each neuron is a box of merged cells, its symbol above its value
(``=x_1`` for an input, ``=h_1`` for a neuron: the first step sheet's names).
Between two layers, beside each receiving neuron, its incoming weights are listed one
per row with its bias last: the terms of its weighted sum z, so ``w₁ from x₁  0.15  →`` is
the edge from x₁ drawn where it arrives.  Listing edges at the receiving neuron, rather than
drawing lines, is what keeps an 8-8-8-8-4 network (200+ weights) readable: each neuron's
block is as tall as its list, and no two edges ever cross.  Targets and the loss close the
picture on the right.

Colours say where a number comes from: yellow, a given (edit it on the Givens sheet); blue,
computed on the Step sheet.  Changing a weight on Givens changes the picture.
"""

from __future__ import annotations

from dataclasses import dataclass

from worksheet.model import names as n
from worksheet.model.names import Symbol
from worksheet.model.spec import NetworkSpec
from worksheet.model.topology import Topology
from worksheet.sheets.layout import STEP

NETWORK = "Network"
HEAD_ROW = 4  # layer headings; rows 1-2: title and how to read the sheet
TOP = HEAD_ROW + 1  # first row of the drawing
GAP = 1  # blank rows between two neurons of a layer
BAND = 4  # columns per layer of neurons: weight label, weight value, arrow, neuron


def node_col(layer: int) -> int:
    """Column of the boxes of ``layer`` (0: the inputs); column A is a margin."""
    return 2 + BAND * layer


def block_height(layers: tuple[int, ...], layer: int) -> int:
    """Rows of one neuron's box: its incoming weights and its bias (two rows for an input)."""
    return 2 if layer == 0 else layers[layer - 1] + 1


def first_rows(layers: tuple[int, ...]) -> list[list[int]]:
    """``first_rows(layers)[l][j - 1]``: top row of neuron j of layer l, each layer centred
    on the tallest one."""
    heights = [size * block_height(layers, i) + (size - 1) * GAP for i, size in enumerate(layers)]
    tallest = max(heights)
    tops = []
    for layer, size in enumerate(layers):
        start = TOP + (tallest - heights[layer]) // 2
        step = block_height(layers, layer) + GAP
        tops.append([start + j * step for j in range(size)])
    return tops


@dataclass(frozen=True)
class Part:
    """One live value of the drawing: ``symbol`` (a given, or with ``scope`` the first step
    sheet's name) at ``row``, ``col``, shown as a box ("box", of ``height`` rows from
    ``top``), as a weight or bias on an edge ("edge") or as a labelled cell ("label")."""

    kind: str
    row: int
    col: int
    label: str
    symbol: Symbol
    scope: str | None = None
    top: int = 0
    height: int = 0

    @property
    def formula(self) -> str:
        return f"={self.symbol.name}"  # workbook-wide names: the first step's, or a given


def parts(spec: NetworkSpec) -> list[Part]:
    """Every value cell of the Network sheet of ``spec``, where it goes and what it shows:
    the one description both the drawing and the check's expectations are made from."""
    topo, layers = Topology(spec.layers), spec.layers
    tops = first_rows(layers)
    found = [_box(n.x(i), None, top, 2, node_col(0)) for i, top in enumerate(tops[0], 1)]
    for neuron in topo.neurons():
        top, height = tops[neuron.layer][neuron.j - 1], block_height(layers, neuron.layer)
        col = node_col(neuron.layer)
        found.append(_box(topo.activation(neuron), STEP, top, height, col))
        edges = [(w, n.w(w.i), f"from {topo.source(w).text}") for w in topo.weights_into(neuron)]
        for row, (_, symbol, source) in enumerate(edges, top):
            found.append(Part("edge", row, col - 2, f"{symbol.text} {source}", symbol))
        bias = n.b(neuron.k)
        found.append(Part("edge", top + len(edges), col - 2, f"bias {bias.text}", bias))
    height, col = block_height(layers, topo.depth), node_col(topo.depth) + 2
    for j, top in enumerate(tops[-1], 1):
        row = top + (height + 1) // 2  # level with the output box's value
        found.append(Part("label", row, col, f"target {n.y(j).text}", n.y(j)))
    row = tops[-1][-1] + height + GAP
    found.append(Part("label", row, col, f"loss {n.LOSS.text}", n.LOSS, STEP))
    return found


def _box(symbol: Symbol, scope: str | None, top: int, height: int, col: int) -> Part:
    """A box: the symbol in its upper half, the value in its lower half."""
    return Part("box", top + (height + 1) // 2, col, symbol.text, symbol, scope, top, height)
