"""Benchmark: one XOR workbook of 10,000 updates through every stage, beside the alternatives.

    python benchmarks/bench_training.py [--epochs 2500] [--formulas-timeout 600] [--keep DIR]

Wall times are the best of three runs (``formulas``: one), since the machine may be shared.
Our stages (generate, load, evaluate, compare) run in this process: timed untraced, then
once more under tracemalloc for the peak of Python allocations (numpy's included).  The others
run in child processes, measured by wall time and peak resident memory (RSS): the bare openpyxl
loops writing the same formula texts (the writer's floor, normal and write-only mode),
``worksheet check`` as a user runs it, headless LibreOffice recalculating the file (the real
client), and the PyPI evaluators ``formulas`` and ``formualizer`` when installed
(``pip install -e '.[bench]'``); each is skipped, saying why, when it is missing.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib.util
import json
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from worksheet.evaluator import evaluate, read_book
from worksheet.export.libreoffice import find_soffice
from worksheet.model.template import load_template, resolve
from worksheet.sheets.training_table import table
from worksheet.verify.compare import agree
from worksheet.verify.readback import spec_from_book
from worksheet.verify.training_expected import expected_cells

CHILD = Path(__file__).with_name("bench_child.py")


REPEAT = 3  # wall times are the best of this many runs: the machine is shared


def measure(fn):
    """(result, seconds, peak MB): the best of REPEAT untraced runs, then one under
    tracemalloc for the peak."""
    seconds = float("inf")
    for _ in range(REPEAT):
        start = time.perf_counter()
        result = fn()
        seconds = min(seconds, time.perf_counter() - start)
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return result, seconds, peak


def generate_file(spec, path: Path) -> None:
    """``worksheet generate`` without the command line."""
    from worksheet.render.generate import generate

    generate(spec, path, force=True)


def compare(book, values, spec) -> int:
    """The training cells' disagreements with numpy (the spec read back from the file when
    readback knows the training settings, else the template's)."""
    rebuilt = spec_from_book(book)
    if rebuilt.epochs != spec.epochs:
        rebuilt = spec
    expected = expected_cells(rebuilt)
    return sum(not agree(want, values.get(ref)) for ref, (_, want) in expected.items())


def child(*args: str, timeout: float, repeat: int = REPEAT) -> dict:
    """The best of ``repeat`` runs of bench_child.py (its last line is JSON: seconds, rss_mb
    and a note); the first failure or timeout ends the series."""
    runs = [_child_once(args, timeout)]
    while len(runs) < repeat and runs[-1]["seconds"] is not None:
        runs.append(_child_once(args, timeout))
    done = [r for r in runs if r["seconds"] is not None]
    return min(done, key=lambda r: r["seconds"]) if done else runs[-1]


def _child_once(args: tuple[str, ...], timeout: float) -> dict:
    try:
        done = subprocess.run(
            [sys.executable, str(CHILD), *args], capture_output=True, text=True, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        return {"seconds": None, "rss_mb": None, "note": f"stopped after {timeout:g} s"}
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        return {"seconds": None, "rss_mb": None, "note": (done.stderr.strip() or "failed")[-200:]}
    return json.loads(lines[-1])


def row(stage: str, seconds, memory, note: str = "") -> tuple:
    return (stage, seconds, memory, note)


def ours(spec, path: Path) -> list[tuple]:
    _, gen_s, gen_mb = measure(lambda: generate_file(spec, path))
    book, load_s, load_mb = measure(lambda: read_book(path))
    values, eval_s, eval_mb = measure(lambda: evaluate(book))
    wrong, cmp_s, cmp_mb = measure(lambda: compare(book, values, spec))
    size = path.stat().st_size / 2**20
    return [
        row("generate (ours)", gen_s, gen_mb, f"{size:.1f} MB file"),
        row("load: read_book", load_s, load_mb, f"{len(book.cells):,} cells"),
        row("evaluate", eval_s, eval_mb, f"{len(values):,} formulas"),
        row("compare with numpy", cmp_s, cmp_mb, f"{wrong} disagreements"),
        row("  check = load + evaluate + compare", load_s + eval_s + cmp_s, None, ""),
    ]


def others(spec, path: Path, work: Path, formulas_timeout: float) -> list[tuple]:
    rows = []
    texts = work / "texts.json"
    texts.write_text(json.dumps([list(r) for r in table(spec).rows()]))
    for mode in ("normal", "write-only"):
        out = child("openpyxl", mode, str(texts), str(work / f"bare-{mode}.xlsx"), timeout=600)
        rows.append(row(f"bare openpyxl loop ({mode})", out["seconds"], out["rss_mb"], out["note"]))
    return rows + evaluators(spec, path, work, formulas_timeout)


def evaluators(spec, path: Path, work: Path, formulas_timeout: float) -> list[tuple]:
    """Who else computes the file: our check as a user runs it, LibreOffice, PyPI evaluators."""
    out = child("check", str(path), timeout=600)
    rows = [row("worksheet check (fresh process)", out["seconds"], out["rss_mb"], out["note"])]
    rows.append(_libreoffice(path, work))
    last = f"{table(spec).last_row},{table(spec).col(('L',))}"
    want = repr(expected_cells(spec)[_last_loss_ref(spec)][1])
    for engine, timeout in (("formualizer", 600), ("formulas", formulas_timeout)):
        if importlib.util.find_spec(engine) is None:
            rows.append(row(engine, None, None, "not installed (pip install -e '.[bench]')"))
            continue
        out = child(
            engine, str(path), last, want, timeout=timeout, repeat=1 + (engine != "formulas") * 2
        )
        rows.append(row(f"{engine} (PyPI)", out["seconds"], out["rss_mb"], out["note"]))
    return rows


def _last_loss_ref(spec):
    from worksheet.evaluator import CellRef

    t = table(spec)
    return CellRef("Training", t.last_row, t.col(("L",)))


def _libreoffice(path: Path, work: Path) -> tuple:
    if find_soffice() is None:
        return row("LibreOffice recalculation", None, None, "soffice not installed")
    out = child("libreoffice", str(path), str(work / "lo"), timeout=900)
    return row("LibreOffice recalculation", out["seconds"], out["rss_mb"], out["note"])


def show(rows: list[tuple], title: str) -> None:
    print(f"\n{title}\n")
    print(f"| {'stage':<38} | {'wall s':>8} | {'peak MB':>8} | note")
    print(f"|{'-' * 40}|{'-' * 9}:|{'-' * 9}:|------")
    for stage, seconds, memory, note in rows:
        s = "—" if seconds is None else f"{seconds:.2f}"
        m = "—" if memory is None else f"{memory:.0f}"
        print(f"| {stage:<38} | {s:>8} | {m:>8} | {note}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=2500, help="XOR epochs (4 updates each)")
    parser.add_argument("--formulas-timeout", type=float, default=600)
    parser.add_argument(
        "--small-epochs", type=int, default=125, help="a second, smaller file all engines finish"
    )
    parser.add_argument("--keep", type=Path, help="keep the workbooks in this folder")
    args = parser.parse_args()
    spec = dataclasses.replace(resolve(load_template("xor")).spec, epochs=args.epochs)
    with tempfile.TemporaryDirectory(prefix="bench-training-") as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        path = work / "xor.xlsx"
        first = ours(spec, path)
        show(first, f"XOR 2-2-1, {spec.updates:,} updates: our stages (peak = tracemalloc)")
        show(others(spec, path, work, args.formulas_timeout), "Same file (peak = process RSS)")
        small = dataclasses.replace(spec, epochs=args.small_epochs)
        small_path = work / "xor-small.xlsx"
        generate_file(small, small_path)
        show(
            evaluators(small, small_path, work / "small", args.formulas_timeout),
            f"Smaller file: {small.updates:,} updates (peak = process RSS)",
        )


if __name__ == "__main__":
    main()
