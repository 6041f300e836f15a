"""The givens of a step: the only constants in the workbook, each with its meaning."""

from __future__ import annotations

from dataclasses import dataclass

from worksheet import names as n
from worksheet.names import Symbol
from worksheet.spec import NetworkSpec
from worksheet.topology import Topology


@dataclass(frozen=True)
class Given:
    group: str
    symbol: Symbol
    meaning: str
    value: float | str


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


def network_description(spec: NetworkSpec) -> str:
    hidden = spec.layers[1:-1]
    parts = [_count(spec.layers[0], "input")]
    parts += [
        f"{_count(size, 'hidden sigmoid neuron')} (layer {n})" for n, size in enumerate(hidden, 1)
    ]
    parts.append(_count(spec.layers[-1], "sigmoid output"))
    return ", ".join(parts) + f"; parameters not given by the template drawn from seed {spec.seed}"


def givens(spec: NetworkSpec) -> list[Given]:
    """Network facts, the example, the learning rate and every parameter, in that order."""
    topo = Topology(spec.layers)
    rows = [
        Given("Network", n.NETWORK, network_description(spec), topo.label),
        Given("Network", n.LOSS_KIND, "loss function: half-sse, mse or bce", spec.loss),
    ]
    example = spec.example
    rows += [Given("Example", n.x(i), f"input {i}", v) for i, v in enumerate(example.inputs, 1)]
    rows += [Given("Example", n.y(j), f"target {j}", v) for j, v in enumerate(example.targets, 1)]
    rows.append(Given("Learning rate", n.ETA, "learning rate (step size)", spec.learning_rate))
    flat_w = [v for matrix in spec.weights for row in matrix for v in row]
    for weight, value in zip(topo.weights(), flat_w):
        src, dst = topo.source(weight), topo.activation(weight.target)
        rows.append(Given("Weights", n.w(weight.i), f"weight {src.text} → {dst.text}", value))
    flat_b = [v for vector in spec.biases for v in vector]
    for neuron, value in zip(topo.neurons(), flat_b):
        rows.append(Given("Biases", n.b(neuron.k), f"bias of {topo.describe(neuron)}", value))
    return rows
