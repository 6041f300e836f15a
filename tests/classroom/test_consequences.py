"""Blank answers make blank consequences: in a student's copy every live cell that depends on
an answer shows "" until the answers it needs are there, then computes from them."""

from __future__ import annotations

import itertools
import math
from dataclasses import replace

import pytest
from test_grade import by_hand, fill, handout

from worksheet.classroom.consequences import guarded, names_read, waiting_cells
from worksheet.classroom.grade import CARRIED, CORRECT, WRONG, grade_file
from worksheet.classroom.handout import answer_rows, build_handout, handout_spec
from worksheet.classroom.integrity import load_key
from worksheet.classroom.record import SECTION_KEYS
from worksheet.evaluator import Book, Cell, CellRef, XLError, evaluate
from worksheet.model.template import Overrides, load_template, resolve
from worksheet.render.stored_values import evaluator_book
from worksheet.sheets.layout import plan
from worksheet.verify.expectations import expected_by_sheet

TOLERANCE = 1e-12  # the evaluator and numpy do the same arithmetic in a different order
# Each section alone, all of them and the example in the fast core; the other 55
# combinations (a quarter of a second each) in the full suite.
QUICK = [(s,) for s in SECTION_KEYS] + [SECTION_KEYS, ("backward", "gradient")]
COMBINATIONS = [
    pytest.param(c, marks=() if c in QUICK else pytest.mark.slow, id=",".join(c))
    for k in range(1, len(SECTION_KEYS) + 1)
    for c in itertools.combinations(SECTION_KEYS, k)
]


def spec_of(template: str, **overrides):
    return handout_spec(resolve(load_template(template), Overrides(**overrides)).spec)


@pytest.fixture(scope="module")
def mazur2():
    """Mazur's network over two steps (Step 2 starts from Step's updated parameters), and
    numpy's value of each of its quantities."""
    spec = spec_of("mazur", steps=2)
    return spec, numpy_values(spec)


def numpy_values(spec) -> dict[CellRef, float]:
    """Every step quantity's numpy value at its planned cell."""
    layout, (by_sheet, _) = plan(spec), expected_by_sheet(spec)
    out = {}
    for sheet in layout.steps:
        for row, item in sheet.lines:
            value = by_sheet[sheet.name][item.symbol.name]
            out[CellRef(sheet.name, row, sheet.col("value"))] = (
                value[0] if isinstance(value, tuple) else value
            )
    return out


def student_copy(spec, sections) -> Book:
    """The student's copy as the evaluator reads the saved file: answer cells empty."""
    book = evaluator_book(build_handout(spec, sections).student)
    for ref, cell in list(book.cells.items()):
        if cell.formula is None and cell.value is XLError.NA:  # an empty answer cell
            del book.cells[ref]
    return book


def student_values(book: Book, filled: dict[CellRef, float]) -> dict[CellRef, object]:
    """``book`` evaluated as a spreadsheet would, with the answers in ``filled`` typed in."""
    cells = {**book.cells, **{ref: Cell(None, value) for ref, value in filled.items()}}
    return {**filled, **evaluate(replace(book, cells=cells))}


def answer_refs(spec, sections) -> list[CellRef]:
    return [CellRef(s, r, c) for s, r, c, _ in answer_rows(plan(spec), sections)]


def dependants(spec, sections) -> set[CellRef]:
    """Live cells that read an answer, directly or not: a fixed point over the names each
    formula reads, whatever order the rows come in (the module under test relies on it)."""
    layout = plan(spec)
    rows = [(sheet, row, item) for sheet in layout.steps for row, item in sheet.lines]
    blank = {item.symbol.name.lower() for _, _, item in rows if item.section in sections}
    found: set[CellRef] = set()
    while True:
        more = {
            (CellRef(sheet.name, row, sheet.col("value")), item.symbol.name.lower())
            for sheet, row, item in rows
            if item.section not in sections
            and any(n.lower() in blank for n in names_read(item.formula))
        }
        if {name for _, name in more} <= blank:
            return found | {ref for ref, _ in more}
        found |= {ref for ref, _ in more}
        blank |= {name for _, name in more}


@pytest.mark.parametrize(
    "formula, names, expected",
    [
        ("=w_1-eta*dL_dw_1", ["dL_dw_1"], '=IF(dL_dw_1="","",w_1-eta*dL_dw_1)'),
        ("=L_1+L_2", ["L_1", "L_2"], '=IF(L_1="","",IF(L_2="","",L_1+L_2))'),
        ("=ROUND(z_1,4)", ["z_1"], '=IF(z_1="","",ROUND(z_1,4))'),
    ],
)
def test_guarded(formula, names, expected):
    assert guarded(formula, names) == expected


def test_names_read_once_each_in_order():
    assert names_read("=w_5*h_1+w_6*h_2+b_3+EXP(-h_1)") == ["w_5", "h_1", "w_6", "h_2", "b_3"]


@pytest.mark.parametrize("sections", COMBINATIONS)
def test_every_dependant_waits_and_computes_from_the_answers(mazur2, sections):
    """Blanks: each dependant is "", every other live cell numpy's value.  Filled with the
    key's values: every cell numpy's value.  For every combination of --blank sections."""
    spec, expected = mazur2
    waiting = {CellRef(s, r, c) for s, r, c, _ in waiting_cells(plan(spec), sections)}
    answers = answer_refs(spec, sections)
    assert waiting == dependants(spec, sections)
    book = student_copy(spec, sections)
    blank = student_values(book, {})
    for ref, want in expected.items():
        if ref in waiting:
            assert blank[ref] == "", ref
        elif ref not in answers:
            assert math.isclose(blank[ref], want, rel_tol=TOLERANCE, abs_tol=1e-15), ref
    filled = student_values(book, {ref: expected[ref] for ref in answers})
    for ref, want in expected.items():
        assert math.isclose(filled[ref], want, rel_tol=TOLERANCE, abs_tol=1e-15), ref


@pytest.mark.parametrize("template", ["classic", "three-class", "xor-adam", "deep-bce"])
def test_one_blank_blanks_exactly_what_depends_on_it(template):
    """One gradient left blank (the rest typed from the key): the updated parameter it moves,
    and everything computed from that, show ""; nothing else does."""
    spec = spec_of(template, round_digits=4) if template == "classic" else spec_of(template)
    expected, sections = numpy_values(spec), ("gradient",)
    answers = answer_refs(spec, sections)
    left = answers[0]
    typed = {r: expected[r] for r in answers if r != left}
    values = student_values(student_copy(spec, sections), typed)
    layout = plan(spec)
    name = {
        CellRef(s.name, r, s.col("value")): i.symbol.name for s in layout.steps for r, i in s.lines
    }
    assert name[left].startswith("dL_d")
    shown = {ref for ref in expected if ref != left}
    empty = {ref for ref in shown if values[ref] == ""}
    assert empty == {ref for ref in shown if _reads(layout, name[ref], name[left])}
    assert len(empty) >= 2  # the updated parameter and the check's loss at least
    for ref in shown - empty:
        assert math.isclose(values[ref], expected[ref], rel_tol=TOLERANCE, abs_tol=1e-15), ref


def _reads(layout, name: str, answer: str) -> bool:
    """Whether the quantity ``name`` depends on ``answer``, through the formulas' names."""
    formulas = {i.symbol.name.lower(): i.formula for s in layout.steps for _, i in s.lines}
    todo, seen = [name.lower()], set()
    while todo:
        here = todo.pop()
        if here == answer.lower():
            return True
        if here in seen or here not in formulas:
            continue
        seen.add(here)
        todo += [n.lower() for n in names_read(formulas[here])]
    return False


def test_nesting_stays_far_below_excels_limit():
    """The widest network a spec allows: 8 inputs, 8-neuron hidden layers."""
    spec = spec_of("classic", layers=(8, 8, 8, 8, 4), activations=("tanh",) * 3 + ("sigmoid",))
    deepest = max(f.count("IF(") for *_, f in waiting_cells(plan(spec), SECTION_KEYS[:4]))
    assert 8 < deepest <= 2 * 8 + 1 + 1  # a ReLU's own IF aside


@pytest.mark.parametrize("with_key", [pytest.param(False, marks=pytest.mark.slow), True])
def test_credit_is_carried_through_the_cells_that_wait(tmp_path, with_key):
    """Backward pass and update blank: the gradients between them are live cells that wait.
    A wrong δ₁, and updates worked by hand from the gradients the sheet then shows: the
    updates that read δ₁ are carried forward, the others correct."""
    student, key = handout(tmp_path, "mazur", "--blank", "backward,update")
    typed = by_hand(student, {"delta_1": 0.5})
    grade = grade_file(fill(student, typed), teacher=load_key(key) if with_key else None)
    verdicts = {m.name: m.verdict for m in grade.marks}
    assert verdicts.pop("delta_1") == WRONG
    assert verdicts["w_1_new"] == verdicts["w_2_new"] == verdicts["b_1_new"] == CARRIED
    assert {v for n, v in verdicts.items() if n not in ("w_1_new", "w_2_new", "b_1_new")} == {
        CORRECT
    }
