"""Benchmark: issue 12's tables, ours beside the other engines and the writer's floors, W1-W5.

    python benchmarks/bench_engines.py [--repeat 3] [--quick] [--only W1,W3] [--keep DIR]

W1 is the default ``generate``, W2-W4 ``xor`` with 1,250, 2,500 and 5,000 epochs, W5 a
2-8-8-8-4 network over three steps.  Every job runs in a fresh process (``--child``), so its
peak resident memory (VmHWM) is its own; wall times are the best of ``--repeat`` runs
(``--quick``: one), all in this one run, so that ratios compare like with like on a shared
machine.  Ours: ``generate`` (the library call, and the whole command as a user runs it) and
``check``; the others: LibreOffice (load, recalculate, save), formualizer and IronCalc (load
and evaluate), the bare openpyxl loops writing the very cells of our file (normal and
write-only mode) and raw XML written by hand and zipped (the floors of writing).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import bench_child  # beside this script: python puts the script's folder first on sys.path

WORKLOADS = {
    "W1": [],
    "W2": ["xor", "--epochs", "1250"],
    "W3": ["xor", "--epochs", "2500"],
    "W4": ["xor", "--epochs", "5000"],
    "W5": ["--layers", "2,8,8,8,4", "--steps", "3"],
}
TIMEOUT = 900


# ---- the jobs, each in a fresh process -------------------------------------------------


def job_generate(out: str, *options: str) -> tuple[float, str]:
    """The library's ``generate``, imports and option parsing excluded."""
    from worksheet.model.template import Overrides, load_template, resolve
    from worksheet.render.generate import generate

    template = options[0] if options and not options[0].startswith("-") else None
    rest = options[1:] if template else options
    flags = dict(zip(rest[::2], rest[1::2]))
    overrides = Overrides(
        epochs=int(flags["--epochs"]) if "--epochs" in flags else None,
        steps=int(flags["--steps"]) if "--steps" in flags else None,
        layers=tuple(map(int, flags["--layers"].split(","))) if "--layers" in flags else None,
    )
    spec = resolve(load_template(template), overrides).spec
    start = time.perf_counter()
    count = generate(spec, Path(out), force=True)
    return time.perf_counter() - start, f"{count:,} formulas"


def job_command(out: str, *options: str) -> tuple[float, str]:
    """``worksheet generate`` as a user runs it: Python's start and every import included."""
    start = time.perf_counter()
    command = [sys.executable, "-m", "worksheet", "generate", *options, "-o", out, "--force"]
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - start, "whole command"


def job_formualizer(path: str) -> tuple[float, str]:
    import formualizer

    start = time.perf_counter()
    book = formualizer.load_workbook(path)
    book.evaluate_all()
    return time.perf_counter() - start, "load + evaluate_all"


def job_ironcalc(path: str) -> tuple[float, str]:
    import ironcalc

    start = time.perf_counter()
    model = ironcalc.load_from_xlsx(path, "en", "UTC")
    model.evaluate()
    return time.perf_counter() - start, "load + evaluate"


def job_openpyxl(mode: str, cells: str, out: str) -> tuple[float, str]:
    """The plainest openpyxl loop writing the cells of our file (formulas, numbers, text)."""
    from openpyxl import Workbook

    sheets = json.loads(Path(cells).read_text())
    start = time.perf_counter()
    book = Workbook(write_only=mode == "write-only")
    if mode != "write-only":
        book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for r, row in enumerate(rows, 1):
            if mode == "write-only":
                sheet.append(row)
                continue
            for c, value in enumerate(row, 1):
                if value is not None:
                    sheet.cell(r, c, value)
    book.save(out)
    return time.perf_counter() - start, f"{sum(len(r) for r in sheets.values()):,} rows"


def job_rawxml(cells: str, out: str) -> tuple[float, str]:
    """The floor: each sheet's XML written by hand, the package zipped (no styles)."""
    sheets = json.loads(Path(cells).read_text())
    start = time.perf_counter()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for i, rows in enumerate(sheets.values(), 1):
            package.writestr(f"xl/worksheets/sheet{i}.xml", _sheet_xml(rows))
    return time.perf_counter() - start, "sheet XML only"


def _sheet_xml(rows: list[list]) -> str:
    parts = [
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    ]
    for r, row in enumerate(rows, 1):
        parts.append(f'<row r="{r}">')
        for c, value in enumerate(row, 1):
            if value is None:
                continue
            ref = f"{_letters(c)}{r}"
            if isinstance(value, str) and value.startswith("="):
                parts.append(f'<c r="{ref}"><f>{escape(value[1:])}</f></c>')
            elif isinstance(value, str):
                parts.append(f'<c r="{ref}" t="inlineStr"><is><t>{escape(value)}</t></is></c>')
            else:
                parts.append(f'<c r="{ref}"><v>{value!r}</v></c>')
        parts.append("</row>")
    parts.append("</sheetData></worksheet>")
    return "".join(parts)


def _letters(col: int) -> str:
    out = ""
    while col:
        col, rest = divmod(col - 1, 26)
        out = chr(65 + rest) + out
    return out


JOBS = {
    "generate": job_generate,
    "command": job_command,
    "check": bench_child.check,  # the same jobs bench_training.py runs
    "libreoffice": bench_child.libreoffice,
    "formualizer": job_formualizer,
    "ironcalc": job_ironcalc,
    "openpyxl": job_openpyxl,
    "rawxml": job_rawxml,
}


def _peak_mb(job: str) -> float:
    """Peak resident memory of the job: this process's high-water mark (VmHWM starts afresh
    at exec), or that of the child it ran (LibreOffice, the whole command)."""
    if job in ("libreoffice", "command"):
        return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KiB on Linux
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(job: str, *args: str) -> None:
    seconds, note = JOBS[job](*args)
    print(json.dumps({"seconds": seconds, "rss_mb": _peak_mb(job), "note": note}))


# ---- the parent: runs each job ``repeat`` times, keeps the best ------------------------


def run(repeat: int, job: str, *args: str) -> dict:
    """The best of ``repeat`` fresh-process runs of ``job``; the first failure ends them."""
    best: dict = {"seconds": None, "rss_mb": None, "note": ""}
    for _ in range(repeat):
        try:
            done = subprocess.run(
                [sys.executable, __file__, "--child", job, *args],
                capture_output=True,
                text=True,
                timeout=TIMEOUT,
            )
        except subprocess.TimeoutExpired:
            return {"seconds": None, "rss_mb": None, "note": f"stopped after {TIMEOUT} s"}
        lines = done.stdout.strip().splitlines()
        if done.returncode != 0 or not lines:
            note = (done.stderr.strip().splitlines() or ["failed"])[-1][-120:]
            return {"seconds": None, "rss_mb": None, "note": note}
        out = json.loads(lines[-1])
        if best["seconds"] is None or out["seconds"] < best["seconds"]:
            best = out
    return best


def dump_cells(path: Path, target: Path) -> int:
    """Every cell of ``path`` (formula text or value) as rows per sheet, for the floors;
    returns the number of formulas."""
    from worksheet.evaluator import read_book

    book = read_book(path)
    sheets: dict[str, list[list]] = {name: [] for name in book.sheet_names}
    formulas = 0
    for ref, cell in sorted(book.cells.items(), key=lambda i: (i[0].row, i[0].col)):
        rows = sheets[ref.sheet]
        while len(rows) < ref.row:
            rows.append([])
        row = rows[ref.row - 1]
        row.extend([None] * (ref.col - len(row)))
        row[ref.col - 1] = cell.formula if cell.formula is not None else cell.value
        formulas += cell.formula is not None
    target.write_text(json.dumps(sheets))
    return formulas


def measure(name: str, options: list[str], work: Path, repeat: int) -> dict:
    path, cells = work / f"{name}.xlsx", work / f"{name}.json"
    # The writing jobs whose ratios the second table gives are taken in turn, round after
    # round, rather than each job's runs in a block: between blocks the engines run for
    # minutes (IronCalc on W5 for several), and on a shared machine a ratio of two jobs
    # measured minutes apart measured the change of load as much as the writers.
    writing = {
        "generate": ("generate", str(path), *options),
        "command": ("command", str(work / f"{name}-cmd.xlsx"), *options),
        **{
            mode: ("openpyxl", mode, str(cells), str(work / f"{name}-{mode}.xlsx"))
            for mode in ("normal", "write-only")
        },
        "rawxml": ("rawxml", str(cells), str(work / f"{name}-raw.zip")),
    }
    r = {"generate": run(1, *writing["generate"])}
    r["formulas"] = dump_cells(path, cells)  # the floors write the cells of our file
    for round_ in range(repeat):
        for key, job in writing.items():
            if round_ or key != "generate":
                r[key] = _best(r.get(key), run(1, *job))
    r["check"] = run(repeat, "check", str(path))
    r["libreoffice"] = run(repeat, "libreoffice", str(path), str(work / f"{name}-lo"))
    for engine in ("formualizer", "ironcalc"):
        r[engine] = run(repeat, engine, str(path))
    return r


def _best(kept: dict | None, new: dict) -> dict:
    """The faster of two results of one job; a failure stands (as in ``run``)."""
    if kept is None or new["seconds"] is None and kept["seconds"] is not None:
        return new
    if kept["seconds"] is None:
        return kept
    return new if new["seconds"] < kept["seconds"] else kept


def machine() -> str:
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")),
        platform.processor() or "unknown cpu",
    )  # fmt: skip
    mem = next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
               if line.startswith("MemTotal"))  # fmt: skip
    return (
        f"{cpu}, {os.cpu_count()} cores, {int(mem) / 2**20:.1f} GB RAM,"
        f" Python {platform.python_version()}, {platform.system()} {platform.release()}"
    )


def _cell(result: dict, memory: bool = True) -> str:
    if result["seconds"] is None:
        return f"— ({result['note'][:40]})"
    text = f"{result['seconds']:.2f} s"
    return f"{text}, {result['rss_mb']:.0f} MB" if memory else text


def _ratio(a: dict, b: dict) -> str:
    if a["seconds"] is None or b["seconds"] is None or not b["seconds"]:
        return "—"
    return f"{a['seconds'] / b['seconds']:.2f}×"


def _table(head: list[str], rows: list[list[str]]) -> None:
    print("\n| " + " | ".join(head) + " |")
    print("|---|" + "---:|" * (len(head) - 1))
    for row in rows:
        print("| " + " | ".join(row) + " |")


def show(results: dict[str, dict]) -> None:
    head = ["workload", "formulas", "`check`", "LibreOffice load+recalc+save", "formualizer"]
    head += ["IronCalc", "check / LibreOffice", "check / formualizer"]
    rows = []
    for name, r in results.items():
        engines = [_cell(r[k]) for k in ("check", "libreoffice", "formualizer", "ironcalc")]
        ratios = [_ratio(r["check"], r["libreoffice"]), _ratio(r["check"], r["formualizer"])]
        rows.append([name, f"{r['formulas']:,}", *engines, *ratios])
    _table(head, rows)
    head = ["workload", "`generate`", "whole command", "bare openpyxl loop (normal / write-only)"]
    head += ["raw XML + zip", "generate / normal", "generate / write-only", "generate / raw"]
    rows = []
    for name, r in results.items():
        floors = f"{_cell(r['normal'], False)} / {_cell(r['write-only'], False)}"
        ratios = [_ratio(r["generate"], r[k]) for k in ("normal", "write-only", "rawxml")]
        ours = [_cell(r["generate"]), _cell(r["command"], False)]
        rows.append([name, *ours, floors, _cell(r["rawxml"], False), *ratios])
    _table(head, rows)
    base = results.get("W1", {}).get("check", {}).get("rss_mb") or 0.0
    head = ["workload", "formulas", "check µs per formula"]
    head.append(f"check KB per formula (peak RSS above W1's {base:.0f} MB)")
    rows = []
    for name in ("W2", "W3", "W4"):
        r = results.get(name)
        if r is None or r["check"]["seconds"] is None:
            continue
        us = r["check"]["seconds"] / r["formulas"] * 1e6
        kb = (r["check"]["rss_mb"] - base) * 1024 / r["formulas"]
        rows.append([name, f"{r['formulas']:,}", f"{us:.1f}", f"{kb:.2f}"])
    _table(head, rows)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(*sys.argv[2:])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per job; the best is kept")
    parser.add_argument("--quick", action="store_true", help="one run per job")
    parser.add_argument("--only", help="workloads to run, e.g. W1,W3 (default: all)")
    parser.add_argument("--keep", type=Path, help="keep the files in this folder")
    args = parser.parse_args()
    repeat = 1 if args.quick else args.repeat
    names = args.only.split(",") if args.only else list(WORKLOADS)
    print(f"Machine: {machine()}")
    print(f"Best of {repeat} run(s) per job, each in a fresh process; peak = its resident memory.")
    for name in names:
        print(f"  {name}: worksheet generate {' '.join(WORKLOADS[name]) or '(default)'}")
    with tempfile.TemporaryDirectory(prefix="bench-engines-") as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        results = {}
        for name in names:
            results[name] = measure(name, WORKLOADS[name], work, repeat)
            print(f"  measured {name}", file=sys.stderr)
        show(results)


if __name__ == "__main__":
    main()
