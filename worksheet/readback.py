"""Rebuild a ``NetworkSpec`` from a saved workbook's own given cells.

``worksheet check`` uses this so that a workbook whose weights a person has
edited (and saved) is checked against the reference for the new weights.
It reads the file through the evaluator's ``Book``, never the generator.
"""

from __future__ import annotations

from worksheet import names as n
from worksheet.errors import BookError, SpecError
from worksheet.evaluator import Book
from worksheet.layout import STEP
from worksheet.spec import Example, NetworkSpec, check_layers
from worksheet.topology import Topology


def _given(book: Book, symbol: n.Symbol):
    ref = book.name_ref(symbol.name)
    if ref is None:
        raise BookError(f"not a backprop worksheet: no given named {symbol.name}")
    cell = book.cells.get(ref)
    if cell is not None and cell.formula is not None:
        raise BookError(
            f"{ref.sheet}!{_a1(ref)} ({symbol.name}): a given must be a number, not a formula"
        )
    return None if cell is None else cell.value


def _a1(ref) -> str:
    from worksheet.cells import address

    return address(ref.row, ref.col)


def _number(book: Book, symbol: n.Symbol) -> float:
    value = _given(book, symbol)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise BookError(f"given {symbol.name}: expected a number, got {value!r}")
    return float(value)


def _layers(book: Book) -> tuple[int, ...]:
    text = _given(book, n.NETWORK)
    try:
        layers = tuple(int(part) for part in str(text).split("-"))
        check_layers(layers)
    except (ValueError, SpecError):
        raise BookError(
            f"given {n.NETWORK.name}: expected sizes such as 2-1-1, got {text!r}"
        ) from None
    return layers


def spec_from_book(book: Book) -> NetworkSpec:
    """The spec the workbook's givens describe; BookError when they do not describe one."""
    if STEP not in book.sheet_names:
        raise BookError(f"not a backprop worksheet: no sheet named {STEP}")
    layers = _layers(book)
    topo = Topology(layers)
    weights = tuple(
        tuple(
            tuple(_number(book, n.w(w.i)) for w in topo.weights_into(neuron))
            for neuron in topo.layer_neurons(layer)
        )
        for layer in range(1, topo.depth + 1)
    )
    biases = tuple(
        tuple(_number(book, n.b(neuron.k)) for neuron in topo.layer_neurons(layer))
        for layer in range(1, topo.depth + 1)
    )
    example = Example(
        tuple(_number(book, n.x(i)) for i in range(1, layers[0] + 1)),
        tuple(_number(book, n.y(j)) for j in range(1, layers[-1] + 1)),
    )
    try:
        return NetworkSpec(
            layers=layers,
            weights=weights,
            biases=biases,
            examples=(example,),
            loss=str(_given(book, n.LOSS_KIND)),
            learning_rate=_number(book, n.ETA),
        )
    except SpecError as exc:
        raise BookError(f"the workbook's givens are not a valid network: {exc}") from None
