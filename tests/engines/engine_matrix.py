"""The matrix of generated workbooks that other engines and readers must agree with.

Every shipped template with its own settings, then one workbook per feature: several step
sheets, a deep mixed-activation network, rounding, a short training run (stochastic and
batch), a learning-rate sweep, and a handout's key.  Each is written once per session, by
the CLI as a user would, when a test first asks for it; cases of many thousand formulas are
marked ``slow``.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from tests.conftest import run
from worksheet.evaluator import Book, evaluate, read_book
from worksheet.model.template import shipped_templates
from worksheet.verify.compare import Expected
from worksheet.verify.expectations import expectations
from worksheet.verify.readback import spec_from_book

# case id -> arguments of ``worksheet generate`` (besides -o)
FEATURES = {
    "steps-3": ["classic", "--steps", "3"],
    "deep-mixed": ["classic", "--layers", "3,4,4,2", "--activations", "tanh,relu,sigmoid",
                   "--loss", "mse"],
    "round-4": ["classic", "--round", "4"],
    "epochs-20": ["xor", "--epochs", "20"],
    "epochs-20-batch": ["xor", "--epochs", "20", "--batch"],
    "lr-sweep": ["or", "--lr-sweep", "0.1,1"],
    "student-key": ["classic", "--student"],
}  # fmt: skip
BIG = {"and", "or", "xor", "lr-sweep"}  # templates that train: tens of thousands of formulas


def _cases() -> list:
    cases = {name: [name] for name in sorted(shipped_templates())} | FEATURES
    marks = lambda name: [pytest.mark.slow] if name in BIG else []  # noqa: E731
    return [pytest.param(name, args, id=name, marks=marks(name)) for name, args in cases.items()]


CASES = _cases()


class Generated:
    """One generated workbook, read back with what the project expects of it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.book: Book = read_book(path)
        self.values = evaluate(self.book)  # what ``check``'s evaluator computes
        self.expected: Expected = expectations(self.book, spec_from_book(self.book))[0]

    def formula_cells(self):
        return [ref for ref, cell in self.book.cells.items() if cell.formula is not None]


@pytest.fixture(scope="session")
def matrix(tmp_path_factory):
    """``matrix(name, args) -> Generated``, each case generated once per session."""
    folder = tmp_path_factory.mktemp("matrix")
    made: dict[str, Generated] = {}

    def get(name: str, args: list[str]) -> Generated:
        if name not in made:
            path = folder / f"{name}.xlsx"
            result = run("generate", *args, "-o", path)
            assert result.exit_code == 0, result.output
            if "--student" in args:
                path = folder / f"{name}-key.xlsx"
            made[name] = Generated(path)
        return made[name]

    return get


def without_stored_values(src: Path, target: Path) -> Path:
    """A copy whose formula cells store nothing: an engine must compute every value itself,
    not echo ours."""
    with zipfile.ZipFile(src) as z, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in z.infolist():
            data = z.read(info)
            if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                data = re.sub(rb"(</f>)<v>[^<]*</v>", rb"\1<v />", data)
                data = re.sub(rb' t="(?:str|b)"(>(?:<f>|<f [^>]*>))', rb"\1", data)
            out.writestr(info, data)
    return target
