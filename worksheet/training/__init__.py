"""Many training steps in one workbook: the Training table, its summary and chart, and the
learning-rate sweep, with the numpy reference and the expected value of every formula cell.

    book = writer.build_workbook(plan(spec), formats=values)
    add_training(book, spec)                 # the pipeline hook
    expected_cells(spec)                     # {CellRef: (label, value)} for the check
"""

from worksheet.training.expected import expected_cells
from worksheet.training.workbook import add_training

__all__ = ["add_training", "expected_cells"]
