"""The network to trace: a frozen, validated ``NetworkSpec``.

A spec is complete: every weight and bias is a number (drawn from the seed
when the template leaves it out), so everything downstream is deterministic.
Validation happens once, in ``__post_init__``, and raises ``SpecError`` with a
message that names the offending field; nothing else re-checks.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from worksheet.errors import SpecError

LOSSES = ("half-sse", "mse", "bce")
MAX_INPUTS, MAX_HIDDEN_LAYERS, MAX_HIDDEN, MAX_OUTPUTS = 8, 3, 8, 4

Matrix = tuple[tuple[float, ...], ...]


@dataclass(frozen=True)
class Example:
    inputs: tuple[float, ...]
    targets: tuple[float, ...]


@dataclass(frozen=True)
class NetworkSpec:
    """One training step of a dense sigmoid network.

    ``weights[l][j][i]`` joins unit ``i`` of layer ``l`` to neuron ``j`` of
    layer ``l + 1`` (all 0-based here); ``biases[l][j]`` belongs to that neuron.
    """

    layers: tuple[int, ...]
    weights: tuple[Matrix, ...]
    biases: tuple[tuple[float, ...], ...]
    examples: tuple[Example, ...]
    loss: str = "half-sse"
    learning_rate: float = 0.5
    seed: int = 0
    title: str = "Backprop worksheet"
    description: str = ""

    def __post_init__(self) -> None:
        check_layers(self.layers)
        if self.loss not in LOSSES:
            raise SpecError(
                f"loss: unknown loss {self.loss!r} (expected one of {', '.join(LOSSES)})"
            )
        check_number("learning_rate", self.learning_rate)
        if self.learning_rate <= 0:
            raise SpecError(f"learning_rate: must be greater than 0, got {self.learning_rate}")
        check_parameters(self.layers, self.weights, self.biases)
        check_examples(self.layers, self.examples, self.loss)

    @property
    def example(self) -> Example:
        """The example the step sheet trains on."""
        return self.examples[0]


def check_number(field: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise SpecError(f"{field}: expected a number, got {value!r}")
    if not math.isfinite(value):
        raise SpecError(f"{field}: must be a finite number, got {value}")


def check_layers(layers: tuple[int, ...]) -> None:
    if len(layers) < 2 or len(layers) > MAX_HIDDEN_LAYERS + 2:
        raise SpecError(
            f"layers: expected input size, 0 to {MAX_HIDDEN_LAYERS} hidden sizes and output size,"
            f" got {len(layers)} sizes"
        )
    for size in layers:
        if isinstance(size, bool) or not isinstance(size, int):
            raise SpecError(f"layers: sizes must be whole numbers, got {size!r}")
    limits = [("inputs", layers[0], MAX_INPUTS), ("outputs", layers[-1], MAX_OUTPUTS)]
    limits += [(f"hidden layer {n}", s, MAX_HIDDEN) for n, s in enumerate(layers[1:-1], 1)]
    for what, size, top in limits:
        if not 1 <= size <= top:
            raise SpecError(f"layers: {what} must be 1 to {top}, got {size}")


def check_parameters(layers, weights, biases) -> None:
    if len(weights) != len(layers) - 1 or len(biases) != len(layers) - 1:
        raise SpecError(f"weights/biases: expected {len(layers) - 1} layers of parameters")
    for n, (matrix, vector) in enumerate(zip(weights, biases), 1):
        shape = (layers[n], layers[n - 1])
        if len(matrix) != shape[0] or any(len(row) != shape[1] for row in matrix):
            raise SpecError(
                f"weights: layer {n} must have {shape[0]} rows of {shape[1]} numbers"
                " (one row per receiving neuron)"
            )
        if len(vector) != layers[n]:
            raise SpecError(f"biases: layer {n} must have {layers[n]} numbers")
        for row in matrix:
            for value in row:
                check_number(f"weights (layer {n})", value)
        for value in vector:
            check_number(f"biases (layer {n})", value)


def check_examples(layers, examples, loss: str) -> None:
    if not examples:
        raise SpecError("examples: at least one example is needed")
    for n, example in enumerate(examples, 1):
        if len(example.inputs) != layers[0]:
            raise SpecError(
                f"examples[{n}].inputs: expected {layers[0]} numbers, got {len(example.inputs)}"
            )
        if len(example.targets) != layers[-1]:
            raise SpecError(
                f"examples[{n}].targets: expected {layers[-1]} numbers, got {len(example.targets)}"
            )
        for value in example.inputs:
            check_number(f"examples[{n}].inputs", value)
        for value in example.targets:
            check_number(f"examples[{n}].targets", value)
            if loss == "bce" and not 0 <= value <= 1:
                raise SpecError(
                    f"examples[{n}].targets: binary cross-entropy needs targets in [0, 1],"
                    f" got {value}"
                )
