"""Click pieces for printing, registered by ``cli.py``: the ``pdf`` command and the
``--paper`` and ``--pdf`` options of ``generate`` and ``batch``.  Each only parses, calls
``printing`` and prints; a ``WorksheetError`` (no LibreOffice, a file in the way) becomes
cli.py's one-line error with exit code 2.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import click

from worksheet.cli.progress import each
from worksheet.render.page_measure import PAPERS

FEW = 2  # PDFs reported one by one; more get a progress bar (a class from batch)


# The export stage (subprocess, LibreOffice's paths) is imported when a PDF is asked for:
# every command loads this module, and start-up is most of a small command's time.
def check_pdf_target(*args, **kwargs):
    from worksheet.export.pdf import check_pdf_target as check

    return check(*args, **kwargs)


def export_pdf(*args, **kwargs):
    from worksheet.export.pdf import export_pdf as export

    return export(*args, **kwargs)


def pdf_pages(*args, **kwargs):
    from worksheet.export.pdf import pdf_pages as pages

    return pages(*args, **kwargs)


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


def check_pdfs_beside(workbooks: Iterable[Path], force: bool, inputs: Iterable[Path] = ()) -> None:
    """Before generating, refuse a ``--pdf`` that could not be written (no LibreOffice, a
    PDF already there without ``--force``, an input in its place), rather than fail after
    the work is done."""
    inputs = list(inputs)
    for workbook in workbooks:
        check_pdf_target(pdf_beside(workbook), force, inputs)


def write_pdfs_beside(workbooks: Iterable[Path], force: bool) -> None:
    """Print each generated workbook to the PDF beside it: a line per PDF, or for a class
    a progress bar (LibreOffice takes a second or two a file) and one line at the end."""
    workbooks = list(workbooks)
    if len(workbooks) <= FEW:
        for workbook in workbooks:
            out = export_pdf(workbook, pdf_beside(workbook), force=force)
            click.echo(f"Wrote {out}: {pdf_pages(out)} pages")
        return
    for workbook in each(workbooks, "Printing to PDF"):
        export_pdf(workbook, pdf_beside(workbook), force=force)
    click.echo(f"Wrote {len(workbooks)} PDFs, each beside its workbook")


@click.command("pdf")
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(),  # a str: a Path would drop the trailing slash of a folder
    help="PDF to write.  [default: FILE with .pdf]",
)
@click.option("--force", is_flag=True, help="Replace the PDF if it exists.")
def pdf_command(file: Path, output: Path | None, force: bool) -> None:
    """Print FILE (a workbook) to PDF through headless LibreOffice, which recalculates
    every formula first; the sheets print as set up by generate (see --paper)."""
    out = export_pdf(file, output, force=force)
    click.echo(f"Wrote {out}: {pdf_pages(out)} pages")
