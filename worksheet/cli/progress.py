"""Progress bars for the CLI, shown only to a person watching a terminal.

Piped into a file or captured by a script, click's bar degrades to its label on a line of its
own, which would sit beside the verdict or the one-line error as a second line; so off a
terminal there is no bar at all.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TypeVar

import click

T = TypeVar("T")


def on_terminal() -> bool:
    return sys.stderr.isatty()


@contextmanager
def progress(length: int, label: str) -> Iterator[Callable[..., None]]:
    """``with progress(n, "Writing") as advance: ... advance(1)``; ``advance`` ignores its
    arguments off a terminal."""
    if not on_terminal():
        yield lambda *args: None
        return
    with click.progressbar(length=length, label=label, file=sys.stderr) as bar:
        yield bar.update


def each(items: Iterable[T], label: str) -> Iterator[T]:
    """The items, with a bar over them on a terminal."""
    items = list(items)
    if not on_terminal():
        yield from items
        return
    with click.progressbar(items, label=label, file=sys.stderr) as bar:
        yield from bar
