"""Templates: the shipped ones load, overrides apply, malformed ones fail with a clear message."""

from __future__ import annotations

import pytest

from worksheet.errors import SpecError
from worksheet.model.template import Overrides, load_template, resolve, shipped_templates

VALID = """
title = "t"
layers = [2, 1, 1]
loss = "half-sse"
learning_rate = 0.5
seed = 7
[[examples]]
inputs = [0.5, 0.3]
targets = [1.0]
"""


def write(tmp_path, text):
    path = tmp_path / "t.toml"
    path.write_text(text)
    return str(path)


def test_shipped_templates_resolve():
    shipped = shipped_templates()
    assert {"classic", "mazur", "two-hidden", "deep-bce"} <= set(shipped)
    for name in shipped:
        spec = resolve(load_template(name)).spec
        assert spec.title and spec.layers[0] == len(spec.example.inputs)


def test_classic_is_the_default():
    spec = resolve(load_template(None)).spec
    assert spec.layers == (2, 1, 1)
    assert spec.example.inputs == (0.5, 0.3) and spec.example.targets == (1.0,)
    assert spec.learning_rate == 0.5
    flat = [v for m in spec.weights for r in m for v in r] + [v for b in spec.biases for v in b]
    assert all(round(v, 2) == v and -1 <= v <= 1 for v in flat)


def test_seed_draws_other_weights_deterministically():
    a = resolve(load_template("classic"), Overrides(seed=1)).spec
    b = resolve(load_template("classic"), Overrides(seed=1)).spec
    c = resolve(load_template("classic"), Overrides(seed=2)).spec
    assert a.weights == b.weights and a.weights != c.weights


def test_layers_override_redraws_what_no_longer_fits():
    resolved = resolve(load_template("classic"), Overrides(layers=(2, 2, 2), loss="bce"))
    spec = resolved.spec
    assert spec.layers == (2, 2, 2) and spec.loss == "bce"
    assert spec.example.inputs == (0.5, 0.3)  # still fits: kept
    assert len(spec.example.targets) == 2
    assert any("targets drawn" in note for note in resolved.notes)


def test_given_weights_are_kept(tmp_path):
    head, examples = VALID.split("[[examples]]")
    path = write(tmp_path, head + "weights = [[[0.15, 0.20]], [[0.40]]]\n[[examples]]" + examples)
    spec = resolve(load_template(path)).spec
    assert spec.weights == (((0.15, 0.20),), ((0.40,),))


OK_NET = "layers = [2, 1, 1]\n[[examples]]\ninputs=[1,2]\ntargets=[1]\n"
# A template's field below its minimum is named with its value and range (issue 13 item 7).
FIELDS_OUT_OF_RANGE = [
    ("seed = -3", "seed = -3: the seed must be a whole number of at least 0"),
    ("steps = 0", "steps = 0: the number of step sheets must be a whole number from 1 to 10"),
    ("epochs = -1", "epochs = -1: the number of epochs must be a whole number from 0 to 20,000"),
    ("epochs = 2\nbatch_size = 0", "batch_size = 0: the batch size must be a whole number from"),
    ("round = 11", "round = 11: the number of decimals must be a whole number from 0 to 10"),
    ("learning_rate = -1", "learning_rate = -1: the learning rate must be greater than 0"),
    ("beta1 = 1.5", "beta1 = 1.5: β₁, a decay factor, must be in [0, 1)"),
]
BAD = [
    *[(field + "\n" + OK_NET, fragment) for field, fragment in FIELDS_OUT_OF_RANGE],
    ("layers = [2, 1, 1]\n", "examples"),
    ('layers = [2, "x", 1]\n[[examples]]\ninputs=[1,2]\ntargets=[1]\n', "layers"),
    (
        "layers = [9, 1, 1]\n[[examples]]\ninputs=[1,2]\ntargets=[1]\n",
        "layers = 9,1,1: the input layer must have 1 to 8 inputs",
    ),
    (
        "layers = [2, 1, 5]\n[[examples]]\ninputs=[1,2]\ntargets=[1]\n",
        "layers = 2,1,5: the output layer must have 1 to 4 outputs",
    ),
    ("layers = [2, 1, 1, 1, 1, 1]\n[[examples]]\ninputs=[1,2]\ntargets=[1]\n", "hidden sizes"),
    ("layers = [2, 0, 1]\n[[examples]]\ninputs=[1,2]\ntargets=[1]\n", "hidden layer 1"),
    ("[[examples]]\ninputs=[1,2]\ntargets=[1]\n", "layers: missing"),
    (
        "layers = [2, 1, 1]\n[[examples]]\ninputs=[1]\ntargets=[1]\n",
        "examples[1].inputs = 1: expected 2 numbers",
    ),
    (
        "layers = [2, 1, 1]\n[[examples]]\ninputs=[1, 2]\ntargets=[1, 0]\n",
        "examples[1].targets = 1,0: expected 1 number (one per output",
    ),
    ("layers = [2, 1, 1]\n[[examples]]\ninputs=[nan, 2]\ntargets=[1]\n", "finite"),
    ("layers = [2, 1, 1]\n[[examples]]\ninputs=[inf, 2]\ntargets=[1]\n", "finite"),
    (
        'layers = [2, 1, 1]\n[[examples]]\ninputs=["a", 2]\ntargets=[1]\n',
        "examples[1].inputs = 'a': each input must be a number",
    ),
    (
        "layers = [2, 1, 1]\nlearning_rate = 0\n[[examples]]\ninputs=[1, 2]\ntargets=[1]\n",
        "greater than 0",
    ),
    (
        "layers = [2, 1, 1]\nlearning_rate = -1\n[[examples]]\ninputs=[1, 2]\ntargets=[1]\n",
        "learning_rate",
    ),
    (
        'layers = [2, 1, 1]\nloss = "hinge"\n[[examples]]\ninputs=[1, 2]\ntargets=[1]\n',
        "unknown loss",
    ),
    ('layers = [2, 1, 1]\nloss = "bce"\n[[examples]]\ninputs=[1, 2]\ntargets=[2]\n', "[0, 1]"),
    (
        "layers = [2, 1, 1]\nweights = [[[1]], [[1]]]\n[[examples]]\ninputs=[1, 2]\ntargets=[1]\n",
        "weights: layer 1",
    ),
    (
        "layers = [2, 1, 1]\nbiases = [[1, 2], [1]]\n[[examples]]\ninputs=[1, 2]\ntargets=[1]\n",
        "biases: layer 1",
    ),
    (
        "layers = [2, 1, 1]\nbiases = [[nan], [1]]\n[[examples]]\ninputs=[1, 2]\ntargets=[1]\n",
        "finite",
    ),
    (
        "layers = [2, 1, 1]\nlearn_rate = 1\n[[examples]]\ninputs=[1, 2]\ntargets=[1]\n",
        "unknown key 'learn_rate'",
    ),
    ("layers = [2, 1, 1\n", "not valid TOML"),
    ("layers = [2, 1, 1]\nseed = -3\n[[examples]]\ninputs=[1, 2]\ntargets=[1]\n", "seed"),
]


@pytest.mark.parametrize("text, fragment", BAD)
def test_malformed_templates(tmp_path, text, fragment):
    with pytest.raises(SpecError, match=None) as info:
        resolve(load_template(write(tmp_path, text)))
    assert fragment in str(info.value)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    "ref, fragment",
    [("no-such-template", "no template named"), ("missing.toml", "no such template file")],
)
def test_unknown_template(ref, fragment):
    with pytest.raises(SpecError) as info:
        load_template(ref)
    assert fragment in str(info.value)
