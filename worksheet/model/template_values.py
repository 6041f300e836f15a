"""Typed readers for template values: each returns the value or raises a SpecError that
names the key and says what was expected (TOML gives ints, floats, strings, lists)."""

from __future__ import annotations

from worksheet.errors import SpecError
from worksheet.model.refusals import whole_in
from worksheet.model.spec import Example, check_number


def label(layers) -> str:
    return "-".join(map(str, layers))


def layers(value) -> tuple[int, ...]:
    if value is None:
        raise SpecError("layers: missing (e.g. layers = [2, 1, 1])")
    if not isinstance(value, list) or not all(
        isinstance(v, int) and not isinstance(v, bool) for v in value
    ):
        raise SpecError(f"layers: expected a list of whole numbers, got {value!r}")
    return tuple(value)


def seed(value) -> int:
    whole_in("seed", value, 0)
    return value


def text(data: dict, key: str, default: str) -> str:
    value = data.get(key, default)
    if not isinstance(value, str):
        raise SpecError(f"{key}: expected text, got {value!r}")
    return value


def number(value, where: str) -> float:
    check_number(where, value)
    return float(value)


def nested(value, where: str, depth: int):
    """Lists nested ``depth`` deep become tuples of floats, with a clear error otherwise."""
    if depth == 0:
        return number(value, where)
    if not isinstance(value, list):
        raise SpecError(f"{where}: expected a list, got {value!r}")
    return tuple(nested(v, where, depth - 1) for v in value)


def examples(value) -> tuple[Example, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise SpecError("examples: expected [[examples]] tables with inputs and targets")
    examples = []
    for n, table in enumerate(value, 1):
        for key in ("inputs", "targets"):
            if key not in table:
                raise SpecError(f"examples[{n}]: missing {key}")
        unknown = sorted(set(table) - {"inputs", "targets"})
        if unknown:
            raise SpecError(f"examples[{n}]: unknown key {unknown[0]!r}")
        examples.append(
            Example(
                nested(table["inputs"], f"examples[{n}].inputs", 1),
                nested(table["targets"], f"examples[{n}].targets", 1),
            )
        )
    return tuple(examples)


def flag(value, key: str) -> bool:
    if not isinstance(value, bool):
        raise SpecError(f"{key}: expected true or false, got {value!r}")
    return value


def whole(value, key: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise SpecError(f"{key}: expected a whole number, got {value!r}")
    return value


def words(value, key: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise SpecError(f'{key}: expected a list of names such as ["tanh", "sigmoid"]')
    return tuple(value)
