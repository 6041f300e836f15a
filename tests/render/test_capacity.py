"""generate refuses what check would refuse as too large: the capacity estimate, made from the
plan before anything is built, against the evaluator's own count of the written file, and the
refusals."""

from __future__ import annotations

import pytest

from worksheet.errors import SpecError
from worksheet.evaluator import read_book
from worksheet.evaluator.areas import StoredCells
from worksheet.evaluator.compiler import Compiler
from worksheet.evaluator.plans import Plans
from worksheet.model.template import Overrides, _parse, load_template, resolve
from worksheet.render import capacity
from worksheet.render.book import save_atomic
from worksheet.render.capacity import Costs
from worksheet.render.generate import build
from worksheet.sheets.layout import plan

pytestmark = pytest.mark.slow

CASES = [
    ("classic", Overrides()),
    ("classic", Overrides(steps=3)),
    ("two-hidden", Overrides(round_digits=4)),
    ("deep-bce", Overrides(steps=2)),
    ("xor", Overrides(epochs=7)),
    ("xor", Overrides(epochs=5, batch=True)),
    ("xor", Overrides(epochs=300, batch=True)),  # rows with longer numbers below the distinct
    ("xor", Overrides(epochs=3, lr_sweep=(0.5, 1.0, 2.0))),
    ("and", Overrides(epochs=2, batch=True, lr_sweep=(0.1, 1.0))),
    ("xor", Overrides(layers=(2, 8, 8, 8, 1), epochs=3, batch=True)),
    (
        "deep-bce",
        Overrides(layers=(8, 8, 8, 8, 4), steps=1, activations=("tanh",) * 3 + ("sigmoid",)),
    ),
]


# How much more than the evaluator's count the estimate may be: row numbers lower down are
# allowed for generously, the operation count is a token count, and the parse is counted per
# formula on step sheets and per template in each table column, where the evaluator parses
# once per shape (a nudged column's activations, the same rule in several columns).
SLACK = {
    "cells": 1.0,
    "parsed": 1.5,
    "formula_chars": 1.6,
    "longest": 1.1,
    "operations": 1.2,
    "names": 1.0,
}


def evaluator_costs(path) -> Costs:
    """What the evaluator counts on reading and compiling ``path``."""
    book = read_book(path)
    compiler = Compiler(book, {}, StoredCells(book.cells))
    plans = Plans(compiler)
    units = {
        ref: plans.get(ref, cell.formula)
        for ref, cell in book.cells.items()
        if cell.formula is not None
    }
    formulas = [cell.formula for cell in book.cells.values() if cell.formula is not None]
    return Costs(
        cells=len(book.cells),
        parsed=compiler.parsed,
        formula_chars=sum(len(f) - 1 for f in formulas),
        longest=max(len(f) - 1 for f in formulas),
        operations=sum(unit.nodes for unit in units.values()),
        names=len(book.names),
    )


@pytest.mark.parametrize("template, overrides", CASES)
def test_the_estimate_is_the_evaluators_count_or_a_little_more(tmp_path, template, overrides):
    spec = resolve(load_template(template), overrides).spec
    estimate = capacity.costs(spec, plan(spec))
    book, _ = build(spec)
    save_atomic(book, tmp_path / "a.xlsx", force=False)
    actual = evaluator_costs(tmp_path / "a.xlsx")
    for field, slack in SLACK.items():
        ours, theirs = getattr(estimate, field), getattr(actual, field)
        assert theirs <= ours <= theirs * slack + 100, (field, ours, theirs)


def test_a_training_table_past_the_cells_check_reads_is_refused_before_building():
    spec = resolve(load_template("xor"), Overrides(epochs=20_000, batch=True)).spec
    with pytest.raises(SpecError, match=r"epochs: 20,000 updates .* use fewer epochs"):
        capacity.check_spec(spec)


def test_the_largest_training_that_fits():
    spec = resolve(load_template("xor"), Overrides(epochs=5_000)).spec  # 20,000 updates
    capacity.check_spec(spec)


@pytest.mark.parametrize(
    "limit, message",
    [
        ("MAX_CELLS", "cells, more than"),
        ("MAX_PARSED_CHARS", "characters of distinct formulas"),
        ("MAX_FORMULA_CHARS", "characters of formulas in all"),
        ("MAX_OPERATIONS", "operations to evaluate"),
        ("MAX_NAMES", "defined names"),
        ("MAX_FORMULA", "characters long, more than"),
    ],
)
def test_each_limit_of_the_evaluator_refuses(monkeypatch, limit, message):
    spec = resolve(load_template("xor"), Overrides(epochs=2)).spec
    layout = plan(spec)
    capacity.check_plan(spec, layout)  # within every limit
    monkeypatch.setattr(capacity, limit, 10)
    with pytest.raises(SpecError, match=message):
        capacity.check_plan(spec, layout)


def test_a_book_too_large_to_check_is_refused_before_any_numpy_or_openpyxl_work(monkeypatch):
    """Steps 10 of a 2-8-8-8-4 network hold 1.3 million characters of distinct formulas (14
    million before the evaluator parsed each shape once): under the limit since, so the
    limit is lowered here to hold the early refusal to its promise."""
    from worksheet.render import generate as pipeline

    monkeypatch.setattr(capacity, "MAX_PARSED_CHARS", 700_000)

    def never(*args, **kwargs):
        raise AssertionError("computed before the refusal")

    monkeypatch.setattr(pipeline, "step_values", never)
    monkeypatch.setattr(pipeline, "build_workbook", never)
    monkeypatch.setattr(pipeline, "plan", never)  # refused from step 1's plan alone
    spec = resolve(load_template("classic"), Overrides(layers=(2, 8, 8, 8, 4), steps=10)).spec
    with pytest.raises(SpecError, match="characters of distinct formulas, more than"):
        build(spec)


@pytest.mark.parametrize("steps", [4, 7])
def test_the_early_bound_is_never_above_the_full_estimate(steps):
    """check_early refuses only what check_plan would: its count is a lower bound."""
    spec = resolve(load_template("two-hidden"), Overrides(steps=steps)).spec
    full = capacity.costs(spec, plan(spec))
    for limit in ("MAX_CELLS", "MAX_PARSED_CHARS", "MAX_FORMULA_CHARS", "MAX_OPERATIONS"):
        field = {"MAX_CELLS": "cells", "MAX_PARSED_CHARS": "parsed"}.get(limit)
        field = field or {"MAX_FORMULA_CHARS": "formula_chars"}.get(limit, "operations")
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(capacity, limit, getattr(full, field))  # the full count just fits
            capacity.check_plan(spec, plan(spec))
            capacity.check_early(spec)  # so the lower bound must fit too


def test_many_examples_are_refused_by_the_spec():
    text = "layers = [1, 1]\n" + "[[examples]]\ninputs = [0.5]\ntargets = [1.0]\n" * 257
    with pytest.raises(SpecError, match="examples: at most 256"):
        resolve(_parse(text, "t.toml"))
