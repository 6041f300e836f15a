"""The givens of a step: the only constants in the workbook, each with its meaning."""

from __future__ import annotations

from dataclasses import dataclass

from worksheet.model import names as n
from worksheet.model.activations import ACTIVATIONS
from worksheet.model.names import Symbol
from worksheet.model.spec import NetworkSpec
from worksheet.model.topology import Topology


@dataclass(frozen=True)
class Given:
    group: str
    symbol: Symbol
    meaning: str
    value: float | str


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


def network_description(spec: NetworkSpec) -> str:
    """``2 inputs, 2 hidden neurons (sigmoid), 1 output (sigmoid); seed 0``."""
    hidden = spec.layers[1:-1]
    kinds = [ACTIVATIONS[k].words for k in spec.activations]
    parts = [_count(spec.layers[0], "input")]
    parts += [f"{_count(size, 'hidden neuron')} ({kind})" for size, kind in zip(hidden, kinds)]
    parts.append(f"{_count(spec.layers[-1], 'output')} ({kinds[-1]})")
    return ", ".join(parts) + f"; seed {spec.seed}"


def _settings(spec: NetworkSpec) -> list[Given]:
    """Facts fixed when the workbook was made; `worksheet check` reads them back."""
    rows = [
        Given("Network", n.NETWORK, network_description(spec), Topology(spec.layers).label),
        Given("Network", n.LOSS_KIND, "loss function: half-sse, mse or bce", spec.loss),
        Given(
            "Network",
            n.ACTIVATION_KINDS,
            "activation of each layer of neurons: sigmoid, tanh, relu, linear (output only)",
            ",".join(spec.activations),
        ),
        Given(
            "Network",
            n.BIAS_UPDATE,
            "whether the step updates the biases (no: they stay frozen)",
            "yes" if spec.update_biases else "no",
        ),
    ]
    if spec.round_digits is not None:
        words = "decimals every quantity of the step sheets is rounded to (ROUND)"
        rows.append(Given("Network", n.ROUNDING, words, str(spec.round_digits)))
    if spec.optimizer != "sgd":
        words = "how the gradients move the parameters: sgd, momentum, rmsprop or adam"
        rows.append(Given("Network", n.OPTIMIZER, words, spec.optimizer))
    if spec.epochs:
        mode = "batch" if spec.batch else "mini-batch" if spec.mini else "stochastic"
        words = {
            "batch": "full batch: gradients averaged over the data set",
            "mini-batch": "mini-batch: gradients averaged over the next examples, in turn",
            "stochastic": "stochastic: one update per example, in turn",
        }[mode]
        rows.append(
            Given(
                "Network", n.EPOCHS, "passes over the data set (Training sheet)", str(spec.epochs)
            )
        )
        rows.append(Given("Network", n.TRAINING_MODE, words, mode))
        if spec.compare_optimizers:
            words = "optimizers trained side by side, one run each (sheet Compare)"
            compared = ",".join(spec.compare_optimizers)
            rows.append(Given("Network", n.COMPARED, words, compared))
        if spec.mini:
            words = "examples averaged per update (Training sheet)"
            rows.append(Given("Network", n.BATCH_SIZE, words, str(spec.batch_size)))
    return rows


def _data_set(spec: NetworkSpec) -> list[Given]:
    group = "Example" if len(spec.examples) == 1 else f"Data set ({len(spec.examples)} examples)"
    rows = []
    for e, example in enumerate(spec.examples, 1):
        of = "" if len(spec.examples) == 1 else f" of example {e}"
        rows += [
            Given(group, n.of_example(n.x(i), e), f"input {i}{of}", v)
            for i, v in enumerate(example.inputs, 1)
        ]
        rows += [
            Given(group, n.of_example(n.y(j), e), f"target {j}{of}", v)
            for j, v in enumerate(example.targets, 1)
        ]
    return rows


# Which hyperparameters each optimizer reads, and what each is to it.
HYPERPARAMETERS = {
    "momentum": (("beta1", n.BETA_1, "momentum β: the share of the old velocity kept"),),
    "rmsprop": (
        ("beta2", n.BETA_2, "decay ρ of the running mean of squared gradients"),
        ("eps_opt", n.EPS_OPT, "ε added to the denominator (not the gradient check's)"),
    ),
    "adam": (
        ("beta1", n.BETA_1, "decay β₁ of the first moment (mean of gradients)"),
        ("beta2", n.BETA_2, "decay β₂ of the second moment (mean of squared gradients)"),
        ("eps_opt", n.EPS_OPT, "ε added to the denominator (not the gradient check's)"),
    ),
}


def _hyperparameters(spec: NetworkSpec) -> list[Given]:
    """The hyperparameters of the optimizer and of every compared one, each once."""
    rows: dict[str, Given] = {}
    compared = spec.compare_optimizers if spec.epochs else ()  # no runs, nothing compared
    for kind in (spec.optimizer, *compared):
        for field, symbol, words in HYPERPARAMETERS.get(kind, ()):
            rows.setdefault(field, Given("Optimizer", symbol, words, getattr(spec, field)))
    return [rows[f] for f in ("beta1", "beta2", "eps_opt") if f in rows]


def givens(spec: NetworkSpec) -> list[Given]:
    """Settings, the data set, the learning rate(s), ε and every parameter, in that order."""
    topo = Topology(spec.layers)
    rows = _settings(spec) + _data_set(spec)
    rows.append(Given("Learning rate", n.ETA, "learning rate (step size)", spec.learning_rate))
    rows += [
        Given("Learning rate", n.eta_run(r), f"learning rate of sweep run {r}", rate)
        for r, rate in enumerate(spec.lr_sweep, 1)
    ]
    rows += _hyperparameters(spec)
    if spec.gradcheck:
        rows.append(
            Given("Gradient check", n.EPSILON, "nudge ε for the numerical gradient", spec.epsilon)
        )
    flat_w = [v for matrix in spec.weights for row in matrix for v in row]
    for weight, value in zip(topo.weights(), flat_w):
        src, dst = topo.source(weight), topo.activation(weight.target)
        rows.append(Given("Weights", n.w(weight.i), f"weight {src.text} → {dst.text}", value))
    flat_b = [v for vector in spec.biases for v in vector]
    for neuron, value in zip(topo.neurons(), flat_b):
        rows.append(Given("Biases", n.b(neuron.k), f"bias of {topo.describe(neuron)}", value))
    return rows


def legend(columns: tuple[str, ...], check_columns: list[int]) -> list[tuple[int, str]]:
    """Row 2's colour key of a sheet with table ``columns`` (the Givens sheet has no maths
    column) and the gradient check's columns ``check_columns``: (column, entry) pairs, only
    the colours the sheet wears, each above the column that wears it, so that no entry reads
    as the heading of a column it does not describe.  Sections span every column: the entry
    goes in B, beside "legend:".  On Givens, both colours of the value column: the givens
    and, right of them, the settings fixed when the workbook was made."""
    value = columns.index("value") + 1
    entries = [(2, "section")]
    if "maths" not in columns:
        return [*entries, (value, "given: edit me"), (value + 1, "fixed when generated")]
    entries.append((value, "live formula"))
    if check_columns:  # above the numerical gradient, the check's first column
        entries.append((min(check_columns), "gradient check"))
    return entries
