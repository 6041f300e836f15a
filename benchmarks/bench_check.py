"""`worksheet check` against LibreOffice recalculating the same file, measured in one run.

    python benchmarks/bench_check.py [W3 W4 W5 ...] [--dir DIR] [--repeat 3]

Each workload is generated once into DIR (default /tmp/bench-check). Then, interleaved so
that a busy machine slows both alike, each is checked and recalculated by headless
LibreOffice (load + recalculate + save, fresh profile) ``--repeat`` times, each job in a
fresh process (bench_child.py); the best wall time of each whole process is kept, with the
check's peak resident memory. Prints one line per workload: seconds, ratio, MB.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).parent
WORKLOADS = {
    "W1": ["classic"],
    "W2": ["xor", "--epochs", "1000"],
    "W3": ["xor", "--epochs", "2500"],
    "W4": ["xor", "--epochs", "5000"],
    "W5": ["--layers", "2,8,8,8,4", "--steps", "3"],
}


def _timed(args: list[str]) -> tuple[float, dict]:
    start = time.perf_counter()
    run = subprocess.run(args, capture_output=True, text=True, check=True)
    seconds = time.perf_counter() - start
    return seconds, json.loads(run.stdout.strip().splitlines()[-1])


def _generated(name: str, folder: Path) -> Path:
    path = folder / f"{name}.xlsx"
    if not path.exists():
        cmd = [sys.executable, "-m", "worksheet", "generate", *WORKLOADS[name], "-o", str(path)]
        subprocess.run(cmd, check=True, capture_output=True)
    return path


def measure(name: str, folder: Path, repeat: int) -> dict:
    path = _generated(name, folder)
    child = [sys.executable, str(HERE / "bench_child.py")]
    best = {"check": (float("inf"), {}), "libreoffice": (float("inf"), {})}
    for _ in range(repeat):
        for job in best:
            with tempfile.TemporaryDirectory() as out:
                args = [*child, job, str(path)] + ([out] if job == "libreoffice" else [])
                seconds, info = _timed(args)
            if seconds < best[job][0]:
                best[job] = (seconds, info)
    (ours, info), (theirs, _) = best["check"], best["libreoffice"]
    return {
        "workload": name,
        "check_s": round(ours, 2),
        "libreoffice_s": round(theirs, 2),
        "ratio": round(ours / theirs, 2),
        "check_mb": round(info["rss_mb"]),
        "verdict": info["note"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workloads", nargs="*", default=["W3", "W4", "W5"])
    parser.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()) / "bench-check")
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    options.dir.mkdir(parents=True, exist_ok=True)
    print(
        f"# {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"load {os.getloadavg()[0]:.1f}; best of {options.repeat}, whole processes"
    )
    print(
        f"{'workload':8} {'check s':>8} {'LibreOffice s':>14} {'ratio':>6} {'check MB':>9}  verdict"
    )
    for name in options.workloads:
        row = measure(name, options.dir, options.repeat)
        print(
            f"{row['workload']:8} {row['check_s']:8.2f} {row['libreoffice_s']:14.2f} "
            f"{row['ratio']:6.2f} {row['check_mb']:9d}  {row['verdict']}",
            flush=True,
        )


if __name__ == "__main__":
    main()
