"""Print a workbook to PDF through headless LibreOffice, which recalculates every formula
first; the sheets print as ``printing.apply_page_setup`` set them up when generating.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterable
from pathlib import Path

from worksheet.errors import WorksheetError
from worksheet.export.libreoffice import convert, find_soffice
from worksheet.files import temporaries
from worksheet.files.outputs import check_output, usual_permissions
from worksheet.files.reading import check_workbook_file

SPREADSHEETS = (".xlsx", ".xlsm", ".ods")


def export_pdf(src: Path, out: Path | None = None, force: bool = False) -> Path:
    """Print the workbook ``src`` to ``out`` (default: beside it, ending in .pdf) through
    headless LibreOffice, which recalculates every formula first; returns ``out``.  The
    page setup is the one saved in the file (``apply_page_setup`` at generation time)."""
    src = Path(src)
    check_workbook_file(src)
    if src.suffix.lower() not in SPREADSHEETS:
        raise WorksheetError(f"{src}: not a spreadsheet (expected {', '.join(SPREADSHEETS)})")
    if not zipfile.is_zipfile(src):  # else LibreOffice would print it as plain text
        raise WorksheetError(f"{src}: not a workbook (an .xlsx file is a zip archive)")
    target = out if out is not None else src.with_suffix(".pdf")
    check_pdf_target(target, force, [src])  # as given: "x.pdf/" says it is a folder
    out = Path(target)
    with tempfile.TemporaryDirectory(prefix="worksheet-pdf-") as work:
        pdf = convert(src, Path(work), fmt="pdf")
        out.parent.mkdir(parents=True, exist_ok=True)
        temp = temporaries.make(out.parent, ".pdf.tmp")
        try:
            shutil.copyfile(pdf, temp)
            usual_permissions(temp)
            os.replace(temp, out)  # never half a PDF under the final name
        finally:
            temp.unlink(missing_ok=True)
            temporaries.done(temp)
    return out


def check_pdf_target(out: Path, force: bool, inputs: Iterable[Path] = ()) -> None:
    """Refuse, before any work, a PDF that cannot be written: no LibreOffice, a folder, an
    input in its place, a file already there without ``force``, a folder that takes no file."""
    if find_soffice() is None:
        raise WorksheetError(
            "LibreOffice is not installed, so no PDF can be made: install it "
            "(apt-get install libreoffice-calc-nogui) or print the workbook from Excel"
        )
    check_output(out, ".pdf", force, inputs)


def pdf_pages(path: Path) -> int:
    """Pages of a PDF as LibreOffice writes it (one uncompressed /Type /Page per page)."""
    return len(re.findall(rb"/Type\s*/Page(?!s)", Path(path).read_bytes()))
