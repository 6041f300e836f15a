"""Click pieces for printing, registered by ``cli.py``: the ``pdf`` command and the
``--paper`` and ``--pdf`` options of ``generate``.  Each only parses, calls ``printing`` and
prints; a ``WorksheetError`` (no LibreOffice, a file in the way) becomes cli.py's one-line
error with exit code 2.
"""

from __future__ import annotations

from pathlib import Path

import click

from worksheet.printing import PAPERS, check_pdf_target, export_pdf, pdf_pages

paper_option = click.option(
    "--paper",
    type=click.Choice(sorted(PAPERS)),
    default="a4",
    show_default=True,
    help="Paper the sheets are set up to print on.",
)
pdf_option = click.option(
    "--pdf",
    "pdf",
    is_flag=True,
    help="Also print the workbook to a PDF beside it (needs LibreOffice).",
)


def pdf_beside(workbook: Path) -> Path:
    """Where ``--pdf`` writes: the workbook's name, ending in .pdf."""
    return Path(workbook).with_suffix(".pdf")


def check_pdf_beside(workbook: Path, force: bool) -> None:
    """Before generating, refuse a ``--pdf`` that could not be written (no LibreOffice, or
    the PDF exists without ``--force``), rather than fail after the work is done."""
    check_pdf_target(pdf_beside(workbook), force)


def write_pdf_beside(workbook: Path, force: bool) -> None:
    """Print the generated ``workbook`` to its PDF and say so."""
    out = export_pdf(workbook, pdf_beside(workbook), force=force)
    click.echo(f"Wrote {out}: {pdf_pages(out)} pages")


@click.command("pdf")
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="PDF to write.  [default: FILE with .pdf]",
)
@click.option("--force", is_flag=True, help="Replace the PDF if it exists.")
def pdf_command(file: Path, output: Path | None, force: bool) -> None:
    """Print FILE (a workbook) to PDF through headless LibreOffice, which recalculates
    every formula first; the sheets print as set up by generate (see --paper)."""
    out = export_pdf(file, output, force=force)
    click.echo(f"Wrote {out}: {pdf_pages(out)} pages")
