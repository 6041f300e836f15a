"""The one-pass search for cells grading cannot evaluate, against a brute-force search."""

from __future__ import annotations

import random

import pytest

from worksheet.classroom.answer_graph import reachable
from worksheet.evaluator import Book, Cell, CellRef


def book_of(edges: dict[int, list[int]], constants: int = 0) -> Book:
    """Cells A1..An on one sheet; cell i reads the cells in ``edges[i]`` (or is a number)."""
    cells = {}
    for i, reads in edges.items():
        formula = "=" + "+".join(f"A{j}" for j in reads) if reads else "=1"
        cells[CellRef("S", i, 1)] = Cell(formula, None)
    for k in range(constants):
        cells[CellRef("S", k + 1, 2)] = Cell(None, 1.0)
    return Book("b.xlsx", ["S"], cells)


def brute(edges: dict[int, list[int]], roots: list[int]) -> tuple[set[int], set[int]]:
    def reach(i: int) -> set[int]:
        seen, todo = set(), list(edges[i])
        while todo:
            j = todo.pop()
            if j not in seen:
                seen.add(j)
                todo += edges[j]
        return seen

    reached = set(roots).union(*(reach(r) for r in roots))
    return reached, {i for i in reached if i in reach(i)}


@pytest.mark.parametrize("seed", range(40))
def test_cycles_and_reach_agree_with_brute_force(seed):
    rng = random.Random(seed)
    n = rng.randint(1, 30)
    edges = {i: rng.sample(range(1, n + 1), rng.randint(0, min(3, n))) for i in range(1, n + 1)}
    roots = rng.sample(range(1, n + 1), rng.randint(1, n))
    needed, broken = reachable(book_of(edges, 5), [CellRef("S", r, 1) for r in roots])
    reached, cyclic = brute(edges, roots)
    assert {ref.row for ref in needed} == reached
    assert {ref.row for ref in broken} == cyclic
    assert all("circular reference" in why for why in broken.values())


def test_a_chain_deeper_than_the_recursion_limit():
    edges = {i: [i + 1] for i in range(1, 5000)} | {5000: [1]}
    needed, broken = reachable(book_of(edges), [CellRef("S", 1, 1)])
    assert len(needed) == len(broken) == 5000


def test_a_bad_formula_is_named_and_not_followed():
    book = book_of({1: [2], 2: []})
    book.cells[CellRef("S", 2, 1)] = Cell("=SIN(1)", None)
    needed, broken = reachable(book, [CellRef("S", 1, 1)])
    assert set(broken) == {CellRef("S", 2, 1)} and "SIN" in broken[CellRef("S", 2, 1)]
