"""What the command modules share: one-line parsing helpers, notes told after a success, and
the template's file as an input no output may replace.
"""

from __future__ import annotations

from pathlib import Path

import click


def finite(value: float, option: str) -> float:
    """``value`` unless it is nan, for a click callback (a FloatRange lets nan through)."""
    if value != value:  # nan passes every range test
        raise click.BadParameter("nan is not a number", param_hint=option)
    return value


def template_file(template: str | None) -> list[Path]:
    """The template's file, when TEMPLATE names one: an input no output may replace."""
    return [Path(template)] if template and Path(template).is_file() else []


def notes(told: list[str]) -> None:
    """What was drawn or left out, told once the work is done (a refusal stays one line)."""
    for note in told:
        click.echo(f"note: {note}", err=True)
