"""The project's own Excel formula evaluator: it reads only the saved .xlsx file.

    book = read_book("step.xlsx")      # cells with formula text and cached values, names
    values = evaluate(book)            # a value for every formula cell

Supported functions are listed in ``FUNCTIONS``; anything else is a ``FormulaError`` naming
the cell, never a silent guess.
"""

from worksheet.evaluator.book import Book, Cell, CellRef
from worksheet.evaluator.engine import Evaluation, evaluate, unevaluable
from worksheet.evaluator.functions import FUNCTIONS
from worksheet.evaluator.values import Value, XLError
from worksheet.evaluator.xlsx import read_book

__all__ = [
    "Book",
    "Cell",
    "Evaluation",
    "CellRef",
    "FUNCTIONS",
    "Value",
    "XLError",
    "evaluate",
    "read_book",
    "unevaluable",
]
