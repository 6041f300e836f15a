"""generate's options as ``Overrides``, and a refused value told in the words the user typed.

The model refuses a field (``learning_rate``) with a sentence about the quantity; when that
field came from an option, the line names the option and the text typed
(``--lr -1: the learning rate must be greater than 0``), else the template's field.
"""

from __future__ import annotations

import click

from worksheet.model.refusals import FieldError, shown
from worksheet.model.spec import MAX_UPDATES
from worksheet.model.template import Overrides

# template field -> (option, its key among the parsed options)
OPTIONS = {
    "layers": ("--layers", "layers"),
    "loss": ("--loss", "loss"),
    "learning_rate": ("--lr", "lr"),
    "seed": ("--seed", "seed"),
    "examples[1].inputs": ("--inputs", "inputs"),
    "examples[1].targets": ("--targets", "targets"),
    "activations": ("--activations", "activations"),
    "steps": ("--steps", "steps"),
    "epochs": ("--epochs", "epochs"),
    "batch_size": ("--batch-size", "batch_size"),
    "lr_sweep": ("--lr-sweep", "lr_sweep"),
    "round": ("--round", "round_digits"),
    "digits": ("--digits", "digits"),
    "optimizer": ("--optimizer", "optimizer"),
    "beta1": ("--beta1", "beta1"),
    "beta2": ("--beta2", "beta2"),
    "eps_opt": ("--eps-opt", "eps_opt"),
    "compare_optimizers": ("--compare-optimizers", "compare"),
}


def in_users_words(error: FieldError, options: dict) -> str:
    """The refusal's line: ``--lr -1: ...`` when the field was typed as an option, else
    ``learning_rate = -1: ...``, the template's field."""
    option, key = OPTIONS.get(error.field, (None, None))
    typed = options.get(key) if key else None
    if typed is None or typed is False:
        return str(error)
    return f"{option} {shown(typed)}: {error.problem}"


def as_option(option: str, typed: object, error: Exception) -> str:
    """``--output a.txt: ...`` for an error about the very path typed; others as they are
    (a handout's derived names, a folder above it)."""
    message = str(error)
    return f"{option} {message}" if message.startswith(f"{typed}:") else message


def numbers(text: str | None, option: str, cast=float):
    if text is None:
        return None
    try:
        return tuple(cast(part) for part in text.split(","))
    except ValueError:
        raise click.BadParameter(
            f"expected comma-separated numbers, got {text!r}", param_hint=option
        ) from None


def overrides(o: dict) -> Overrides:
    """The options typed, as overrides of the template.  ``--epochs 0`` is refused: leaving
    the option out is how to ask for no Training sheet (the library's ``epochs=0``)."""
    if o["epochs"] is not None and o["epochs"] < 1:
        raise FieldError(
            "epochs",
            o["epochs"],
            f"the number of epochs must be a whole number from 1 to {MAX_UPDATES:,}"
            " (leave out --epochs for no Training sheet)",
        )
    return Overrides(
        layers=numbers(o["layers"], "--layers", int),
        loss=o["loss"],
        learning_rate=o["lr"],
        seed=o["seed"],
        inputs=numbers(o["inputs"], "--inputs"),
        targets=numbers(o["targets"], "--targets"),
        activations=tuple(o["activations"].split(",")) if o["activations"] else None,
        update_biases=False if o["frozen"] else None,
        steps=o["steps"],
        epochs=o["epochs"],
        batch=o["batch"],
        batch_size=o["batch_size"],
        optimizer=o["optimizer"],
        beta1=o["beta1"],
        beta2=o["beta2"],
        eps_opt=o["eps_opt"],
        compare_optimizers=tuple(o["compare"].split(",")) if o["compare"] else None,
        lr_sweep=numbers(o["lr_sweep"], "--lr-sweep"),
        gradcheck=False if o["no_gradcheck"] else None,
        round_digits=o["round_digits"],
        digits=o["digits"],
    )
