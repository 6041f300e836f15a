"""A refused value, kept as its parts: the field it came from, the value and the problem in
words, so that the CLI can say it in the user's words (``--lr -1: the learning rate must be
greater than 0``) and a template's reader in the template's (``learning_rate = -1: ...``).

The problem is written once, here at the source, as a sentence about the quantity (``the
learning rate must be ...``): where the value came from is for whoever reports it.
"""

from __future__ import annotations

import re

from worksheet.errors import SpecError

# The quantity behind each field, in words, for the sentence of a problem.
NOUNS = {
    "learning_rate": "the learning rate",
    "digits": "the number of significant figures",
    "lr_sweep": "each learning rate of the sweep",
    "epsilon": "the gradient check's nudge ε",
    "eps_opt": "the optimizer's ε",
    "beta1": "β₁",
    "beta2": "β₂",
    "seed": "the seed",
    "steps": "the number of step sheets",
    "epochs": "the number of epochs",
    "batch_size": "the batch size",
    "round": "the number of decimals",
    "layers": "the layer sizes",
}


def noun(field: str) -> str:
    """``the learning rate`` for ``learning_rate``; ``each input`` for ``examples[2].inputs``."""
    if field.endswith((".inputs", ".targets")):
        return "each " + field.rsplit(".", 1)[1][:-1]
    if field.startswith(("weights", "biases")):
        return "each " + field.split()[0][:-1].replace("biase", "bias")
    return NOUNS.get(field, field)


def shown(value: object) -> str:
    """A value as a person typed it: ``-1`` for -1.0, ``0.1,0`` for a list."""
    if isinstance(value, (tuple, list)):
        return ",".join(shown(v) for v in value)
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    if isinstance(value, float):  # 1e-8, not Python's 1e-08
        return re.sub(r"e\+?(-?)0*(\d)", r"e\1\2", repr(value))
    return str(value)


class FieldError(SpecError):
    """``field`` cannot be ``value``: ``problem`` says why, in words."""

    def __init__(self, field: str, value: object, problem: str) -> None:
        self.field, self.value, self.problem = field, value, problem
        super().__init__(f"{field} = {shown(value)}: {problem}")


def whole_in(field: str, value: object, low: int, high: int | None = None) -> None:
    """A count: a whole number from ``low`` to ``high`` (no upper bound when None)."""
    if not isinstance(value, bool) and isinstance(value, int):
        if low <= value and (high is None or value <= high):
            return
    span = f"from {low} to {high:,}" if high is not None else f"of at least {low}"
    raise FieldError(field, value, f"{noun(field)} must be a whole number {span}")
