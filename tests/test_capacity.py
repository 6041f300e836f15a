"""generate refuses what check would refuse as too large: the capacity estimate against the
evaluator's own count of the written file, and the refusals."""

from __future__ import annotations

import pytest

from worksheet import capacity
from worksheet.errors import SpecError
from worksheet.evaluator import read_book
from worksheet.evaluator.areas import StoredCells
from worksheet.evaluator.compiler import Compiler
from worksheet.evaluator.plans import Plans
from worksheet.generate import build
from worksheet.template import Overrides, load_template, resolve
from worksheet.training import distinct_rows
from worksheet.writer import save_atomic

CASES = [
    ("classic", Overrides()),
    ("classic", Overrides(steps=3)),
    ("two-hidden", Overrides(round_digits=4)),
    ("deep-bce", Overrides(steps=2)),
    ("xor", Overrides(epochs=7)),
    ("xor", Overrides(epochs=5, batch=True)),
    ("xor", Overrides(epochs=3, lr_sweep=(0.5, 1.0, 2.0))),
    ("and", Overrides(epochs=2, batch=True, lr_sweep=(0.1, 1.0))),
]


def evaluator_costs(path) -> tuple[int, int]:
    """What the evaluator counts on reading and compiling ``path``."""
    book = read_book(path)
    compiler = Compiler(book, {}, StoredCells(book.cells))
    plans = Plans(compiler)
    for ref, cell in book.cells.items():
        if cell.formula is not None:
            plans.get(ref, cell.formula)
    return len(book.cells), compiler.parsed


@pytest.mark.parametrize("template, overrides", CASES)
def test_the_estimate_is_the_evaluators_count_or_a_little_more(tmp_path, template, overrides):
    spec = resolve(load_template(template), overrides).spec
    book, _ = build(spec)
    cells, chars = capacity.costs(book, distinct_rows(spec))
    save_atomic(book, tmp_path / "a.xlsx", force=False)
    read_cells, parsed = evaluator_costs(tmp_path / "a.xlsx")
    assert read_cells <= cells <= read_cells * 1.05 + 100
    assert parsed <= chars <= parsed * 1.10 + 1_000


def test_a_training_table_past_the_cells_check_reads_is_refused_before_building():
    spec = resolve(load_template("xor"), Overrides(epochs=20_000, batch=True)).spec
    with pytest.raises(SpecError, match=r"epochs: 20,000 updates .* use fewer epochs"):
        capacity.check_spec(spec)


def test_the_largest_training_that_fits():
    spec = resolve(load_template("xor"), Overrides(epochs=5_000)).spec  # 20,000 updates
    capacity.check_spec(spec)
