"""Class variants: one student handout and key per name on a roster, plus a manifest.

Each student's weights, biases and first example's inputs are drawn from a seed derived
from the class seed and the name (the first 4 bytes of sha256 of ``"CLASS_SEED:name"``), so
the same roster and class seed always give the same numbers, and a neighbour's answers do
not fit.  Targets and any further examples stay the template's.
"""

from __future__ import annotations

import csv
import hashlib
import os
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from worksheet.classroom.handout import (
    Finish,
    check_computable,
    handout_paths,
    handout_spec,
    write_handout,
)
from worksheet.classroom.record import SECTION_KEYS, givens_text, keyed, new_secret
from worksheet.errors import SpecError, WorksheetError
from worksheet.files import temporaries
from worksheet.files.csv_cells import neutral
from worksheet.files.outputs import refuse_existing, usual_permissions
from worksheet.files.reading import read_text
from worksheet.model.spec import Example, NetworkSpec
from worksheet.model.template import draw_parameters

MANIFEST = "manifest.csv"
MANIFEST_HEADER = (
    "name",
    "seed",
    "student_file",
    "key_file",
    "blank_sections",
    "givens_fingerprint",  # keyed with the class secret, held by every key of the class
)
DELIMITERS = (",", ";", "\t")
MAX_ROSTER_BYTES = 1_000_000  # a class list; 1,000 names take 30 kB
MAX_STUDENTS = 1_000  # two workbooks each, about 0.1 s a student


class RosterError(WorksheetError):
    """A roster that names no students, or names one twice."""


def read_roster(path: Path) -> list[str]:
    """Names, in order: one per line, or the ``name`` column of a CSV file."""
    path = Path(path)
    text = read_text(path, "roster file", MAX_ROSTER_BYTES, RosterError)
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        raise RosterError(f"{path}: the roster is empty")
    try:
        names = _from_columns(path, lines) or _one_per_line(path, lines)
    except csv.Error as exc:  # a field over the csv module's 131,072 characters, say
        raise RosterError(f"{path}: cannot read the roster ({exc})") from None
    if len(names) > MAX_STUDENTS:
        raise RosterError(f"{path}: {len(names):,} names; a batch makes at most {MAX_STUDENTS:,}")
    _check_unique(path, names)
    return names


def _from_columns(path: Path, lines: list[str]) -> list[str] | None:
    """The ``name`` column, with whichever delimiter makes one; None without one."""
    for delimiter in DELIMITERS:
        header = [h.strip().lower() for h in next(csv.reader(lines[:1], delimiter=delimiter))]
        if "name" not in header:
            continue
        col, names = header.index("name"), []
        for number, row in enumerate(csv.reader(lines[1:], delimiter=delimiter), 2):
            name = " ".join(row[col].split()) if col < len(row) else ""
            if not name:
                raise RosterError(f"{path}: line {number} has no name")
            names.append(name)
        if not names:
            raise RosterError(f"{path}: the roster has a name column but no names")
        return names
    return None


def _one_per_line(path: Path, lines: list[str]) -> list[str]:
    if any(d in line for line in lines for d in DELIMITERS):
        raise RosterError(
            f"{path}: no column called 'name' (a roster is one name per line,"
            " or a CSV file with a column called name)"
        )
    return [" ".join(line.split()) for line in lines]


def _check_unique(path: Path, names: list[str]) -> None:
    seen: dict[str, str] = {}
    for name in names:
        if any(unicodedata.category(c) == "Cc" for c in name):  # NUL, escapes: no file takes them
            raise RosterError(f"{path}: {name!r} holds a control character")
        key = slug(name)
        if not key:
            raise RosterError(f"{path}: {name!r} has no letters or digits to name a file by")
        if key in seen:
            same = "twice" if seen[key] == name else f"and {seen[key]!r} (same file name)"
            raise RosterError(f"{path}: duplicate name {name!r} {same}")
        seen[key] = name


def slug(name: str) -> str:
    """A file name for a student: 'Zoë O'Neil' -> 'zoe-o-neil' (other scripts are kept)."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    return re.sub(r"[\W_]+", "-", plain.lower()).strip("-")[:60].strip("-")


def student_seed(class_seed: int, name: str) -> int:
    digest = hashlib.sha256(f"{class_seed}:{name}".encode()).digest()
    return int.from_bytes(digest[:4], "big")


def student_spec(spec: NetworkSpec, seed: int) -> NetworkSpec:
    """``spec`` with weights, biases and the first example's inputs drawn from ``seed``
    (two-decimal numbers: weights and biases in [-1, 1], inputs in [0, 1])."""
    weights, biases = draw_parameters(spec.layers, seed)
    rng = np.random.default_rng([seed, 2])
    inputs = tuple(float(round(v, 2)) + 0.0 for v in rng.uniform(0, 1, spec.layers[0]))
    first = Example(inputs, spec.examples[0].targets)
    examples = (first, *spec.examples[1:])
    return replace(spec, weights=weights, biases=biases, examples=examples, seed=seed)


@dataclass(frozen=True)
class Entry:
    name: str
    seed: int
    student: Path
    key: Path
    givens: str = ""  # keyed fingerprint of this student's givens


def plan_batch(names: list[str], folder: Path, class_seed: int) -> list[Entry]:
    """Each student's seed and files (``ada-lovelace-student.xlsx``, ``...-key.xlsx``)."""
    return [
        Entry(name, student_seed(class_seed, name), *handout_paths(_base(folder, name)))
        for name in names
    ]


def _base(folder: Path, name: str) -> Path:
    return Path(folder) / f"{slug(name)}.xlsx"


def write_batch(
    spec: NetworkSpec,
    names: list[str],
    folder: Path,
    class_seed: int = 0,
    sections: tuple[str, ...] = SECTION_KEYS,
    force: bool = False,
    progress: Callable[[int], None] | None = None,
    finish: Finish | None = None,
) -> list[Entry]:
    """Both workbooks for every name, then ``manifest.csv``; nothing when a file exists
    already (without ``force``).  ``progress(1)`` hears of each student done; ``finish``
    is passed on to ``write_handout``."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise WorksheetError(f"{folder}: is a file; give a folder for the class")
    entries = plan_batch(names, folder, class_seed)
    for target in [p for e in entries for p in (e.student, e.key)] + [folder / MANIFEST]:
        refuse_existing(target, force)
    for entry in entries:  # every student's numbers first: a refusal leaves no class half done
        try:
            check_computable(student_spec(spec, entry.seed))
        except SpecError as exc:
            raise SpecError(f"{entry.name} (seed {entry.seed}): {exc}") from None
    secret, written = new_secret(), []
    for entry in entries:
        variant = student_spec(spec, entry.seed)
        base = _base(folder, entry.name)
        write_handout(variant, base, sections, force, entry.name, entry.seed, finish, secret)
        givens = keyed(secret, givens_text(handout_spec(variant)))
        written.append(replace(entry, givens=givens))
        if progress is not None:
            progress(1)
    _write_manifest(folder / MANIFEST, written, sections)
    return written


def _write_manifest(path: Path, entries: list[Entry], sections: tuple[str, ...]) -> None:
    try:
        temp = temporaries.make(path.parent, ".csv.tmp")
    except OSError as exc:
        raise WorksheetError(f"{path.parent}: cannot write here ({exc.strerror})") from None
    try:
        with open(temp, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(MANIFEST_HEADER)
            for e in entries:
                row = [e.name, e.seed, e.student.name, e.key.name, ",".join(sections), e.givens]
                writer.writerow([neutral(v) for v in row])
        usual_permissions(temp)
        os.replace(temp, path)
    except OSError as exc:
        raise WorksheetError(f"{path}: cannot write ({exc.strerror})") from None
    finally:
        temp.unlink(missing_ok=True)
        temporaries.done(temp)
