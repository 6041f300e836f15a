"""Many training steps in one workbook: the Training table, its summary and chart, and the
learning-rate sweep, with the numpy reference and the expected value of every formula cell.

    book = writer.build_workbook(plan(spec), formats=values)
    add_training(book, spec, progress=bar.update)   # the pipeline hook; rows_to_write(spec)
                                                    # is the progress bar's length
    expected_cells(spec)                     # {CellRef: (label, value)} for the check
"""

from worksheet.training.expected import expected_cells
from worksheet.training.workbook import (
    add_training,
    cells_to_write,
    distinct_rows,
    rows_to_write,
    table_width,
)

__all__ = [
    "add_training",
    "cells_to_write",
    "distinct_rows",
    "expected_cells",
    "rows_to_write",
    "table_width",
]
