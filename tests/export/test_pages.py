"""Pages that read right, checked on the PDF LibreOffice prints, on A4 and on Letter: how
many pages each sheet takes.  Where each chart falls is checked on the page setup itself
(tests/render/test_printing.py): LibreOffice draws a chart cut off at a page break into the
text of both pages, clipped, so a PDF's text cannot tell a whole chart from a cut one."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from worksheet.export.pdf import export_pdf
from worksheet.model.template import Overrides, load_template, resolve
from worksheet.render.generate import generate

pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed"),
]


def pages(pdf) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True).stdout
    return text.decode().split("\f")[:-1]


def sheet_of(page: str) -> str:
    """The sheet a page belongs to: its header starts with the sheet's name."""
    return page.strip().split()[0] if page.strip() else ""


@pytest.mark.parametrize("paper", ["a4", "letter"])
@pytest.mark.parametrize(
    "template, overrides", [("xor", {"epochs": 30}), ("or", {"epochs": 20, "lr_sweep": (0.5, 2)})]
)
def test_each_sheet_prints_on_the_pages_it_needs(tmp_path, paper, template, overrides):
    spec = resolve(load_template(template), Overrides(**overrides)).spec
    path = tmp_path / "w.xlsx"
    generate(spec, path, paper=paper)
    count: dict[str, int] = {}
    for page in pages(export_pdf(path)):
        count[sheet_of(page)] = count.get(sheet_of(page), 0) + 1
    assert count["Givens"] == 1 and count["Network"] == 1
    assert count["Step"] <= 2
    assert count["Summary"] <= 2  # the table and two charts: one page, or one per chart
    assert count["Training"] <= 3  # its first 40 updates: one page down, pages across
    if "Sweep" in count:
        assert count["Sweep"] <= 2
