"""Rebuild a ``NetworkSpec`` from a saved workbook's own given cells.

``worksheet check`` uses this so that a workbook whose weights a person has
edited (and saved) is checked against the reference for the new weights.
It reads the file through the evaluator's ``Book``, never the generator.
"""

from __future__ import annotations

from worksheet.errors import BookError, SpecError
from worksheet.evaluator import Book, CellRef, XLError
from worksheet.model import names as n
from worksheet.model.spec import Example, NetworkSpec, check_layers
from worksheet.model.topology import Topology
from worksheet.sheets.layout import GIVENS, STEP, step_sheet


def _shown(value: object) -> str:
    return value.code if isinstance(value, XLError) else repr(value)


def _given(book: Book, symbol: n.Symbol):
    ref = book.name_ref(symbol.name)
    if ref is None:
        raise BookError(f"{book.path}: not a backprop worksheet (no given named {symbol.name})")
    cell = book.cells.get(ref)
    if cell is not None and cell.formula is not None:
        raise BookError(f"{book.path}: given {symbol.name} ({ref}) must be a number, not a formula")
    return None if cell is None else cell.value


def _number(book: Book, symbol: n.Symbol) -> float:
    value = _given(book, symbol)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
        where = f"{symbol.name} ({book.name_ref(symbol.name)})"
        raise BookError(f"{book.path}: given {where} must be a number, got {_shown(value)}")
    return float(value)


def given_refs(book: Book) -> dict[str, CellRef]:
    """Each given cell once, by its (lower-case) name: the workbook-wide names on Givens."""
    found: dict[CellRef, str] = {}
    for scope, name in sorted(book.names, key=lambda key: key[1]):
        ref = book.name_ref(name) if scope is None else None
        if ref is not None and ref.sheet == GIVENS:
            found.setdefault(ref, name.lower())
    return {name: ref for ref, name in found.items()}


TITLE_SUFFIX = ": givens"  # the Givens sheet's heading: "<title>: givens"
MAX_TITLE = 200  # characters of a title kept (a page header prints about that many)


def _title(book: Book) -> str:
    """The workbook's title, from the Givens sheet's heading: only a title (pages and the
    marked copy's headings), never a number, so nothing here is checked (a file without
    the heading keeps the default)."""
    cell = book.cells.get(CellRef(GIVENS, 1, 1))
    text = cell.value if cell is not None and cell.formula is None else None
    if isinstance(text, str) and text.endswith(TITLE_SUFFIX):
        title = text[: -len(TITLE_SUFFIX)].strip()[:MAX_TITLE]
        if title:
            return title
    return NetworkSpec.title


def _layers(book: Book) -> tuple[int, ...]:
    text = _given(book, n.NETWORK)
    try:
        parts = str(text).split("-")
        if not all(part.isascii() and part.isdigit() for part in parts):
            raise ValueError(text)  # int() reads " 2", "2_0" and other scripts' digits
        layers = tuple(int(part) for part in parts)
        check_layers(layers)
    except (ValueError, SpecError):
        raise BookError(
            f"{book.path}: given {n.NETWORK.name} must be sizes such as 2-1-1, got {text!r}"
        ) from None
    return layers


def _text(book: Book, symbol: n.Symbol, default: str | None = None) -> str:
    if default is not None and book.name_ref(symbol.name) is None:
        return default  # written by an older version, before the setting existed
    value = _given(book, symbol)
    if not isinstance(value, str):
        raise BookError(f"{book.path}: given {symbol.name} must be text, got {_shown(value)}")
    return value


_MODES = ("stochastic", "mini-batch", "batch")


def _choice(book: Book, symbol: n.Symbol, default: str, allowed: tuple[str, ...]) -> str:
    """A setting written as one of ``allowed``, exactly: "No" or "no " read as anything
    but "no" (biases updated) would prove a sheet whose Givens say otherwise."""
    text = _text(book, symbol, default)
    if text not in allowed:
        raise BookError(
            f"{book.path}: given {symbol.name} must be one of {', '.join(allowed)}, got {text!r}"
        )
    return text


def _examples(book: Book, layers: tuple[int, ...]) -> tuple[Example, ...]:
    """Example 1, then example 2, 3, ... for as long as the Givens sheet has them."""
    examples = []
    while True:
        e = len(examples) + 1
        symbols = [n.of_example(s, e) for s in n.example_symbols(layers)]
        if e > 1 and book.name_ref(symbols[0].name) is None:
            return tuple(examples)
        values = [_number(book, s) for s in symbols]
        examples.append(Example(tuple(values[: layers[0]]), tuple(values[layers[0] :])))


def _whole(book: Book, symbol: n.Symbol, default: str) -> int:
    text = _text(book, symbol, default)
    if not (text.isascii() and text.isdigit()):  # "²" is a digit to Python, not to int()
        raise BookError(f"{book.path}: given {symbol.name} must be a whole number, got {text!r}")
    return int(text)


def _digits(book: Book) -> int | None:
    text = _text(book, n.ROUNDING, "none")
    if text == "none":
        return None
    if not (text.isascii() and text.isdigit()):  # "²" is a digit to Python, not to int()
        raise BookError(f"{book.path}: given {n.ROUNDING.name} must be a number of decimals")
    return int(text)


def _sweep(book: Book) -> tuple[float, ...]:
    rates = []
    while book.name_ref(n.eta_run(len(rates) + 1).name) is not None:
        rates.append(_number(book, n.eta_run(len(rates) + 1)))
    return tuple(rates)


def _steps(book: Book) -> int:
    k = 1
    while step_sheet(k + 1) in book.sheet_names:
        k += 1
    return k


def _optimizer(book: Book) -> dict:
    """The optimizer and the hyperparameters its givens hold (the others: defaults)."""
    settings = {"optimizer": _text(book, n.OPTIMIZER, "sgd")}
    compared = _text(book, n.COMPARED, "")
    settings["compare_optimizers"] = tuple(compared.split(",")) if compared else ()
    for field, symbol in (("beta1", n.BETA_1), ("beta2", n.BETA_2), ("eps_opt", n.EPS_OPT)):
        if book.name_ref(symbol.name) is not None:
            settings[field] = _number(book, symbol)
    return settings


def spec_from_book(book: Book) -> NetworkSpec:
    """The spec the workbook's givens describe; BookError when they do not describe one."""
    if STEP not in book.sheet_names:
        raise BookError(f"{book.path}: not a backprop worksheet (no sheet named {STEP})")
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
    gradcheck = book.name_ref(n.EPSILON.name) is not None
    kinds = _text(book, n.ACTIVATION_KINDS, ",".join(["sigmoid"] * topo.depth))
    mode = _choice(book, n.TRAINING_MODE, "stochastic", _MODES)
    try:
        spec = NetworkSpec(
            title=_title(book),
            layers=layers,
            weights=weights,
            biases=biases,
            examples=_examples(book, layers),
            loss=_text(book, n.LOSS_KIND),
            learning_rate=_number(book, n.ETA),
            activations=tuple(kinds.split(",")),
            update_biases=_choice(book, n.BIAS_UPDATE, "yes", ("yes", "no")) == "yes",
            steps=_steps(book),
            gradcheck=gradcheck,
            epsilon=_number(book, n.EPSILON) if gradcheck else 1e-5,
            epochs=_whole(book, n.EPOCHS, "0"),
            batch=mode == "batch",
            batch_size=_whole(book, n.BATCH_SIZE, "1"),
            lr_sweep=_sweep(book),
            round_digits=_digits(book),
            **_optimizer(book),
        )
    except SpecError as exc:
        raise BookError(f"{book.path}: the givens are not a valid network: {exc}") from None
    if (
        book.name_ref(n.TRAINING_MODE.name) is not None
        and mode != _MODES[spec.mini + 2 * spec.batch]
    ):
        # "stochastic" beside a batch size of 4: the tables average four examples
        raise BookError(
            f"{book.path}: given {n.TRAINING_MODE.name} {mode!r} is not the batch size's"
        )
    return spec
