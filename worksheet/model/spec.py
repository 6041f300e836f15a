"""The network to trace: a frozen, validated ``NetworkSpec``.

A spec is complete: every weight and bias is a number (drawn from the seed
when the template leaves it out), so everything downstream is deterministic.
Validation happens once, in ``__post_init__``, and raises ``SpecError`` with a
message that names the offending field; nothing else re-checks.
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass

from worksheet.errors import SpecError
from worksheet.model.refusals import FieldError, noun, shown, whole_in

LOSSES = ("half-sse", "mse", "bce", "ce")
OPTIMIZERS = ("sgd", "momentum", "rmsprop", "adam")
MAX_INPUTS, MAX_HIDDEN_LAYERS, MAX_HIDDEN, MAX_OUTPUTS = 8, 3, 8, 4
MAX_STEPS, MAX_UPDATES, MAX_SWEEP = 10, 20_000, 8
MAX_EPSILON = 0.1
MAX_EXAMPLES = 256  # a data set worked in a spreadsheet; batch formulas grow with it

Matrix = tuple[tuple[float, ...], ...]


@dataclass(frozen=True)
class Example:
    inputs: tuple[float, ...]
    targets: tuple[float, ...]


@dataclass(frozen=True)
class NetworkSpec:
    """A small dense network, its data and how the workbook should train it.

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
    activations: tuple[str, ...] = ()  # one per neuron layer; empty means all sigmoid
    update_biases: bool = True
    steps: int = 1  # step sheets, each starting from the previous one's update
    epochs: int = 0  # passes over the data set on the Training sheet; 0 leaves it out
    batch: bool = False  # full-batch gradient descent on the Training sheet
    batch_size: int = 1  # examples per Training update; the data set's size is ``batch``
    lr_sweep: tuple[float, ...] = ()
    gradcheck: bool = True
    epsilon: float = 1e-5  # the nudge of the central-difference gradient check
    round_digits: int | None = None  # step sheets round every intermediate to this many decimals
    digits: int = 6  # significant figures every computed value shows (number formats only)
    optimizer: str = "sgd"  # sgd, momentum, rmsprop or adam
    beta1: float | None = None  # momentum's β, Adam's β₁ (default 0.9)
    beta2: float | None = None  # RMSProp's ρ, Adam's β₂ (default 0.9 for RMSProp, else 0.999)
    eps_opt: float = 1e-8  # the ε of RMSProp's and Adam's denominator
    compare_optimizers: tuple[str, ...] = ()  # one extra training run per optimizer

    def __post_init__(self) -> None:
        check_layers(self.layers)
        if not self.activations:
            object.__setattr__(self, "activations", ("sigmoid",) * (len(self.layers) - 1))
        if self.loss not in LOSSES:
            raise FieldError(
                "loss", self.loss, f"unknown loss (expected one of {', '.join(LOSSES)})"
            )
        check_rate("learning_rate", self.learning_rate)
        whole_in("digits", self.digits, 1, 15)  # a double holds 15 significant digits
        check_activations(self.layers, self.activations, self.loss)
        check_parameters(self.layers, self.weights, self.biases)
        check_examples(self.layers, self.examples, self.loss)
        from worksheet.model import training_checks as checks  # they import this module

        checks.check_batch_size(self)
        checks.check_training(self)
        checks.check_optimizer(self)

    @property
    def updates(self) -> int:
        """Rows of the Training sheet: enough updates of ``batch_size`` examples to see the
        data set ``epochs`` times (one per example per epoch, or one per epoch in batch)."""
        if self.batch:
            return self.epochs
        return -(-self.epochs * len(self.examples) // self.batch_size)

    @property
    def mini(self) -> bool:
        """Mini-batch updates: more than one example per update, fewer than all."""
        return not self.batch and self.batch_size > 1

    @property
    def averaged(self) -> bool:
        """Training rows that average several examples' gradients (full or mini-batch)."""
        return self.batch or self.mini

    def batch_examples(self, update: int) -> list[int]:
        """The 0-based examples update ``update`` (0-based) averages over: the next
        ``batch_size`` examples in turn, wrapping round the data set."""
        n = len(self.examples)
        if self.batch:
            return list(range(n))
        return [(update * self.batch_size + s) % n for s in range(self.batch_size)]

    def example_at(self, step: int) -> Example:
        """The example step ``step`` (0-based) trains on: the data set in turn."""
        return self.examples[step % len(self.examples)]

    @property
    def example(self) -> Example:
        """The example the step sheet trains on."""
        return self.examples[0]


# Excel's smallest positive number is the smallest normal double (its specifications and
# limits page: 2.2251E-308); LibreOffice and numpy go on into subnormals, so below it the two
# clients could disagree.
SMALLEST_NORMAL = sys.float_info.min


def check_number(field: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise FieldError(field, repr(value), f"{noun(field)} must be a number")
    try:
        finite = math.isfinite(value)
    except OverflowError:  # an int beyond any float, straight from TOML
        raise FieldError(field, f"{str(value)[:12]}...", "too large for a spreadsheet") from None
    if not finite:
        raise FieldError(field, value, f"{noun(field)} must be a finite number")
    if 0 < abs(value) < SMALLEST_NORMAL:
        raise FieldError(
            field,
            value,
            "below the smallest number a spreadsheet stores"
            f" (Excel's is {SMALLEST_NORMAL:.5g}); use 0 or a larger number",
        )


def check_rate(field: str, value: object) -> None:
    check_number(field, value)
    if value <= 0:
        raise FieldError(field, value, f"{noun(field)} must be greater than 0")


def check_activations(layers, activations, loss: str) -> None:
    from worksheet.model.activations import ACTIVATIONS

    def refuse(problem: str) -> FieldError:
        return FieldError("activations", activations, problem)

    if len(activations) != len(layers) - 1:
        raise refuse(
            f"expected {len(layers) - 1} (one per layer of neurons), got {len(activations)}"
        )
    for n, kind in enumerate(activations, 1):
        if kind not in ACTIVATIONS:
            raise refuse(f"unknown activation {kind!r} (expected one of {', '.join(ACTIVATIONS)})")
        if ACTIVATIONS[kind].outputs_only and n < len(activations):
            raise refuse(f"{kind} is for the output layer only (layer {n})")
    if loss == "bce" and activations[-1] != "sigmoid":
        raise refuse("binary cross-entropy (loss bce) needs a sigmoid output layer")
    if (loss == "ce") != (activations[-1] == "softmax"):
        raise refuse(
            "cross-entropy (ce) and a softmax output layer go together"
            f" (loss {loss}, output layer {activations[-1]})"
        )
    if activations[-1] == "softmax" and not 2 <= layers[-1] <= 4:
        raise refuse(f"softmax needs 2 to 4 outputs, got {layers[-1]}")


def check_layers(layers: tuple[int, ...]) -> None:
    if len(layers) < 2 or len(layers) > MAX_HIDDEN_LAYERS + 2:
        raise FieldError(
            "layers",
            layers,
            f"expected input size, 0 to {MAX_HIDDEN_LAYERS} hidden sizes and output size,"
            f" got {len(layers)} sizes",
        )
    for size in layers:
        if isinstance(size, bool) or not isinstance(size, int):
            raise FieldError("layers", layers, f"sizes must be whole numbers, got {size!r}")
    limits = [("the input layer", layers[0], MAX_INPUTS, "inputs")]
    limits += [
        (f"hidden layer {n}", s, MAX_HIDDEN, "neurons") for n, s in enumerate(layers[1:-1], 1)
    ]
    limits.append(("the output layer", layers[-1], MAX_OUTPUTS, "outputs"))
    for what, size, top, unit in limits:
        if not 1 <= size <= top:
            raise FieldError("layers", layers, f"{what} must have 1 to {top} {unit}, got {size}")


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
    if len(examples) > MAX_EXAMPLES:
        raise SpecError(f"examples: at most {MAX_EXAMPLES}, got {len(examples)}")
    for n, example in enumerate(examples, 1):
        for field, got, size, what in (
            ("inputs", example.inputs, layers[0], "input"),
            ("targets", example.targets, layers[-1], "output"),
        ):
            if len(got) != size:
                raise FieldError(
                    f"examples[{n}].{field}",
                    got,
                    f"expected {size} number{'s' * (size != 1)} (one per {what} of the"
                    f" {'-'.join(map(str, layers))} network), got {len(got)}",
                )
        for value in example.inputs:
            check_number(f"examples[{n}].inputs", value)
        for value in example.targets:
            check_number(f"examples[{n}].targets", value)
            if loss in ("bce", "ce") and not 0 <= value <= 1:
                raise FieldError(
                    f"examples[{n}].targets",
                    example.targets,
                    f"cross-entropy needs targets in [0, 1], got {shown(value)}",
                )
