"""Index bookkeeping of a dense network: which weight joins which neurons.

Conventions (shared by the sheet, the names and the cross-check):

* ``layers`` lists sizes from the input to the output, e.g. ``(2, 2, 1)``.
* Layer ``l`` (1-based) is the l-th layer of neurons; layer 0 is the input.
* Neurons are numbered ``k = 1, 2, ...`` across all layers, layer by layer,
  the same order as their biases.
* Weights are numbered ``i = 1, 2, ...`` layer by layer, taking each receiving
  neuron in turn and, for it, each sending neuron in turn (Mazur's numbering:
  in a 2-2-2 net ``w_5`` joins hidden 1 to output 1 and ``w_6`` hidden 2 to
  output 1).  Numpy arrays use 0-based ``W[l-1][j, i]`` for the same weight.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from worksheet.model import names
from worksheet.model.names import Symbol


@dataclass(frozen=True)
class Neuron:
    """Neuron ``k`` (global, 1-based) is number ``j`` (1-based) of layer ``layer``."""

    k: int
    layer: int
    j: int


@dataclass(frozen=True)
class Weight:
    """Weight ``i`` (global, 1-based) from ``source`` activation into neuron ``target``."""

    i: int
    layer: int
    target: Neuron
    source_j: int  # 1-based index of the sending unit within layer - 1


@dataclass(frozen=True)
class Topology:
    layers: tuple[int, ...]

    @property
    def depth(self) -> int:
        """Number of neuron layers (weight matrices)."""
        return len(self.layers) - 1

    def layer_neurons(self, layer: int) -> list[Neuron]:
        first = sum(self.layers[1:layer])
        return [Neuron(first + j, layer, j) for j in range(1, self.layers[layer] + 1)]

    def neurons(self) -> Iterator[Neuron]:
        for layer in range(1, self.depth + 1):
            yield from self.layer_neurons(layer)

    def weights_into(self, neuron: Neuron) -> list[Weight]:
        n_in = self.layers[neuron.layer - 1]
        first = sum(self.layers[m - 1] * self.layers[m] for m in range(1, neuron.layer))
        start = first + (neuron.j - 1) * n_in
        return [Weight(start + s, neuron.layer, neuron, s) for s in range(1, n_in + 1)]

    def weights(self) -> Iterator[Weight]:
        for neuron in self.neurons():
            yield from self.weights_into(neuron)

    def weights_out_of(self, neuron: Neuron) -> list[Weight]:
        """The weights that carry ``neuron``'s activation forward."""
        return [
            w
            for target in self.layer_neurons(neuron.layer + 1)
            for w in self.weights_into(target)
            if w.source_j == neuron.j
        ]

    def is_output(self, neuron: Neuron) -> bool:
        return neuron.layer == self.depth

    def activation(self, neuron: Neuron) -> Symbol:
        """``yhat_j`` for an output neuron, ``h_k`` for a hidden one."""
        return names.yhat(neuron.j) if self.is_output(neuron) else names.h(neuron.k)

    def source(self, weight: Weight) -> Symbol:
        """The activation a weight multiplies: an input ``x_s`` or a hidden ``h_k``."""
        if weight.layer == 1:
            return names.x(weight.source_j)
        return self.activation(self.layer_neurons(weight.layer - 1)[weight.source_j - 1])

    def describe(self, neuron: Neuron) -> str:
        """'output neuron j' or 'hidden neuron k', as the sheet's words say it."""
        if self.is_output(neuron):
            return f"output neuron {neuron.j}"
        return f"hidden neuron {neuron.k}"

    @property
    def label(self) -> str:
        return "-".join(str(n) for n in self.layers)


def parameters(topo: Topology) -> list[tuple[Symbol, Symbol]]:
    """(parameter, its gradient) for every weight, then every bias."""
    pairs = [(names.w(w.i), names.dL_dw(w.i)) for w in topo.weights()]
    return pairs + [(names.b(nr.k), names.dL_db(nr.k)) for nr in topo.neurons()]
