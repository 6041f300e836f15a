"""Benchmark: a 10,000-update Adam XOR workbook, generated, checked and recalculated.

    python benchmarks/bench_optimizers.py [--epochs 2500] [--template xor-adam] [--no-libreoffice]

One run each, in one process: ``generate`` (wall and CPU), ``check`` (our evaluator against
numpy, with the givens nudged), and LibreOffice's headless recalculation of the file, whose
result must agree with numpy to 1e-9 in every formula cell.  XOR's four examples at 2,500
epochs are 10,000 updates, each a row of Training with its state columns.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from worksheet.evaluator import read_book
from worksheet.export.libreoffice import convert
from worksheet.model.template import Overrides, load_template, resolve
from worksheet.render.generate import generate
from worksheet.verify.check import check_file
from worksheet.verify.compare import agree
from worksheet.verify.expectations import expectations


def timed(label: str, run):
    wall, cpu = time.perf_counter(), time.process_time()
    result = run()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    print(f"{label:<28} {wall:7.1f} s wall {cpu:7.1f} s CPU", flush=True)
    return result


def libreoffice_disagrees(path: Path, spec, out: Path) -> int:
    """Formula cells of LibreOffice's recalculation that differ from numpy beyond 1e-9."""
    book = read_book(convert(path, out, timeout=1800))
    expected, _ = expectations(book, spec)
    return sum(
        1
        for ref, (_, want, slack) in expected.items()
        if ref not in book.cells or not agree(want, book.cells[ref].value, slack)
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--template", default="xor-adam")
    parser.add_argument("--epochs", type=int, default=2500)
    parser.add_argument("--no-libreoffice", action="store_true")
    args = parser.parse_args(argv)
    spec = resolve(load_template(args.template), Overrides(epochs=args.epochs)).spec
    print(f"{args.template}: {spec.optimizer}, {spec.updates} updates")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.xlsx"
        formulas = timed("generate", lambda: generate(spec, path, force=True))
        print(f"  {formulas} formulas, {path.stat().st_size / 1e6:.1f} MB")
        report = timed("check", lambda: check_file(path))
        print(f"  check: {'OK' if report.ok else 'MISMATCH'}, {report.formulas} formulas")
        wrong = 0
        if not args.no_libreoffice:
            wrong = timed(
                "LibreOffice recalculation",
                lambda: libreoffice_disagrees(path, spec, Path(folder) / "lo"),
            )
            print(f"  LibreOffice: {wrong} cells differ from numpy beyond 1e-9")
    return 0 if report.ok and not wrong else 1


if __name__ == "__main__":
    sys.exit(main())
