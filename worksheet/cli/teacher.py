"""The teacher's commands, registered by ``cli.py``: ``grade`` marks a student's workbook,
``batch`` writes a handout and key per student of a roster.  Each only parses, calls the
library and prints.
"""

from __future__ import annotations

from pathlib import Path

import click

from worksheet.classroom.grade import TOLERANCE
from worksheet.classroom.grade_report import grade_text
from worksheet.classroom.handout import handout_notes
from worksheet.classroom.marking import mark_file
from worksheet.classroom.record import parse_sections
from worksheet.classroom.roster import MANIFEST, plan_batch, read_roster, write_batch
from worksheet.cli.common import finite, notes, template_file
from worksheet.cli.printing import check_pdfs_beside, paper_option, pdf_option, write_pdfs_beside
from worksheet.cli.progress import progress
from worksheet.files.outputs import check_output
from worksheet.files.reading import check_workbook_file
from worksheet.model.template import load_template, resolve
from worksheet.render.page_setup import apply_page_setup

DEFAULT_CLASS = Path("output") / "class"
PROGRESS_STUDENTS = 10  # about a second of writing


@click.command("grade")
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--tolerance",
    type=click.FloatRange(0, 1, min_open=True),
    callback=lambda ctx, param, value: finite(value, "--tolerance"),
    default=TOLERANCE,
    show_default=True,
    help="Relative tolerance of a correct answer.",
)
@click.option("--csv", "csv_file", type=click.Path(), help="Append a line here.")  # str: keeps "x/"
@click.option("--force", is_flag=True, help="Replace FILE-marked.xlsx if it exists.")
def grade_command(file: Path, tolerance: float, csv_file: Path | None, force: bool) -> None:
    """Mark a student's workbook, with carried-forward credit; write FILE-marked.xlsx.

    Exit 0 when graded (whatever the score), 2 when FILE is not a student workbook."""
    check_workbook_file(file)
    grade, marked = mark_file(file, tolerance, csv_file, force)
    click.echo(grade_text(grade))
    if grade.givens_changed:
        click.echo("warning: the givens differ from the handout's (changed after it was made)")
    click.echo(f"Wrote {marked}" + (f"; appended to {csv_file}" if csv_file else ""))


@click.command("batch")
@click.argument("roster", type=click.Path(path_type=Path))
@click.argument("template", required=False)
@click.option("--seed", "class_seed", type=click.IntRange(min=0), default=0, show_default=True)
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), default=str(DEFAULT_CLASS), show_default=True
)
@click.option("--blank", metavar="SECTIONS", help="Sections to leave for the students.")
@paper_option
@pdf_option
@click.option("--force", is_flag=True, help="Replace existing files.")
def batch_command(roster, template, class_seed, output, blank, paper, pdf, force) -> None:
    """A student workbook and key per name in ROSTER (one per line, or a column 'name'),
    each with its own weights and example, and a manifest.csv."""
    names, sections = read_roster(roster), parse_sections(blank)
    spec = resolve(load_template(template)).spec
    planned = [p for e in plan_batch(names, output, class_seed) for p in (e.student, e.key)]
    inputs = [roster, *template_file(template)]
    for target in [*planned, output / MANIFEST]:  # before the work, not after
        check_output(target, None, force, inputs)
    if pdf:
        check_pdfs_beside(planned, force, inputs)

    def finish(book, name):
        apply_page_setup(book, paper=paper, title=spec.title, student=name)

    args = (spec, names, output, class_seed, sections, force)
    if len(names) < PROGRESS_STUDENTS:
        entries = write_batch(*args, finish=finish)
    else:
        with progress(len(names), "Writing") as advance:
            entries = write_batch(*args, progress=advance, finish=finish)
    notes(handout_notes(spec))
    click.echo(
        f"Wrote {2 * len(entries)} workbooks and {output / MANIFEST} (class seed {class_seed})"
    )
    if pdf:
        write_pdfs_beside(planned, force)
