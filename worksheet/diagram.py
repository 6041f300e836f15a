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

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.worksheet.worksheet import Worksheet

from worksheet import names as n
from worksheet import styles
from worksheet.cells import column_letter, quoted
from worksheet.layout import STEP
from worksheet.spec import NetworkSpec
from worksheet.topology import Neuron, Topology

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


def add_network_sheet(book: Workbook, spec: NetworkSpec) -> Worksheet:
    """Append the Network sheet for ``spec`` to ``book`` (made by ``writer.build_workbook``,
    whose defined names its formulas use)."""
    sheet = book.create_sheet(NETWORK)
    topo = Topology(spec.layers)
    tops = first_rows(spec.layers)
    _frame(sheet, spec)
    for i, top in enumerate(tops[0], 1):
        symbol = n.x(i)
        _box(sheet, top, 2, node_col(0), symbol.text, f"={symbol.name}", styles.GIVEN_FILL)
    for neuron in topo.neurons():
        top = tops[neuron.layer][neuron.j - 1]
        symbol = topo.activation(neuron)
        height = block_height(spec.layers, neuron.layer)
        value = f"={quoted(STEP)}!{symbol.name}"
        _box(sheet, top, height, node_col(neuron.layer), symbol.text, value, styles.FORMULA_FILL)
        _fan_in(sheet, topo, neuron, top)
    _targets_and_loss(sheet, topo, tops[-1], block_height(spec.layers, topo.depth))
    return sheet


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


def _box(sheet: Worksheet, top: int, height: int, col: int, label: str, formula: str, fill):
    """A neuron: its symbol in the upper half, its live value in the lower half, one border."""
    upper = (height + 1) // 2
    parts = (
        (top, top + upper - 1, Border(left=EDGE, right=EDGE, top=EDGE)),
        (top + upper, top + height - 1, Border(left=EDGE, right=EDGE, bottom=EDGE)),
    )
    for (first, last, border), value in zip(parts, (label, formula)):
        cell = sheet.cell(first, col, value)
        cell.fill, cell.border, cell.alignment = fill, border, CENTRE
        cell.font = BOLD if first == top else BODY
        cell.number_format = "General" if first == top else NUMBER
        if last > first:
            sheet.merge_cells(start_row=first, start_column=col, end_row=last, end_column=col)


def _fan_in(sheet: Worksheet, topo: Topology, neuron: Neuron, top: int) -> None:
    """The weights into ``neuron`` and its bias, one per row, left of its box."""
    col = node_col(neuron.layer)
    terms = [
        (f"{n.w(w.i).text} from {topo.source(w).text}", n.w(w.i).name)
        for w in topo.weights_into(neuron)
    ]
    terms.append((f"bias {n.b(neuron.k).text}", n.b(neuron.k).name))
    for row, (label, name) in enumerate(terms, top):
        _labelled(sheet, row, col - 3, label, f"={name}", styles.GIVEN_FILL)
        arrow = sheet.cell(row, col - 1, ARROW)
        arrow.font, arrow.alignment = BODY, CENTRE


def _targets_and_loss(sheet: Worksheet, topo: Topology, tops: list[int], height: int) -> None:
    """Each output's target beside its box, the loss under the last one."""
    col = node_col(topo.depth) + 1
    for j, top in enumerate(tops, 1):
        row = top + (height + 1) // 2  # level with the box's value
        _labelled(sheet, row, col, f"target {n.y(j).text}", f"={n.y(j).name}", styles.GIVEN_FILL)
    row = tops[-1] + height + GAP
    formula = f"={quoted(STEP)}!{n.LOSS.name}"
    _labelled(sheet, row, col, f"loss {n.LOSS.text}", formula, styles.FORMULA_FILL)
    sheet.cell(row, col).font = BOLD


def _labelled(sheet: Worksheet, row: int, col: int, label: str, formula: str, fill) -> None:
    """A label, right-aligned, and beside it a live value."""
    cell = sheet.cell(row, col, label)
    cell.font, cell.alignment = BODY, Alignment(horizontal="right")
    value = sheet.cell(row, col + 1, formula)
    value.font, value.fill, value.number_format = BODY, fill, NUMBER
