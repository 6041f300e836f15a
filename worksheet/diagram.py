"""The Network sheet: the network drawn with cells, every number on it a live formula.

Layers run left to right.  Each neuron is a box of merged cells, its symbol above its value
(``=x_1`` for an input, ``=Step!h_1`` for a neuron: the first step sheet's names are scoped to
it).  Between two layers, beside each receiving neuron, its incoming weights are listed one
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

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.worksheet.worksheet import Worksheet

from worksheet import names as n
from worksheet import styles
from worksheet.cells import column_letter, quoted
from worksheet.evaluator import CellRef
from worksheet.layout import STEP
from worksheet.names import Symbol
from worksheet.reference import trace_spec
from worksheet.spec import NetworkSpec
from worksheet.topology import Topology

NETWORK = "Network"
HEAD_ROW = 4  # layer headings; rows 1-2: title and how to read the sheet
TOP = HEAD_ROW + 1  # first row of the drawing
GAP = 1  # blank rows between two neurons of a layer
BAND = 4  # columns per layer of neurons: weight label, weight value, arrow, neuron
WIDTHS = {"margin": 2, "label": 12, "value": 8, "arrow": 3, "node": 13}
NUMBER = "0.0000"
EDGE = Side(style="medium")
CENTRE = Alignment(horizontal="center", vertical="center")
# Fonts named outright: a font without a name prints in LibreOffice's default serif.
BODY = Font(name="Calibri", size=11)
BOLD = Font(name="Calibri", size=11, bold=True)
TITLE = Font(name="Calibri", size=14, bold=True)
HEAD = Alignment(horizontal="center", vertical="bottom", wrap_text=True)
ARROW = "→"


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
        where = f"{quoted(self.scope)}!" if self.scope else ""
        return f"={where}{self.symbol.name}"


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


def add_network_sheet(book: Workbook, spec: NetworkSpec) -> int:
    """Append the Network sheet for ``spec`` to ``book`` (made by ``writer.build_workbook``,
    whose defined names its formulas use); returns the number of formulas added: one per
    input, weight, bias, neuron and target, and the loss."""
    sheet = book.create_sheet(NETWORK)
    _frame(sheet, spec)
    drawn = parts(spec)
    for part in drawn:
        fill = styles.FORMULA_FILL if part.scope else styles.GIVEN_FILL
        if part.kind == "box":
            _draw_box(sheet, part, fill)
        else:
            _labelled(sheet, part, fill)
    return len(drawn)


def expected_cells(spec: NetworkSpec) -> dict[CellRef, tuple[str, float]]:
    """``{cell: (label, value)}`` for every formula of the Network sheet, from numpy, for
    ``worksheet check`` to compare like any quantity; labels read like ``Network w_3``."""
    trace, topo = trace_spec(spec), Topology(spec.layers)
    values = {n.x(i).name: v for i, v in enumerate(trace.x, 1)}
    values |= {n.y(j).name: v for j, v in enumerate(trace.y, 1)}
    for w in topo.weights():
        values[n.w(w.i).name] = trace.weights[w.layer - 1][w.target.j - 1, w.source_j - 1]
    for nr in topo.neurons():
        values[n.b(nr.k).name] = trace.biases[nr.layer - 1][nr.j - 1]
        values[topo.activation(nr).name] = trace.activations[nr.layer][nr.j - 1]
    values[n.LOSS.name] = trace.loss
    return {
        CellRef(NETWORK, p.row, p.col): (f"{NETWORK} {p.symbol.name}", float(values[p.symbol.name]))
        for p in parts(spec)
    }


def _frame(sheet: Worksheet, spec: NetworkSpec) -> None:
    """Title, how to read the sheet, column widths and the layer headings."""
    depth = len(spec.layers) - 1
    end = node_col(depth) + 2  # the targets' value column
    sheet["A1"] = f"{spec.title}: the network, live"
    sheet["A1"].font = TITLE
    sheet["A2"] = (
        "Every number is a formula: yellow ones are givens (edit them on the Givens sheet), "
        "blue ones come from the Step sheet. Beside each neuron, the weights into it and its "
        "bias: the terms of its weighted sum z."
    )
    sheet["A2"].font, sheet["A2"].alignment = BODY, Alignment(wrap_text=True, vertical="top")
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=end)
    sheet.row_dimensions[2].height = 15 * (2 if depth > 1 else 3)  # narrower: more lines
    sheet.column_dimensions["A"].width = WIDTHS["margin"]
    sheet.column_dimensions[column_letter(node_col(0))].width = WIDTHS["node"]
    _heading(sheet, node_col(0), node_col(0), "inputs")
    for layer in range(1, depth + 1):
        for offset, key in enumerate(("label", "value", "arrow", "node"), -3):
            width = WIDTHS[key]
            sheet.column_dimensions[column_letter(node_col(layer) + offset)].width = width
        kind = "output layer" if layer == depth else f"hidden layer {layer}"
        _heading(sheet, node_col(layer) - 3, node_col(layer) - 1, f"weights into {kind}")
        activation = spec.activations[layer - 1]
        _heading(sheet, node_col(layer), node_col(layer), f"{kind}\n({activation})")
    sheet.column_dimensions[column_letter(end - 1)].width = WIDTHS["label"]
    sheet.column_dimensions[column_letter(end)].width = WIDTHS["value"]
    _heading(sheet, end - 1, end, "targets and loss")
    sheet.row_dimensions[HEAD_ROW].height = 45  # three lines
    sheet.freeze_panes = f"A{TOP}"


def _heading(sheet: Worksheet, first: int, last: int, text: str) -> None:
    cell = sheet.cell(HEAD_ROW, first, text)
    cell.font, cell.alignment = BOLD, HEAD
    if last > first:
        sheet.merge_cells(start_row=HEAD_ROW, start_column=first, end_row=HEAD_ROW, end_column=last)


def _draw_box(sheet: Worksheet, part: Part, fill) -> None:
    """A neuron: its symbol in the upper half, its live value in the lower half, one border."""
    halves = (
        (part.top, part.row - 1, part.label, Border(left=EDGE, right=EDGE, top=EDGE)),
        (
            part.row,
            part.top + part.height - 1,
            part.formula,
            Border(left=EDGE, right=EDGE, bottom=EDGE),
        ),
    )
    for first, last, value, border in halves:
        cell = sheet.cell(first, part.col, value)
        cell.fill, cell.border, cell.alignment = fill, border, CENTRE
        cell.font = BOLD if first == part.top else BODY
        cell.number_format = "General" if first == part.top else NUMBER
        if last > first:
            sheet.merge_cells(
                start_row=first, start_column=part.col, end_row=last, end_column=part.col
            )


def _labelled(sheet: Worksheet, part: Part, fill) -> None:
    """A label, right-aligned, a live value beside it, and on an edge an arrow into the box."""
    label = sheet.cell(part.row, part.col - 1, part.label)
    label.font = BOLD if part.symbol == n.LOSS else BODY
    label.alignment = Alignment(horizontal="right")
    value = sheet.cell(part.row, part.col, part.formula)
    value.font, value.fill, value.number_format = BODY, fill, NUMBER
    if part.kind == "edge":
        arrow = sheet.cell(part.row, part.col + 1, ARROW)
        arrow.font, arrow.alignment = BODY, CENTRE
