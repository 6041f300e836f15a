"""The teacher's commands, registered by ``cli.py``: ``grade`` marks a student's workbook,
``batch`` writes a handout and key per student of a roster.  Each only parses, calls the
library and prints.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import click

from worksheet.classroom.grade import TOLERANCE
from worksheet.classroom.grade_report import grade_text
from worksheet.classroom.handout import handout_notes
from worksheet.classroom.integrity import ClassRecord, load_key
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
    "--key",
    "key",
    type=click.Path(path_type=Path),
    help="The handout's NAME-key.xlsx: grade against its givens and sections.",
)
@click.option(
    "--class",
    "manifest",
    type=click.Path(path_type=Path),
    help="The manifest.csv written by batch: grade against this student's key.",
)
@click.option(
    "--tolerance",
    type=click.FloatRange(0, 1, min_open=True),
    callback=lambda ctx, param, value: finite(value, "--tolerance"),
    default=TOLERANCE,
    show_default=True,
    help="Relative tolerance of a correct answer.",
)
@click.option(
    "--csv", "csv_file", type=click.Path(), help="Add (or, with --force, replace) a line."
)
@paper_option
@click.option("--force", is_flag=True, help="Replace FILE-marked.xlsx and the CSV line if there.")
def grade_command(file, key, manifest, tolerance, csv_file, paper, force) -> None:
    """Mark a student's workbook, with carried-forward credit; write FILE-marked.xlsx.

    With --key or --class the givens, sections and student come from the teacher's record
    and anything the file says differently is flagged; without, the file's own are used
    and the grade says it was not verified.

    Exit 0 when graded, 1 when graded but flagged, 2 when FILE cannot be graded."""
    if key is not None and manifest is not None:
        raise click.UsageError("give --key or --class, not both")
    check_workbook_file(file)
    teacher = load_key(key) if key is not None else None
    if manifest is not None:
        teacher = ClassRecord(manifest)
    grade, marked = mark_file(file, tolerance, csv_file, force, teacher, paper)
    click.echo(grade_text(grade))
    click.echo(f"integrity: {grade.integrity.status}")
    click.echo(f"Wrote {marked}" + (f" and its line in {csv_file}" if csv_file else ""))
    if grade.integrity.flagged:
        sys.exit(1)


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
        f"Wrote {2 * len(entries)} workbooks and {output / MANIFEST} (class seed {class_seed})."
        f" Grade a returned copy with: worksheet grade FILE"
        f" --class {shlex.quote(str(output / MANIFEST))}"
    )
    if pdf:
        write_pdfs_beside(planned, force)
