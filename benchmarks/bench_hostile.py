"""Benchmark: time and peak memory of every hostile-file case, against the targets.

    python benchmarks/bench_hostile.py [-k EXPR]

Runs tests/verify/test_hostile.py and test_review_attacks_styles.py (each costly case is
``worksheet check`` or ``grade`` in a child process, see ``run_check`` and ``costly`` there)
with ``HOSTILE_REPORT`` set, then prints each case's exit code, wall time and peak resident
memory beside the issue's targets: any file refused or checked within 10 s and under 300 MB,
whatever its shape.  The tests assert the memory but
only guard against hangs in time (30 s), since a shared CI machine must not fail on speed;
this is where the speed is measured.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_SECONDS, TARGET_MB = 10.0, 300.0
HOSTILE_FILES = ("test_hostile.py", "test_review_attacks_styles.py")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-k", default="", help="pytest -k expression to run some cases only")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        report = Path(work) / "hostile.tsv"
        env = dict(os.environ, HOSTILE_REPORT=str(report))
        command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
        command += [str(ROOT / "tests" / "verify" / name) for name in HOSTILE_FILES]
        command += ["-k", args.k] if args.k else []
        tests = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
        rows = (
            [line.split("\t") for line in report.read_text().splitlines()]
            if report.exists()
            else []
        )
    missed = 0
    print(f"{'case':<58} {'exit':>4} {'seconds':>8} {'MB':>6}  verdict")
    for case, code, seconds, mb, _ in rows:
        ok = float(seconds) < TARGET_SECONDS and float(mb) < TARGET_MB
        missed += not ok
        verdict = "ok" if ok else f"MISSED (target {TARGET_SECONDS:.0f} s, {TARGET_MB:.0f} MB)"
        print(f"{case:<58} {code:>4} {float(seconds):>8.2f} {float(mb):>6.0f}  {verdict}")
    print(
        f"{len(rows)} cases, {missed} over target; tests: {tests.stdout.strip().splitlines()[-1]}"
    )
    return 1 if missed or tests.returncode else 0


if __name__ == "__main__":
    sys.exit(main())
