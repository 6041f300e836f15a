"""Domain errors shared by every stage.

The CLI turns any ``WorksheetError`` into one line and exit code 2; nothing
else in the library prints or exits, so the library stays usable from Python.
"""


class WorksheetError(Exception):
    """Base of every error a user can cause (bad template, bad file, bad option)."""


class SpecError(WorksheetError):
    """A template or command-line option describes an impossible network."""


class BookError(WorksheetError):
    """A .xlsx file cannot be read, or is not a workbook of ours."""


class FormulaError(WorksheetError):
    """A formula cannot be evaluated (unsupported function, cycle, bad syntax)."""


class LimitError(FormulaError):
    """The formulas together go past a limit of the evaluator: the workbook's fault, not
    the fault of the cell that happened to cross it."""
