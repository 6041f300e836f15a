"""The checks of a spec's training settings: batch size, epochs and sweeps, the optimizer,
cross-entropy's targets.  Kept apart from ``spec`` (the shape of a network and its data) so
each module stays one concept; ``NetworkSpec.__post_init__`` calls them once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from worksheet.model.refusals import FieldError, noun, whole_in
from worksheet.model.spec import (
    MAX_EPSILON,
    MAX_STEPS,
    MAX_SWEEP,
    MAX_UPDATES,
    OPTIMIZERS,
    check_number,
    check_rate,
)

if TYPE_CHECKING:
    from worksheet.model.spec import NetworkSpec


def check_batch_size(spec: NetworkSpec) -> None:
    """Normalise the two spellings of full batch: ``batch`` and a size equal to the data set."""
    size, n = spec.batch_size, len(spec.examples)
    whole_in("batch_size", size, 1, n)  # no larger than the data set
    if spec.batch and size not in (1, n):
        raise FieldError("batch_size", size, f"full batch means all {n} examples")
    if spec.batch:
        object.__setattr__(spec, "batch_size", n)
    elif size == n and n > 1:
        object.__setattr__(spec, "batch", True)


def check_training(spec: NetworkSpec) -> None:
    whole_in("steps", spec.steps, 1, MAX_STEPS)
    whole_in("epochs", spec.epochs, 0, MAX_UPDATES)  # 0: no Training sheet (a derived spec)
    if spec.updates > MAX_UPDATES:
        raise FieldError(
            "epochs",
            spec.epochs,
            f"{spec.epochs} epochs of {len(spec.examples)} examples make {spec.updates}"
            f" updates; the Training sheet holds at most {MAX_UPDATES}",
        )
    if len(spec.lr_sweep) > MAX_SWEEP:
        raise FieldError(
            "lr_sweep",
            spec.lr_sweep,
            f"at most {MAX_SWEEP} learning rates, got {len(spec.lr_sweep)}",
        )
    for rate in spec.lr_sweep:
        check_rate("lr_sweep", rate)
    if spec.lr_sweep and not spec.epochs:
        raise FieldError(
            "lr_sweep", spec.lr_sweep, "needs epochs (a training run per learning rate)"
        )
    check_rate("epsilon", spec.epsilon)
    if spec.epsilon > MAX_EPSILON:  # a nudge that large measures no derivative (and overflows)
        raise FieldError("epsilon", spec.epsilon, f"at most {MAX_EPSILON} for a gradient check")
    if spec.round_digits is not None:
        whole_in("round", spec.round_digits, 0, 10)
        if spec.gradcheck:
            raise FieldError(
                "round",
                spec.round_digits,
                "a rounded loss cannot show a nudge of ε; leave out the gradient check",
            )


def check_optimizer(spec: NetworkSpec) -> None:
    """A known optimizer, β₁ and β₂ in [0, 1) (defaults filled in), ε greater than 0."""
    if spec.optimizer not in OPTIMIZERS:
        raise FieldError(
            "optimizer",
            spec.optimizer,
            f"unknown optimizer (expected one of {', '.join(OPTIMIZERS)})",
        )
    if spec.beta1 is None:
        object.__setattr__(spec, "beta1", 0.9)
    if spec.beta2 is None:
        object.__setattr__(spec, "beta2", 0.9 if spec.optimizer == "rmsprop" else 0.999)
    for field, value in (("beta1", spec.beta1), ("beta2", spec.beta2)):
        check_number(field, value)
        if not 0 <= value < 1:
            raise FieldError(field, value, f"{noun(field)}, a decay factor, must be in [0, 1)")
    check_rate("eps_opt", spec.eps_opt)
    check_compare(spec)
    if spec.optimizer != "sgd" and spec.round_digits is not None:
        raise FieldError(
            "round", spec.round_digits, f"the {spec.optimizer} sheets are not rounded; use sgd"
        )


def check_as_asked(spec: NetworkSpec) -> None:
    """What a spec made from a template or options must also satisfy, though a derived one
    need not (a student's copy drops the training sheets; ``check`` nudges each target)."""
    if spec.compare_optimizers and not spec.epochs:
        raise FieldError(
            "compare_optimizers",
            spec.compare_optimizers,
            "needs epochs (a training run per optimizer)",
        )
    check_distributions(spec)


def check_distributions(spec: NetworkSpec) -> None:
    """Cross-entropy's targets are one-hot or probabilities summing to 1.  Checked where a
    spec is made from a template or options, not on every spec: ``check`` nudges each given
    on its own, and the sheet's maths holds for any targets in [0, 1]."""
    if spec.loss != "ce":
        return
    for n, example in enumerate(spec.examples, 1):
        if abs(sum(example.targets) - 1) > 1e-9:
            raise FieldError(
                f"examples[{n}].targets",
                example.targets,
                "cross-entropy needs one-hot targets or probabilities"
                f" summing to 1, got a sum of {sum(example.targets):.12g}",
            )


MAX_COMPARED = 4


def check_compare(spec: NetworkSpec) -> None:
    """2 to 4 distinct known optimizers, each trained on the same epochs (not with a sweep)."""
    kinds = spec.compare_optimizers
    if not kinds:
        return
    for kind in kinds:
        if kind not in OPTIMIZERS:
            raise FieldError(
                "compare_optimizers",
                kinds,
                f"unknown optimizer {kind!r} (expected some of {', '.join(OPTIMIZERS)})",
            )
    if len(set(kinds)) != len(kinds) or not 2 <= len(kinds) <= MAX_COMPARED:
        raise FieldError(
            "compare_optimizers", kinds, f"expected 2 to {MAX_COMPARED} different optimizers"
        )
    if spec.lr_sweep:
        raise FieldError(
            "compare_optimizers", kinds, "not with a learning-rate sweep (one at a time)"
        )
