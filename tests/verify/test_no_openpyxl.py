"""``worksheet check`` proves a file without loading openpyxl, the writer's library.

A quarter of a second of start-up, and a reader that must not depend on the library that
wrote the file; the check would catch a regression only here, since the output is the same.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from worksheet.model.template import load_template, resolve
from worksheet.render.generate import generate

PROBE = """
import sys
from worksheet.cli import main
sys.argv = ["worksheet", "check", sys.argv[1]]
try:
    main()
except SystemExit as exc:
    print("exit", exc.code)
print("openpyxl loaded:", any(name.split(".")[0] == "openpyxl" for name in sys.modules))
"""


def test_check_does_not_import_openpyxl(tmp_path: Path) -> None:
    book = tmp_path / "classic.xlsx"
    generate(resolve(load_template("classic")).spec, book)
    run = subprocess.run([sys.executable, "-c", PROBE, str(book)], capture_output=True, text=True)
    lines = run.stdout.strip().splitlines()
    assert lines[-2:] == ["exit 0", "openpyxl loaded: False"], run.stdout + run.stderr


def test_the_probe_sees_openpyxl_when_it_is_loaded(tmp_path: Path) -> None:
    """The probe is not blind: ``generate`` does load it."""
    probe = PROBE.replace('"check", sys.argv[1]', '"generate", "-o", sys.argv[1]')
    run = subprocess.run(
        [sys.executable, "-c", probe, str(tmp_path / "b.xlsx")], capture_output=True, text=True
    )
    assert run.stdout.strip().splitlines()[-1] == "openpyxl loaded: True", run.stdout + run.stderr
