"""The far draws' design: what every check's 16 draws cover, whatever the random choices.

Independent draws covered a given or a z on one side of 0 only with probability (a ReLU
written as ``=z_1`` passed about one check in 65,000, ``-g`` for ``ABS(g)`` one in 130);
the design covers each case in every check, which these tests hold over many checks.
"""

from __future__ import annotations

import random
from itertools import combinations

import numpy as np
import pytest

from worksheet.evaluator import read_book
from worksheet.model.template import Overrides, load_template, resolve
from worksheet.reference.step import forward
from worksheet.render.generate import generate
from worksheet.verify.far import _MOVED, TABLE_DRAWS
from worksheet.verify.far_draws import DRAWS, PATTERNS, FarDesign, strata
from worksheet.verify.readback import given_refs, spec_from_book

CHECKS = 25  # designs drawn per workbook: each must cover every case


@pytest.fixture(scope="module", params=["deep", "xor"])
def drawn(request, tmp_path_factory) -> tuple:
    """A workbook's givens and 25 checks' 16 far books, with each book's z on example 1."""
    path = tmp_path_factory.mktemp("far-draws") / f"{request.param}.xlsx"
    if request.param == "deep":  # 2-2-2-1 ReLU: the second layer's z from the first's
        overrides = Overrides(layers=(2, 2, 2, 1), activations=("relu", "relu", "sigmoid"))
        spec = resolve(load_template("two-hidden"), overrides).spec
    else:  # four examples, one step sheet: only example 1's z are aimed at
        spec = resolve(load_template("xor"), Overrides(epochs=1)).spec
    generate(spec, path)
    book = read_book(path)
    moved = {name: ref for name, ref in given_refs(book).items() if _MOVED.fullmatch(name)}
    checks, designs = [], []
    for seed in range(CHECKS):
        design = FarDesign(book, moved, random.Random(seed))
        fars = [design.far(k) for k in range(DRAWS)]
        checks.append([(far, _zs(far)) for far in fars])
        designs.append(design)
    return book, moved, checks, designs


def _zs(far) -> np.ndarray:
    spec = spec_from_book(far)
    zs, _ = forward(spec.weights, spec.biases, np.array(spec.examples[0].inputs), spec.activations)
    return np.concatenate(zs)


def _cases(values: list[float], scale: float, small: float, large: float) -> set:
    """Which of (sign, small or large) the values take; a value between is neither."""
    found = set()
    for v in values:
        size = "small" if abs(v) <= small * scale else "large" if abs(v) >= large * scale else "-"
        found.add((v > 0, size))
    return found


ALL = {(True, "small"), (True, "large"), (False, "small"), (False, "large")}


def test_every_given_is_drawn_both_signs_small_and_large_in_every_check(drawn):
    book, moved, checks, _ = drawn
    for fars in checks:
        for name, ref in moved.items():
            scale = max(1.0, abs(book.cells[ref].value))
            values = [far.cells[ref].value for far, _ in fars]
            assert _cases(values, scale, 0.5, 1.0) >= ALL, (name, values)


def test_every_neuron_input_is_drawn_both_signs_small_and_large_in_every_check(drawn):
    """z decides a branch: each neuron's z on the first example is aimed at, layer by layer
    (a ReLU layer's z from the previous layer's aimed z): beyond ±1.5 and within ±0.5."""
    _, _, checks, _ = drawn
    for fars in checks:
        zs = np.array([z for _, z in fars])  # (draws, neurons)
        for k in range(zs.shape[1]):
            assert _cases(list(zs[:, k]), 1.0, 0.5, 1.5) >= ALL, (k, zs[:, k])


def test_the_tables_two_draws_mirror_each_other(drawn):
    """The training sheets get only the first two draws: each weight, input and z of the
    first update has one sign in one and the other in the other."""
    _, moved, checks, _ = drawn
    assert TABLE_DRAWS == 2
    for fars in checks:
        (first, z1), (second, z2) = fars[:2]
        for name, ref in moved.items():
            if not name.startswith("b_"):  # biases are solved for the z
                assert first.cells[ref].value * second.cells[ref].value < 0, name
        assert (z1 * z2 < 0).all()


def test_two_neurons_of_different_patterns_meet_in_all_four_sign_combinations(drawn):
    """Two z whose sign patterns differ (the first eight quantities of a half all differ)
    meet in every combination: a formula wrong where z₁ > 0 and z₂ < 0 fails too."""
    _, _, checks, designs = drawn
    for fars, design in zip(checks, designs):
        signs = np.array([z > 0 for _, z in fars])
        aimed = design.halves[0]
        names = [f"z_{k}" for k in range(1, signs.shape[1] + 1)]
        for i, j in combinations(range(len(names)), 2):
            if aimed[names[i]].sign != aimed[names[j]].sign:
                assert len(set(zip(signs[:, i], signs[:, j]))) == 4, (names[i], names[j])


def test_two_patterns_meet_in_all_four_cases_and_no_size_shares_its_sign_pattern():
    """The combinatorics behind the guarantees, for every pair of the eight patterns."""
    for p, q in combinations(PATTERNS, 2):
        runs = [(s * m, t * m) for s, t in zip(p, q) for m in (1, -1)]  # each pair mirrored
        assert set(runs) == {(1, 1), (1, -1), (-1, 1), (-1, -1)}
    for count in (3, 8, 30):
        places = strata(count, random.Random(count))
        assert all(place.sign != place.size for place in places)
        assert len({place.sign for place in places[:8]}) == min(count, 8)
