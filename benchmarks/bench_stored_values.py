"""Benchmark: what storing every formula's value costs ``worksheet generate``.

    python benchmarks/bench_stored_values.py [--epochs 2500] [--template xor] [--profile]

One run without stored values (openpyxl's plain save) and one with, in this process, in
that order and then again in the other order (the machine is shared: alternating halves
the bias of a neighbour's load); the ratio of the sums is printed, CPU time and wall time.
The target: at most 1.15.  ``--profile`` prints where the extra time goes.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import tempfile
import time
from pathlib import Path

from worksheet.model.template import Overrides, load_template, resolve
from worksheet.render.generate import generate

TARGET = 1.15


def timed(spec, path: Path, stored: bool) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of one ``generate``."""
    wall, cpu = time.perf_counter(), time.process_time()
    generate(spec, path, force=True, stored=stored)
    return time.process_time() - cpu, time.perf_counter() - wall


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--template", default="xor")
    parser.add_argument("--epochs", type=int, default=2500)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args(argv)
    spec = resolve(load_template(args.template), Overrides(epochs=args.epochs)).spec
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.xlsx"
        totals = {False: [0.0, 0.0], True: [0.0, 0.0]}
        for stored in (False, True, True, False):
            cpu, wall = timed(spec, path, stored)
            totals[stored][0] += cpu
            totals[stored][1] += wall
            size = path.stat().st_size
            print(f"stored values {'on ' if stored else 'off'}: {cpu:6.2f} s CPU {wall:6.2f} s wall"
                  f"  {size / 1e6:.2f} MB")  # fmt: skip
        cpu_ratio = totals[True][0] / totals[False][0]
        wall_ratio = totals[True][1] / totals[False][1]
        print(f"{args.template} --epochs {args.epochs}: with/without stored values:"
              f" CPU x{cpu_ratio:.3f}, wall x{wall_ratio:.3f} (target x{TARGET})")  # fmt: skip
        if args.profile:
            profiler = cProfile.Profile()
            profiler.runcall(generate, spec, path, force=True, stored=True)
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
    return 0 if cpu_ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
