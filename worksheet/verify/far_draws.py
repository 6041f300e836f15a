"""Where the far draws put the givens: a balanced design, not independent draws.

Drawn independently, a given or a neuron's input z lands on one side of 0 in all 16 draws
once in 2¹⁶ checks, and a condition on three signs (a gradient δ·x > 0 at a live ReLU) in
one check of a few hundred.  So the draws follow a design.  The 16 draws are eight
*foldover pairs*: the second draw of a pair has every sign of the first reversed.  The
pairs alternate between two halves of four pairs each:

- the **z half** (pairs 0, 2, 4, 6): weights and inputs follow the design, and each bias is
  solved, layer by layer on the first step's example, so that every neuron's input
  z = Σ w·a + b lands where the design puts it.  z is what decides a branch: a ReLU, its
  derivative, the sign of everything downstream;
- the **given half** (pairs 1, 3, 5, 7): every weight, bias and input follows the design.

In a half, a quantity's signs over its four pairs follow one of eight patterns (+ then any
three signs; the pair's second draw the reverse), and its size (small: 0.05 to 0.5, large:
1 to 2 times max(1, |given|); a z: 0.05 to 0.5 or 1.5 to 3) a different pattern.  Two
different patterns agree in some pairs and differ in others, so every given and every z is
drawn positive and negative, small and large, in every check: a formula wrong wherever one
of them is on one side of 0 (or beyond 1 or -1) fails deterministically, not by chance.
Two quantities with different patterns also meet in all four sign combinations, and their
product takes both signs in pairs where the third is on either side (δ·x of a live ReLU);
patterns repeat past eight quantities a half, so in larger networks this holds for the
pairs that drew different patterns.  The first pair is the tables' two draws: each one's
mirror.  Which quantity gets which pattern, each sign's orientation and each value within
its stratum are drawn afresh each check (SystemRandom): nothing to aim at, and no two
givens equal by design.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import numpy as np

from worksheet.errors import BookError
from worksheet.evaluator import Book, CellRef
from worksheet.model import names as n
from worksheet.model.topology import Topology
from worksheet.reference.step import ACTIVATIONS
from worksheet.verify.readback import spec_from_book

DRAWS = 16  # two halves of four foldover pairs
PAIRS = 4  # pairs in each half
# The eight sign patterns of a half, one sign per pair: + first (the orientation is drawn),
# then every choice of three.
PATTERNS = tuple(
    tuple(1 if j == 0 else 1 - 2 * ((i >> (j - 1)) & 1) for j in range(PAIRS)) for i in range(8)
)
SMALL, LARGE = (0.05, 0.5), (1.0, 2.0)  # |far given| / max(1, |given|)
SMALL_Z, LARGE_Z = (0.05, 0.5), (1.5, 3.0)  # |z|: past ±1, where a kink at ±1 would show


@dataclass(frozen=True)
class Strata:
    """One quantity's place in one half of the design: the patterns of its sign and of its
    size (never the same pattern, so each sign meets both sizes), each oriented."""

    sign: int
    size: int
    flip: int  # ±1
    flip_size: int  # ±1

    def at(self, pair: int, second: bool) -> tuple[int, bool]:
        """(sign, large) in draw ``second`` of the half's pair ``pair``."""
        mirror = -1 if second else 1
        sign = self.flip * PATTERNS[self.sign][pair] * mirror
        return sign, self.flip_size * PATTERNS[self.size][pair] * mirror > 0


def strata(count: int, draw: random.Random) -> list[Strata]:
    """Strata for ``count`` quantities (in an order already shuffled): the first eight get
    eight different sign patterns, then the patterns repeat."""
    order = draw.sample(range(len(PATTERNS)), len(PATTERNS))
    shifts = [draw.randrange(1, len(PATTERNS)) for _ in range(count)]
    return [
        Strata(
            order[q % len(order)],
            order[(q + shifts[q]) % len(order)],
            draw.choice((-1, 1)),
            draw.choice((-1, 1)),
        )
        for q in range(count)
    ]


class FarDesign:
    """The far books of one check: ``far(k)`` is draw ``k`` (0 to ``DRAWS`` - 1), with its
    values drawn afresh within their strata each time it is asked for (a retry)."""

    def __init__(self, book: Book, moved: dict[str, CellRef], draw: random.Random) -> None:
        self.book, self.draw = book, draw
        self.moved = {
            name: ref for name, ref in moved.items() if type(book.cells[ref].value) is float
        }
        try:
            layers = spec_from_book(book).layers
        except BookError:
            layers = ()  # not for this file: the check refuses it on its own
        self.neurons = list(Topology(layers).neurons()) if layers else []
        solved = {n.b(neuron.k).name for neuron in self.neurons} & self.moved.keys()
        self.halves = (
            self._place([*(g for g in self.moved if g not in solved), *map(_z, self.neurons)]),
            self._place(list(self.moved)),
        )

    def _place(self, quantities: list[str]) -> dict[str, Strata]:
        self.draw.shuffle(quantities)
        return dict(zip(quantities, strata(len(quantities), self.draw)))

    def far(self, k: int) -> Book:
        """Draw ``k``: its half, pair and member of the pair from its number."""
        pair, second = divmod(k, 2)
        half, j = pair % 2, pair // 2 % PAIRS
        places = self.halves[half]
        cells = self.book.cells
        values = {
            ref: self._given(cells[ref].value, *places[name].at(j, second))
            for name, ref in self.moved.items()
            if name in places
        }
        if half == 0 and self.neurons:
            targets = {q: self._z(*place.at(j, second)) for q, place in places.items()}
            values |= self._solve(self.book.with_values(values), targets)
        return self.book.with_values(values)

    def _given(self, value: float, sign: int, large: bool) -> float:
        return sign * max(1.0, abs(value)) * self.draw.uniform(*(LARGE if large else SMALL))

    def _z(self, sign: int, large: bool) -> float:
        return sign * self.draw.uniform(*(LARGE_Z if large else SMALL_Z))

    def _solve(self, far: Book, targets: dict[str, float]) -> dict[CellRef, float]:
        """Each bias of ``far`` such that, on the first example, each neuron's z is its
        target: b = z − Σ w·a, a layer's activations from the targets of the one before."""
        biases: dict[CellRef, float] = {}
        spec = spec_from_book(far)
        a = np.array(spec.examples[0].inputs, dtype=float)
        for layer, (w, kind) in enumerate(zip(spec.weights, spec.activations), 1):
            neurons = [nr for nr in self.neurons if nr.layer == layer]
            z = np.array([targets[_z(nr)] for nr in neurons])
            weighted = (np.array(w, dtype=float) * a).sum(axis=1)
            for nr, value in zip(neurons, z - weighted):
                ref = self.moved.get(n.b(nr.k).name)
                if ref is not None:
                    biases[ref] = float(value)
            a = ACTIVATIONS[kind][0](z)
        return biases


def _z(neuron) -> str:
    return n.z(neuron.k).name
