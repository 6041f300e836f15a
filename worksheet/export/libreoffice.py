"""Recalculate a workbook in headless LibreOffice Calc, the real client.

Two traps, measured: ``soffice --convert-to`` exits 0 even when it wrote
nothing, so success is judged by the output file; and LibreOffice keeps
cached values it finds in an .xlsx instead of recalculating, unless its
profile says otherwise, so every run gets a fresh profile that says
"always recalculate on load" (which also keeps parallel runs apart).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from worksheet.errors import WorksheetError

ALWAYS_RECALCULATE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode"
 oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode"
 oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def find_soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(src: Path, out_dir: Path, fmt: str = "xlsx", timeout: float = 180) -> Path:
    """Open ``src`` in LibreOffice, recalculate, and save it as ``fmt`` in ``out_dir``."""
    soffice = find_soffice()
    if soffice is None:
        raise WorksheetError(
            "LibreOffice is not installed (apt-get install libreoffice-calc-nogui)"
        )
    src, out_dir = Path(src).resolve(), Path(out_dir).resolve()
    if out_dir == src.parent:
        raise WorksheetError(f"{out_dir}: write LibreOffice's copy to another folder")
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{src.stem}.{fmt}"
    target.unlink(missing_ok=True)  # else an old copy would pass for LibreOffice's work
    with tempfile.TemporaryDirectory(prefix="worksheet-lo-") as profile:
        user = Path(profile) / "user"
        user.mkdir()
        (user / "registrymodifications.xcu").write_text(ALWAYS_RECALCULATE)
        command = [
            soffice,
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--headless",
            "--calc",
            "--convert-to",
            fmt,
            "--outdir",
            str(out_dir),
            str(src),
        ]
        try:
            subprocess.run(command, capture_output=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            raise WorksheetError(
                f"LibreOffice did not finish converting {src} in {timeout:g} s"
            ) from None
    if not target.is_file():
        raise WorksheetError(f"LibreOffice wrote nothing for {src} (is it a valid workbook?)")
    return target
