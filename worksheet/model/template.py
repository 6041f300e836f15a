"""Templates (TOML files) and command-line overrides become a ``NetworkSpec``.

The template format is a public contract: keys are only ever added, never
renamed.  Parameters a template leaves out are drawn from its seed as
two-decimal numbers, so a student's sheet has hand-friendly values and the
same seed always gives the same sheet.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import numpy as np

from worksheet.errors import SpecError
from worksheet.files.reading import read_text
from worksheet.model import template_values as values
from worksheet.model.spec import Example, NetworkSpec, check_layers
from worksheet.model.training_checks import check_as_asked

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

DEFAULT_TEMPLATE = "classic"
MAX_TEMPLATE_BYTES = 1_000_000  # the largest shipped template is 2 kB
KNOWN_KEYS = {
    "title",
    "description",
    "layers",
    "loss",
    "learning_rate",
    "seed",
    "weights",
    "biases",
    "examples",
    "activations",
    "update_biases",
    "steps",
    "epochs",
    "batch",
    "batch_size",
    "lr_sweep",
    "gradcheck",
    "epsilon",
    "round",
    "optimizer",
    "beta1",
    "beta2",
    "eps_opt",
    "compare_optimizers",
}


@dataclass(frozen=True)
class Overrides:
    """Command-line options that take precedence over the template."""

    layers: tuple[int, ...] | None = None
    loss: str | None = None
    learning_rate: float | None = None
    seed: int | None = None
    inputs: tuple[float, ...] | None = None
    targets: tuple[float, ...] | None = None
    activations: tuple[str, ...] | None = None
    update_biases: bool | None = None
    steps: int | None = None
    epochs: int | None = None
    batch: bool | None = None
    batch_size: int | None = None
    lr_sweep: tuple[float, ...] | None = None
    gradcheck: bool | None = None
    epsilon: float | None = None
    round_digits: int | None = None
    digits: int | None = None
    optimizer: str | None = None
    beta1: float | None = None
    beta2: float | None = None
    eps_opt: float | None = None
    compare_optimizers: tuple[str, ...] | None = None


@dataclass
class Resolved:
    spec: NetworkSpec
    notes: list[str] = field(default_factory=list)


def shipped_templates() -> dict[str, dict]:
    """Name -> parsed TOML of every template that ships with the package."""
    folder = resources.files("worksheet.templates")
    found = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            found[entry.name[: -len(".toml")]] = _parse(entry.read_text("utf-8"), entry.name)
    return found


def load_template(ref: str | None) -> dict:
    """Parse a template given as a file path or as the name of a shipped template."""
    ref = ref or DEFAULT_TEMPLATE
    path = Path(ref)
    if path.suffix == ".toml" or path.exists() or "/" in ref or "\\" in ref:
        return _parse(read_text(path, "template file", MAX_TEMPLATE_BYTES, SpecError), ref)
    shipped = shipped_templates()
    if ref not in shipped:
        raise SpecError(f"no template named {ref!r} (shipped: {', '.join(shipped)})")
    return shipped[ref]


def _parse(text: str, source: str) -> dict:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SpecError(f"{source}: not valid TOML ({exc})") from None
    except RecursionError:  # tomllib recurses into nested arrays
        raise SpecError(f"{source}: not valid TOML (nested too deeply)") from None
    unknown = sorted(set(data) - KNOWN_KEYS)
    if unknown:
        raise SpecError(
            f"{source}: unknown key {unknown[0]!r} (known: {', '.join(sorted(KNOWN_KEYS))})"
        )
    return data


def resolve(data: dict, overrides: Overrides = Overrides()) -> Resolved:
    """Merge a parsed template with overrides, drawing what neither gives."""
    notes: list[str] = []
    given_layers = values.layers(data.get("layers"))
    layers = overrides.layers or given_layers
    check_layers(layers)
    reshaped = overrides.layers is not None and overrides.layers != given_layers
    seed = overrides.seed if overrides.seed is not None else values.seed(data.get("seed", 0))
    given_weights = "weights" in data and not reshaped
    given_biases = "biases" in data and not reshaped
    # drawn only when needed: numpy.random is a tenth of a small generate's start-up
    weights, biases = ((), ()) if given_weights and given_biases else draw_parameters(layers, seed)
    if given_weights:
        weights = values.nested(data["weights"], "weights", depth=3)
    if given_biases:
        biases = values.nested(data["biases"], "biases", depth=2)
    if reshaped and ("weights" in data or "biases" in data):
        notes.append(
            f"the template's weights and biases do not fit {values.label(layers)}:"
            f" drawn from seed {seed}"
        )
    examples = values.examples(data.get("examples"))
    examples = _fit_first_example(examples, layers, seed, overrides, reshaped, notes)
    spec = NetworkSpec(
        layers=layers,
        weights=weights,
        biases=biases,
        examples=examples,
        loss=overrides.loss or values.text(data, "loss", "half-sse"),
        learning_rate=_learning_rate(data, overrides),
        seed=seed,
        title=values.text(data, "title", "Backprop worksheet"),
        description=values.text(data, "description", ""),
        **_training(data, overrides, reshaped, notes),
    )
    check_as_asked(spec)
    return Resolved(spec, notes)


def _training(data: dict, overrides: Overrides, reshaped: bool, notes: list[str]) -> dict:
    """Activations and training settings: the override, else the template, else the default."""
    checks = {
        "activations": values.words,
        "update_biases": values.flag,
        "steps": values.whole,
        "epochs": values.whole,
        "batch": values.flag,
        "batch_size": values.whole,
        "lr_sweep": lambda v, key: values.nested(v, key, depth=1),
        "gradcheck": values.flag,
        "epsilon": values.number,
        "round_digits": values.whole,
        "digits": values.whole,
        "optimizer": lambda v, key: values.text({key: v}, key, "sgd"),
        "beta1": values.number,
        "beta2": values.number,
        "eps_opt": values.number,
        "compare_optimizers": values.words,
    }
    settings = {}
    for key, check in checks.items():
        value = getattr(overrides, key)
        toml_key = "round" if key == "round_digits" else key
        if value is None and toml_key in data:
            value = check(data[toml_key], toml_key)
            if key == "activations" and reshaped and len(value) != len(overrides.layers) - 1:
                notes.append("the template's activations do not fit the new layers: all sigmoid")
                continue
        if value is not None:
            settings[key] = value
    # --batch and --batch-size are two spellings of one setting: the one typed wins.
    if overrides.batch is not None and overrides.batch_size is None:
        settings.pop("batch_size", None)
    if overrides.batch_size is not None and overrides.batch is None:
        settings.pop("batch", None)
    if settings.get("round_digits") is not None and "gradcheck" not in settings:
        settings["gradcheck"] = False  # a rounded loss cannot resolve a nudge of ε
        notes.append("rounded sheets leave out the gradient check")
    return settings


def draw_parameters(layers: tuple[int, ...], seed: int):
    """Two-decimal weights and biases in [-1, 1] from ``seed`` (weights and biases
    use separate streams, so giving one in a template does not change the other)."""
    w_rng, b_rng = np.random.default_rng([seed, 0]), np.random.default_rng([seed, 1])
    weights = tuple(
        _rounded(w_rng.uniform(-1, 1, (n_out, n_in))) for n_in, n_out in zip(layers, layers[1:])
    )
    biases = tuple(tuple(_rounded(b_rng.uniform(-1, 1, (1, n)))[0]) for n in layers[1:])
    return weights, biases


def _rounded(array: np.ndarray) -> tuple[tuple[float, ...], ...]:
    return tuple(tuple(float(round(v, 2)) + 0.0 for v in row) for row in array)


def _fit_first_example(examples, layers, seed, overrides, reshaped, notes):
    """Apply --inputs/--targets to the first example; when --layers changed the
    shape, draw the parts of it that no longer fit (and say so)."""
    # only a reshaped network draws (numpy.random is slow to import: not for every start)
    rng = np.random.default_rng([seed, 2]) if reshaped else None
    first = examples[0] if examples else Example((), ())
    inputs, targets = overrides.inputs or first.inputs, overrides.targets or first.targets
    if reshaped and overrides.inputs is None and len(inputs) != layers[0]:
        inputs = tuple(float(round(v, 2)) for v in rng.uniform(0, 1, layers[0]))
        notes.append(f"inputs drawn from seed {seed}: {', '.join(map(str, inputs))}")
    if reshaped and overrides.targets is None and len(targets) != layers[-1]:
        targets = tuple(float(v) for v in rng.integers(0, 2, layers[-1]))
        notes.append(f"targets drawn from seed {seed}: {', '.join(map(str, targets))}")
    rest = examples[1:]
    if reshaped and any(len(e.inputs) != layers[0] or len(e.targets) != layers[-1] for e in rest):
        notes.append(
            f"the template's other {len(rest)} examples do not fit {values.label(layers)}: left out"
        )
        rest = ()
    if not examples and not (overrides.inputs and overrides.targets):
        raise SpecError(
            "examples: at least one [[examples]] table with inputs and targets is needed"
        )
    return (Example(tuple(inputs), tuple(targets)), *rest)


def _learning_rate(data: dict, overrides: Overrides) -> float:
    if overrides.learning_rate is not None:
        return overrides.learning_rate
    return values.number(data.get("learning_rate", 0.5), "learning_rate")
