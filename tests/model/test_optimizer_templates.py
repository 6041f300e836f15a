"""The xor-adam and three-class templates do what their descriptions say: the numbers in
each description are computed here from the numpy reference, not copied."""

from __future__ import annotations

import re

from worksheet.model.spec import NetworkSpec
from worksheet.model.template import load_template, resolve
from worksheet.reference.training import predictions, train

LEARNED = 0.1  # XOR is learnt when every prediction is within this of its target


def spec_of(name: str, **changes) -> NetworkSpec:
    from dataclasses import replace

    spec = resolve(load_template(name)).spec
    return replace(spec, **changes) if changes else spec


def epochs_to_learn(spec: NetworkSpec) -> int | None:
    """The first epoch after which every prediction is within ``LEARNED`` of its target."""
    run = train(spec)
    per_epoch = spec.updates // spec.epochs
    for epoch in range(1, spec.epochs + 1):
        u = epoch * per_epoch  # the row holding the parameters after this epoch
        params = (run.updates[u].weights, run.updates[u].biases) if u < spec.updates else run.final
        outputs = [acts[-1][0] for _, acts in predictions(spec, params)]
        if all(abs(o - e.targets[0]) < LEARNED for o, e in zip(outputs, spec.examples)):
            return epoch
    return None


def test_xor_adam_learns_in_the_epochs_its_description_states():
    adam = spec_of("xor-adam")
    sgd = spec_of("xor")
    assert adam.optimizer == "adam" and sgd.optimizer == "sgd"
    assert adam.weights == sgd.weights and adam.biases == sgd.biases  # same start
    fast, slow = epochs_to_learn(adam), epochs_to_learn(sgd)
    assert (fast, slow) == (103, 417)
    stated = re.search(r"after (\d+) epochs \(plain gradient descent, template xor: (\d+)\)",
                       adam.description)  # fmt: skip
    assert stated and (int(stated[1]), int(stated[2])) == (fast, slow)
    assert fast <= adam.epochs  # the template trains long enough to show it


def test_three_class_separates_visibly():
    spec = spec_of("three-class")
    assert spec.activations[-1] == "softmax" and spec.loss == "ce" and spec.layers[-1] == 3
    run = train(spec)

    def correct(params) -> list[float]:
        return [float(acts[-1][e.targets.index(1.0)])
                for (_, acts), e in zip(predictions(spec, params), spec.examples)]  # fmt: skip

    before = correct((run.updates[0].weights, run.updates[0].biases))
    after = correct(run.final)
    assert 0.13 <= min(before) and max(before) < 0.49  # "from 0.13-0.49"
    assert min(after) > 0.99
    assert f"in {spec.epochs} epochs" in spec.description
