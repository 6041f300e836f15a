"""The formula of each Training column, written with the Step sheet's own builders.

A template is formula text in which ``{r}`` stands for the row's number and ``{p}`` for the
row above's; ``Addresses`` spells a quantity's cell that way.  Keys name quantities:
``("w", i)``, ``("z", k, e)``, ... where ``e`` is the example (1-based) a batch row computes
for, the ``e``-th example of a mini-batch row, and 0 for the row's own example in stochastic
mode.  Which examples a mini-batch row takes depends on the row: a formula that reads a given
of the data set is a cycle of templates, one per row of a cycle of N rows (``_cycle``).
"""

from __future__ import annotations

from worksheet.model import names as n
from worksheet.model.activations import ACTIVATIONS, softmax_formula
from worksheet.model.spec import NetworkSpec
from worksheet.model.topology import Neuron, Topology, Weight
from worksheet.sheets import formulas as f
from worksheet.sheets.cells import column_letter
from worksheet.sheets.training_optimizer import STATE_KINDS, descent, state_templates

Key = tuple
# (templates cycling with the row's example, or just one; templates of the first rows, if any)
Templates = tuple[tuple[str, ...], tuple[str, ...]]


class Addresses:
    """Where each key sits in a row: ``A(key)`` in this row, ``P(key)`` in the row above
    (``{b[k]}`` in a template is the row ``k`` rows above, for windows of several rows)."""

    def __init__(self, keys: list[Key]) -> None:
        self.letters = {key: column_letter(c) for c, key in enumerate(keys, 1)}

    def A(self, key: Key) -> str:  # noqa: N802 - reads like the A1 address it returns
        return self.letters[key] + "{r}"

    def P(self, key: Key) -> str:  # noqa: N802
        return self.letters[key] + "{p}"


def mean(terms: list[str]) -> str:
    """``=(a+b+c)/3``: an average written with + and / only, summed left to right."""
    return f"=({'+'.join(terms)})/{len(terms)}"


def inner(formula: str) -> str:
    """A formula's text without its ``=``, in parentheses, to be a factor of another one."""
    return f"({formula[1:]})"


class Rules:
    """Formula templates of every quantity of a Training table (``templates(key)``)."""

    def __init__(self, spec: NetworkSpec, eta: str, at: Addresses) -> None:
        self.spec, self.eta, self.at = spec, eta, at
        self.topo = Topology(spec.layers)
        self.neurons = {nr.k: nr for nr in self.topo.neurons()}
        self.weights = {w.i: w for w in self.topo.weights()}
        self.n_examples = len(spec.examples)

    def templates(self, key: Key) -> Templates:
        if key[0] in STATE_KINDS:  # the optimizer's columns (``training_optimizer``)
            return state_templates(self.spec, key, self.at)
        return getattr(self, "_" + key[0])(*key[1:])

    def _example_at(self, e: int, p: int) -> int:
        """The data set's example (1-based) that place ``e`` of the row at cycle position
        ``p`` (0-based: row u is at (u - 1) mod N) takes; in full batch, example ``e``."""
        if not self.spec.mini:
            return e
        return (p * self.spec.batch_size + e - 1) % self.n_examples + 1

    def _cycle(self, make) -> Templates:
        """``make(p)`` for each row position of a mini-batch cycle, or once when every row
        reads the same cells."""
        texts = tuple(make(p) for p in (range(self.n_examples) if self.spec.mini else (0,)))
        return (texts if len(set(texts)) > 1 else texts[:1]), ()

    def _source(self, weight: Weight, e: int, p: int = 0) -> str:
        """The activation ``weight`` multiplies: a hidden cell, the row's input, or a given."""
        if weight.layer > 1:
            sender = self.topo.layer_neurons(weight.layer - 1)[weight.source_j - 1]
            return self.at.A(("a", sender.k, e))
        if e == 0:
            return self.at.A(("x", weight.source_j))
        return n.of_example(n.x(weight.source_j), self._example_at(e, p)).name

    def _target(self, j: int, e: int, p: int) -> str:
        if e == 0:
            return self.at.A(("y", j))
        return n.of_example(n.y(j), self._example_at(e, p)).name

    def _per_example(self) -> range:
        return range(1, self.n_examples + 1)

    def _places(self) -> range:
        """The traces a batch or mini-batch row averages over."""
        return range(1, self.spec.batch_size + 1)

    def _t(self) -> Templates:
        return (f"={self.at.P(('t',))}+1",), ("=1",)

    def _example(self) -> Templates:
        return (f"=MOD({self.at.A(('t',))}-1,{self.n_examples})+1",), ()

    def _x(self, i: int) -> Templates:
        return tuple(f.reference(n.of_example(n.x(i), e).name) for e in self._per_example()), ()

    def _y(self, j: int) -> Templates:
        return tuple(f.reference(n.of_example(n.y(j), e).name) for e in self._per_example()), ()

    def _step(self, param: Key, gradient: Key) -> str:
        """The parameter after the row above's update: gradient descent, or the optimizer's
        step through the row above's state columns (``training_optimizer``)."""
        old, g = self.at.P(param), self.at.P(gradient)
        if self.spec.optimizer == "sgd":
            return f.descent(old, self.eta, g)
        return descent(self.spec, old, self.eta, g, lambda kind: self.at.P((kind, *param)))

    def _w(self, i: int) -> Templates:
        return (self._step(("w", i), ("dw", i)),), (f.reference(n.w(i).name),)

    def _b(self, k: int) -> Templates:
        old = self.at.P(("b", k))
        kept = self._step(("b", k), ("db", k)) if self.spec.update_biases else f.reference(old)
        return (kept,), (f.reference(n.b(k).name),)

    def _z(self, k: int, e: int) -> Templates:
        into = self.topo.weights_into(self.neurons[k])
        bias = self.at.A(("b", k))
        return self._cycle(
            lambda p: f.weighted_sum(
                [(self.at.A(("w", w.i)), self._source(w, e, p)) for w in into], bias
            )
        )

    def _kind(self, neuron: Neuron):
        return ACTIVATIONS[self.spec.activations[neuron.layer - 1]]

    def _a(self, k: int, e: int) -> Templates:
        neuron = self.neurons[k]
        if self.spec.activations[neuron.layer - 1] == "softmax":
            zs = [self.at.A(("z", nr.k, e)) for nr in self.topo.layer_neurons(neuron.layer)]
            return (softmax_formula(zs, neuron.j),), ()
        return (self._kind(neuron).formula(self.at.A(("z", k, e))),), ()

    def _softmax_delta(self, neuron: Neuron, e: int, p: int) -> str:
        """δ_k = Σ_i ∂L/∂ŷ_i · ∂ŷ_i/∂z_k, with ∂ŷ_i/∂z_k = ŷ_i (1[i = k] − ŷ_k)."""
        n_out, a_k = self.spec.layers[-1], self.at.A(("a", neuron.k, e))
        terms = []
        for other in self.topo.layer_neurons(self.topo.depth):
            a_i = self.at.A(("a", other.k, e))
            slope = f.loss_slope(self.spec.loss, self._target(other.j, e, p), a_i, n_out)
            entry = f"{a_i}*(1-{a_i})" if other.k == neuron.k else f"-{a_i}*{a_k}"
            terms.append(f"{inner(slope)}*({entry})")
        return "=" + "+".join(terms)

    def _output_k(self, j: int) -> int:
        return self.topo.layer_neurons(self.topo.depth)[j - 1].k

    def _Lj(self, j: int, e: int) -> Templates:  # noqa: N802 - the loss term L_j
        yhat = self.at.A(("a", self._output_k(j), e))
        n_out = self.spec.layers[-1]
        return self._cycle(
            lambda p: f.loss_term(self.spec.loss, self._target(j, e, p), yhat, n_out)
        )

    def _Le(self, e: int) -> Templates:  # noqa: N802 - the loss of example e
        terms = [self.at.A(("Lj", j, e)) for j in range(1, self.spec.layers[-1] + 1)]
        return (f.total(terms),), ()

    def _L(self) -> Templates:  # noqa: N802 - the row's loss
        if self.spec.averaged:
            return (mean([self.at.A(("Le", e)) for e in self._places()]),), ()
        return self._Le(0)

    def _Lbar(self) -> Templates:  # noqa: N802 - the mean loss over the last epoch
        """The mean of the last N losses (one epoch); over the rows so far, in the first N - 1."""
        loss = self.at.letters[("L",)]

        def window(size: int) -> str:
            return mean([f"{loss}{{b[{back}]}}" for back in range(size - 1, -1, -1)])

        return (window(self.n_examples),), tuple(window(u) for u in range(1, self.n_examples))

    def _delta(self, k: int, e: int) -> Templates:
        neuron = self.neurons[k]
        if self.topo.is_output(neuron) and self.spec.activations[-1] == "softmax":
            return self._cycle(lambda p: self._softmax_delta(neuron, e, p))
        a, z = self.at.A(("a", k, e)), self.at.A(("z", k, e))
        slope = inner(self._kind(neuron).slope(z, a))
        if self.topo.is_output(neuron):
            n_out = self.spec.layers[-1]

            def output(p: int) -> str:
                target = self._target(neuron.j, e, p)
                return "=" + inner(f.loss_slope(self.spec.loss, target, a, n_out)) + "*" + slope

            return self._cycle(output)
        pairs = [
            (self.at.A(("delta", w.target.k, e)), self.at.A(("w", w.i)))
            for w in self.topo.weights_out_of(neuron)
        ]
        return ("=" + inner(f.sum_of_products(pairs)) + "*" + slope,), ()

    def _dw(self, i: int) -> Templates:
        weight = self.weights[i]
        if not self.spec.averaged:
            delta = self.at.A(("delta", weight.target.k, 0))
            return (f.product(delta, self._source(weight, 0)),), ()

        def averaged(p: int) -> str:
            return mean(
                [
                    f"{self.at.A(('delta', weight.target.k, e))}*{self._source(weight, e, p)}"
                    for e in self._places()
                ]
            )

        return self._cycle(averaged)

    def _db(self, k: int) -> Templates:
        if not self.spec.averaged:
            return (f.reference(self.at.A(("delta", k, 0))),), ()
        return (mean([self.at.A(("delta", k, e)) for e in self._places()]),), ()
