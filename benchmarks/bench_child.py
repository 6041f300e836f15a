"""One measured job of bench_training.py, in a fresh process so its peak memory is its own.

    python bench_child.py openpyxl normal|write-only TEXTS.json OUT.xlsx
    python bench_child.py check FILE
    python bench_child.py libreoffice FILE OUT_DIR
    python bench_child.py formualizer|formulas FILE ROW,COL EXPECTED

The last line printed is JSON: seconds (wall time of the job, imports and reading the inputs
excluded where they can be), rss_mb (peak resident memory) and a note.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

MEMORY_CAP = 6 * 2**30  # formulas grows past 9 GB on the 10,000-update file: stop it first


def _peak_mb(job: str) -> float:
    """Peak resident memory of this job: this process's high-water mark (VmHWM, which, unlike
    ru_maxrss, starts afresh at exec), or for LibreOffice that of the child it ran."""
    if job == "libreoffice":
        return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KiB on Linux
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bare_openpyxl(mode: str, texts: str, out: str) -> tuple[float, str]:
    """The writer's floor: the same formula texts, written by the plainest openpyxl loop."""
    from openpyxl import Workbook

    rows = json.loads(Path(texts).read_text())
    start = time.perf_counter()
    book = Workbook(write_only=mode == "write-only")
    sheet = book.create_sheet("Training")
    for formulas in rows:
        sheet.append(formulas)
    book.save(out)
    cells = sum(len(r) for r in rows)
    return time.perf_counter() - start, f"{cells:,} formula cells"


def check(path: str) -> tuple[float, str]:
    from worksheet.verify.check import check_file

    start = time.perf_counter()
    report = check_file(Path(path))
    verdict = "OK" if report.ok else f"{len(report.mismatches)} mismatches"
    return time.perf_counter() - start, f"{verdict}, {report.formulas:,} formulas"


def libreoffice(path: str, out_dir: str) -> tuple[float, str]:
    from worksheet.export.libreoffice import convert

    start = time.perf_counter()
    convert(Path(path), Path(out_dir), timeout=900)
    return time.perf_counter() - start, "convert-to xlsx, fresh profile, always recalculate"


def _verdict(got, want: float) -> str:
    try:
        ok = abs(float(got) - want) <= max(1e-9 * abs(want), 1e-12)
    except (TypeError, ValueError):
        ok = False
    return f"last loss {'agrees' if ok else 'DIFFERS'} ({got!r})"


def formualizer(path: str, where: str, want: str) -> tuple[float, str]:
    import formualizer as fz

    row, col = map(int, where.split(","))
    start = time.perf_counter()
    book = fz.load_workbook(path)
    book.evaluate_all()
    seconds = time.perf_counter() - start
    got = book.get_value("Training", row, col)
    return seconds, "load + evaluate_all; " + _verdict(got, float(want))


def formulas(path: str, where: str, want: str) -> tuple[float | None, str]:
    import formulas as fm
    from openpyxl.utils import get_column_letter

    row, col = map(int, where.split(","))
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))
    start = time.perf_counter()
    try:
        model = fm.ExcelModel().loads(path).finish()
        solution = model.calculate()
    except MemoryError:
        seconds = time.perf_counter() - start
        return None, f"ran out of its {MEMORY_CAP / 2**30:g} GB memory cap after {seconds:.0f} s"
    seconds = time.perf_counter() - start
    suffix = f"TRAINING'!{get_column_letter(col)}{row}"
    got = next((v.value[0][0] for k, v in solution.items() if k.upper().endswith(suffix)), None)
    return seconds, "loads + finish + calculate; " + _verdict(got, float(want))


def main(job: str, *args: str) -> None:
    jobs = {
        "openpyxl": bare_openpyxl,
        "check": check,
        "libreoffice": libreoffice,
        "formualizer": formualizer,
        "formulas": formulas,
    }
    seconds, note = jobs[job](*args)
    print(json.dumps({"seconds": seconds, "rss_mb": _peak_mb(job), "note": note}))


if __name__ == "__main__":
    main(*sys.argv[1:])
