"""Draws the Network sheet planned in ``sheets.network`` with openpyxl: boxes, edges, labels."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.worksheet.worksheet import Worksheet

from worksheet.model import names as n
from worksheet.model.spec import NetworkSpec
from worksheet.render import kinds, styles
from worksheet.sheets.cells import column_letter
from worksheet.sheets.network import HEAD_ROW, NETWORK, TOP, Part, node_col, parts

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


def add_network_sheet(book: Workbook, spec: NetworkSpec) -> int:
    """Append the Network sheet for ``spec`` to ``book`` (made by ``writer.build_workbook``,
    whose defined names its formulas use); returns the number of formulas added: one per
    input, weight, bias, neuron and target, and the loss."""
    sheet = kinds.new_sheet(book, NETWORK, kinds.NETWORK)
    _frame(sheet, spec)
    drawn = parts(spec)
    for part in drawn:
        fill = styles.FORMULA_FILL if part.scope else styles.GIVEN_FILL
        if part.kind == "box":
            _draw_box(sheet, part, fill)
        else:
            _labelled(sheet, part, fill)
    return len(drawn)


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
